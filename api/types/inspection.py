"""法治督察 Inspection: what it inspected, what it found, the campaign it is part of."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from api.types.enums import InspectionKind
from api.types.node import Node, linked, linked_one, node_type

if TYPE_CHECKING:  # strawberry resolves these lazily: the modules refer to each other
    from api.types.campaign import Campaign
    from api.types.issue import Issue
    from api.types.organisation import Organisation


@node_type("Inspection")
@strawberry.type(description="法治督察: a rule-of-law inspection.")
class Inspection(Node):
    inspection_kind: InspectionKind = None
    title: str | None = None
    start: date | None = None
    end: date | None = None

    @strawberry.field(description="The campaign it is PART_OF.")
    async def campaign(self, info: Info) -> Annotated[Campaign, strawberry.lazy("api.types.campaign")] | None:
        return await linked_one(info, self, "PART_OF", "out", "Campaign")

    @strawberry.field(description="The organisation that ORGANISED it.")
    async def organiser(self, info: Info) -> Annotated[Organisation, strawberry.lazy("api.types.organisation")] | None:
        return await linked_one(info, self, "ORGANISED", "in", "Organisation")

    @strawberry.field(description="Organisations it INSPECTED, by id.")
    async def inspected(self, info: Info) -> list[Annotated[Organisation, strawberry.lazy("api.types.organisation")]]:
        return sorted(await linked(info, self, "INSPECTED", "out", "Organisation"), key=lambda o: o.id)

    @strawberry.field(description="Issues it FOUND, oldest found first.")
    async def issues(self, info: Info) -> list[Annotated[Issue, strawberry.lazy("api.types.issue")]]:
        found = await linked(info, self, "FOUND", "out", "Issue")
        return sorted(found, key=lambda i: (i.rec.get("found_on") or date.max, i.id))
