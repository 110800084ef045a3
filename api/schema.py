"""The GraphQL schema (CONTRACT §3, extended): the ``Query`` root and ``build_schema``.

schema = build_schema(Settings())
print(schema.as_str())            # what api/schema.graphql holds
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from graphql import GraphQLError
from strawberry.permission import BasePermission
from strawberry.types import ExecutionContext, Info

from api.errors import BadUserInput, NotFound
from api.limits import SIZE_ARGUMENTS, guard_factory
from api.permissions import CanRead
from api.settings import Settings
from api.types import all_nodes  # noqa: F401  (every node type registers itself)
from api.types.arguments import UNSET
from api.types.campaign import Campaign
from api.types.case import Case
from api.types.chain import AccountabilityChain, chain_objects
from api.types.enums import IssueStatus, RegionLevel
from api.types.issue import Issue, issue_connection
from api.types.node import Node, node_by_id, records, to_node
from api.types.official import Official
from api.types.organisation import Organisation
from api.types.pagination import DEFAULT_PAGE, Connection, check_first
from api.types.region import Region
from api.types.stats import FourFormsStats, StatsFilter, four_forms_stats
from api.types.study_stats import DutyReportStats, StudyStats, duty_report_stats, study_stats
from api.types.subgraph import Subgraph, subgraph_object
from api.types.workbench import WorkbenchQuery
from graph import queries

MAX_SEARCH = 100
MAX_NODES = SIZE_ARGUMENTS["limit"]


@strawberry.input(description="Which issues: every given criterion must hold.")
class IssueFilter:
    status: list[IssueStatus] | None = None
    found_from: date | None = strawberry.field(
        name="from", default=None, description="Found on or after (occurredOn when foundOn is unknown)."
    )
    found_to: date | None = strawberry.field(name="to", default=None, description="Found on or before.")
    region_id: strawberry.ID | None = strawberry.field(
        default=None, description="At an organisation in the region's subtree."
    )
    campaign_id: strawberry.ID | None = strawberry.field(
        default=None, description="Found by an inspection PART_OF the campaign."
    )
    organisation_id: strawberry.ID | None = None


def _read() -> list[type[BasePermission]]:
    return [CanRead]


@strawberry.type(description="问责: the rule-of-law accountability graph.")
class Query(WorkbenchQuery):
    @strawberry.field(permission_classes=_read(), description="Any node by id (null when absent).")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        return await node_by_id(info, str(id))

    @strawberry.field(
        permission_classes=_read(),
        description="Several nodes by id (at most 100), absent ones left out, in the order given.",
    )
    async def nodes(self, info: Info, ids: list[strawberry.ID]) -> list[Node]:
        check_first(len(ids), SIZE_ARGUMENTS["ids"], "ids")
        return [to_node(r) for r in await records(info, [str(i) for i in ids])]

    @strawberry.field(permission_classes=_read())
    async def official(self, info: Info, id: strawberry.ID) -> Official | None:
        return await node_by_id(info, str(id), "Official")

    @strawberry.field(permission_classes=_read())
    async def organisation(self, info: Info, id: strawberry.ID) -> Organisation | None:
        return await node_by_id(info, str(id), "Organisation")

    @strawberry.field(permission_classes=_read(), description="A region by its GB/T 2260 code.")
    async def region(self, info: Info, id: strawberry.ID) -> Region | None:
        return await node_by_id(info, str(id), "Region")

    @strawberry.field(permission_classes=_read(), description="Regions of a level, or the top-level regions.")
    async def regions(self, info: Info, level: RegionLevel | None = None) -> list[Region]:
        ctx = info.context
        recs = await ctx.call(queries.records_from_scan, ctx.store, "Region")
        if level is None:
            ids = [r["id"] for r in recs]
            with_parent = {e.source for e in await ctx.call(ctx.store.edges, ids, ("PART_OF",), "out")}
            recs = [r for r in recs if r["id"] not in with_parent]
        else:
            recs = [r for r in recs if r.get("level") == level]
        return [to_node(r) for r in sorted(recs, key=lambda r: r["id"])]

    @strawberry.field(permission_classes=_read())
    async def issue(self, info: Info, id: strawberry.ID) -> Issue | None:
        return await node_by_id(info, str(id), "Issue")

    @strawberry.field(permission_classes=_read(), name="case")
    async def case_(self, info: Info, id: strawberry.ID) -> Case | None:
        return await node_by_id(info, str(id), "Case")

    @strawberry.field(permission_classes=_read())
    async def campaign(self, info: Info, id: strawberry.ID) -> Campaign | None:
        return await node_by_id(info, str(id), "Campaign")

    @strawberry.field(permission_classes=_read(), description="Every campaign, by id.")
    async def campaigns(self, info: Info) -> list[Campaign]:
        ctx = info.context
        recs = await ctx.call(queries.records_from_scan, ctx.store, "Campaign")
        return [to_node(r) for r in sorted(recs, key=lambda r: r["id"])]

    @strawberry.field(permission_classes=_read(), description="Issues matching a filter, oldest found first.")
    async def issues(
        self, info: Info, filter: IssueFilter | None = None, first: int = DEFAULT_PAGE, after: str | None = None
    ) -> Connection[Issue]:
        f = filter or IssueFilter()
        return await issue_connection(
            info,
            first,
            after,
            status=f.status,
            found_from=f.found_from,
            found_to=f.found_to,
            region_id=str(f.region_id) if f.region_id else None,
            campaign_id=str(f.campaign_id) if f.campaign_id else None,
            organisation_id=str(f.organisation_id) if f.organisation_id else None,
        )

    @strawberry.field(permission_classes=_read(), description="Officials by id, optionally whose name contains a text.")
    async def officials(
        self, info: Info, name_contains: str | None = None, first: int = DEFAULT_PAGE, after: str | None = None
    ) -> Connection[Official]:
        from api.types.pagination import paginate

        check_first(first)
        ctx = info.context
        recs = await ctx.call(queries.records_from_scan, ctx.store, "Official")
        if name_contains:
            recs = [r for r in recs if name_contains in (r.get("name") or "")]
        recs.sort(key=lambda r: r["id"])
        page, total, page_info = paginate(recs, first, after)
        ctx.loaders.prime_nodes({r["id"]: r for r in page})
        return Connection(nodes=[to_node(r) for r in page], total_count=total, page_info=page_info)

    @strawberry.field(
        permission_classes=_read(),
        description="The whole chain of an issue: responsibility, steps, "
        "clue → case, measures, transfers, exposures, "
        "documents, stage and overdue items as of `asOf` "
        "(default today). Null when the issue does not exist.",
    )
    async def chain(self, info: Info, issue_id: strawberry.ID, as_of: date | None = None) -> AccountabilityChain | None:
        found = await chain_objects(info, [str(issue_id)], as_of or info.context.today)
        return found[0] if found else None

    @strawberry.field(
        permission_classes=_read(),
        description="四种形态 figures with exactly the CONTRACT §3 semantics (see StatsFilter).",
    )
    async def four_forms(self, info: Info, filter: StatsFilter | None = UNSET) -> FourFormsStats:
        return await four_forms_stats(info, filter)

    @strawberry.field(
        permission_classes=_read(),
        description="述法 figures of a year: reports, reporters, by role, form, grade and reviewing organisation.",
    )
    async def duty_report_stats(self, info: Info, year: int) -> DutyReportStats:
        return await duty_report_stats(info, year)

    @strawberry.field(
        permission_classes=_read(),
        description="学习培训 figures: events and attendance by kind (from/to inclusive on the event date).",
    )
    async def study_stats(
        self,
        info: Info,
        date_from: Annotated[date | None, strawberry.argument(name="from")] = None,
        date_to: Annotated[date | None, strawberry.argument(name="to")] = None,
    ) -> StudyStats:
        return await study_stats(info, date_from, date_to)

    @strawberry.field(
        permission_classes=_read(),
        description="Nodes within `depth` (≤ 3) hops of a node, at most "
        "`limit` (≤ 1000) of them, and the edges found between "
        "them.",
    )
    async def neighbourhood(self, info: Info, id: strawberry.ID, depth: int = 1, limit: int = 200) -> Subgraph:
        if not 0 <= depth <= queries.MAX_DEPTH:
            raise BadUserInput(f"'depth' must be between 0 and {queries.MAX_DEPTH} (got {depth})")
        if not 1 <= limit <= MAX_NODES:
            raise BadUserInput(f"'limit' must be between 1 and {MAX_NODES} (got {limit})")
        ctx = info.context
        sub = await ctx.call(queries.neighbourhood, ctx.store, str(id), depth, limit)
        if sub is None:
            raise NotFound(f"no node with id {str(id)!r}")
        return subgraph_object(sub)

    @strawberry.field(
        permission_classes=_read(),
        description="The shortest paths (any direction, at most `maxHops` "
        "≤ 6 edges, up to `limit` paths) between two nodes.",
    )
    async def paths(
        self,
        info: Info,
        from_id: Annotated[strawberry.ID, strawberry.argument(name="from")],
        to_id: Annotated[strawberry.ID, strawberry.argument(name="to")],
        max_hops: int = 4,
        limit: int = 10,
    ) -> Subgraph:
        if not 1 <= max_hops <= queries.MAX_HOPS:
            raise BadUserInput(f"'maxHops' must be between 1 and {queries.MAX_HOPS} (got {max_hops})")
        if not 1 <= limit <= 50:
            raise BadUserInput(f"'limit' must be between 1 and 50 (got {limit})")
        ctx = info.context
        sub = await ctx.call(queries.paths, ctx.store, str(from_id), str(to_id), max_hops, limit)
        if sub is None:
            raise NotFound(f"no node with id {str(from_id)!r} or {str(to_id)!r}")
        return subgraph_object(sub)

    @strawberry.field(
        permission_classes=_read(),
        description="Names and titles containing the text (Chinese "
        "substrings, two characters work), or matching its "
        "pinyin, full or initials (zhangwei, zw); best first.",
    )
    async def search(self, info: Info, text: str, first: int = 20) -> list[Node]:
        check_first(first, MAX_SEARCH)
        ctx = info.context
        if not text.strip() or first == 0:
            return []
        if ctx.search_index is None:
            raise NotFound("search is unavailable: the index was not built")
        ids = await ctx.call(ctx.search_index.search, text, first)
        return [to_node(r) for r in await records(info, ids)]


class WenzeSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        """Nothing here: ``api.errors.format_error`` logs the unexpected errors (expected ones are not noise)."""


def build_schema(settings: Settings | None = None) -> strawberry.Schema:
    """The schema with its guard: cached parse and validation, depth and complexity limits."""
    settings = settings or Settings()
    return WenzeSchema(
        query=Query,
        extensions=[guard_factory(settings.max_query_depth, settings.max_query_complexity)],
    )


__all__ = ["Query", "build_schema", "sdl"]


def sdl() -> str:
    """The SDL committed as api/schema.graphql (regenerate with ``python -m api.schema``)."""
    return build_schema().as_str() + "\n"


if __name__ == "__main__":
    from pathlib import Path

    target = Path(__file__).with_name("schema.graphql")
    target.write_text(sdl(), encoding="utf-8")
    print(f"wrote {target}")
