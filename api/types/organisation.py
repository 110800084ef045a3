"""单位 Organisation: its region, place in the hierarchy, principals at a date, posts, issues."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from api.types.arguments import UNSET, PostsOn, given
from api.types.enums import OrganisationKind, RegionLevel
from api.types.node import Node, linked, linked_ids, linked_one, node_by_id, node_type, records, to_nodes
from api.types.scoped import issues_field
from graph import queries

if TYPE_CHECKING:  # strawberry resolves these lazily: the modules refer to each other
    from api.types.inspection import Inspection
    from api.types.measure import Measure
    from api.types.official import Official
    from api.types.post import Post
    from api.types.region import Region


@node_type("Organisation")
@strawberry.type(description="单位: a party committee, government, department, commission, court, …")
class Organisation(Node):
    name: str = ""
    organisation_kind: OrganisationKind = None
    level: RegionLevel | None = None

    @strawberry.field(
        description="The region it is IN_REGION; for a department without one, that of the "
        "nearest organisation it is UNDER."
    )
    async def region(self, info: Info) -> Annotated[Region, strawberry.lazy("api.types.region")] | None:
        region = await info.context.loaders.ask(queries.regions_of_orgs, str(self.id))
        return None if region is None else await node_by_id(info, region, "Region")

    @strawberry.field(description="The organisation it is UNDER (a department's government or party committee).")
    async def parent(self, info: Info) -> Organisation | None:
        return await linked_one(info, self, "UNDER", "out", "Organisation")

    @strawberry.field(description="Organisations UNDER this one, by id.")
    async def children(self, info: Info) -> list[Organisation]:
        return sorted(await linked(info, self, "UNDER", "in", "Organisation"), key=lambda o: o.id)

    @strawberry.field(
        description="党政主要负责人 on a date: PARTY_PRINCIPAL or GOV_PRINCIPAL posts covering it "
        "(acting holders count; one person holding both appears once), by id."
    )
    async def principals_at(
        self, info: Info, on: Annotated[date, strawberry.argument(description="日期 (the day).")]
    ) -> list[Annotated[Official, strawberry.lazy("api.types.official")]]:
        ids = await info.context.loaders.ask(queries.principals_at, str(self.id), on)
        return to_nodes(await records(info, ids or []))

    @strawberry.field(description="Every post in this organisation, or only those held on `on`; oldest first.")
    async def posts(self, info: Info, on: PostsOn = UNSET) -> list[Annotated[Post, strawberry.lazy("api.types.post")]]:
        from api.types.post import Post

        return [Post.of(p) for p in await info.context.loaders.ask(queries.holders_of, str(self.id), given(on)) or []]

    issues = issues_field("organisation_id", "Issues found AT this organisation, oldest found first.")

    @strawberry.field(description="Inspections that INSPECTED this organisation.")
    async def inspections(self, info: Info) -> list[Annotated[Inspection, strawberry.lazy("api.types.inspection")]]:
        return await linked(info, self, "INSPECTED", "in", "Inspection")

    @strawberry.field(description="Measures on this organisation (问责条例 art. 8: 检查, 通报, 改组).")
    async def measures(self, info: Info) -> list[Annotated[Measure, strawberry.lazy("api.types.measure")]]:
        return await linked(info, self, "APPLIES_TO", "in", "Measure")

    @strawberry.field(description="Study events, inspections and assessments this organisation ORGANISED.")
    async def organised(self, info: Info) -> list[Node]:
        return await linked(info, self, "ORGANISED", "out")

    @strawberry.field(description="Number of officials who ever held a post here.")
    async def official_count(self, info: Info) -> int:
        return len(set(await linked_ids(info, self, "HELD_POST", "in")))
