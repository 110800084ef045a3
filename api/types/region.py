"""行政区划 Region: a GB/T 2260 division, its parent and children, organisations, issues and figures."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from api.types.enums import RegionLevel
from api.types.node import Node, linked, linked_one, node_type
from api.types.pagination import DEFAULT_PAGE, After, Connection, First, paginate
from api.types.scoped import four_forms_field, issues_field

if TYPE_CHECKING:  # strawberry resolves these lazily: the modules refer to each other
    from api.types.organisation import Organisation


@node_type("Region")
@strawberry.type(description="行政区划: a province, prefecture, county or township (id = GB/T 2260 code).")
class Region(Node):
    name: str = ""
    level: RegionLevel = None

    @strawberry.field(description="The GB/T 2260 code (the same as id).")
    def code(self) -> str:
        return str(self.id)

    @strawberry.field(description="The region this one is PART_OF.")
    async def parent(self, info: Info) -> Region | None:
        return await linked_one(info, self, "PART_OF", "out", "Region")

    @strawberry.field(description="The regions directly PART_OF this one, by code.")
    async def children(self, info: Info) -> list[Region]:
        return sorted(await linked(info, self, "PART_OF", "in", "Region"), key=lambda r: r.id)

    @strawberry.field(description="Organisations IN_REGION this region (not its subtree), by id.")
    async def organisations(
        self, info: Info, first: First = DEFAULT_PAGE, after: After = None
    ) -> Connection[Annotated[Organisation, strawberry.lazy("api.types.organisation")]]:
        orgs = sorted(await linked(info, self, "IN_REGION", "in", "Organisation"), key=lambda o: o.id)
        page, total, page_info = paginate(orgs, first, after)
        return Connection(nodes=page, total_count=total, page_info=page_info)

    issues = issues_field("region_id", "Issues at organisations anywhere in this region's subtree (see Query.issues).")
    four_forms = four_forms_field(
        "region_id", "Four-form figures of this region's subtree (Query.fourForms with regionId)."
    )
