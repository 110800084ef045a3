"""法治督察 Inspection: what it inspected, what it found, the campaign it is part of."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from api.types.enums import InspectionKind
from api.types.node import Node, linked, linked_one, node_type


@node_type("Inspection")
@strawberry.type(description="法治督察: a rule-of-law inspection.")
class Inspection(Node):
    inspection_kind: InspectionKind = None
    title: str | None = None
    start: date | None = None
    end: date | None = None

    @strawberry.field(description="The campaign it is PART_OF.")
    async def campaign(self, info: Info) -> Campaign | None:
        return await linked_one(info, self, "PART_OF", "out", "Campaign")

    @strawberry.field(description="The organisation that ORGANISED it.")
    async def organiser(self, info: Info) -> Organisation | None:
        return await linked_one(info, self, "ORGANISED", "in", "Organisation")

    @strawberry.field(description="Organisations it INSPECTED, by id.")
    async def inspected(self, info: Info) -> list[Organisation]:
        return sorted(await linked(info, self, "INSPECTED", "out", "Organisation"), key=lambda o: o.id)

    @strawberry.field(description="Issues it FOUND, oldest found first.")
    async def issues(self, info: Info) -> list[Issue]:
        found = await linked(info, self, "FOUND", "out", "Issue")
        return sorted(found, key=lambda i: (i.rec.get("found_on") or date.max, i.id))


# Types this module refers to, imported last: the modules refer to each other.
from api.types.campaign import Campaign  # noqa: E402
from api.types.issue import Issue  # noqa: E402
from api.types.organisation import Organisation  # noqa: E402
