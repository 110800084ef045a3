"""The GraphQL schema (CONTRACT §3, extended): the ``Query`` root and ``build_schema``.

schema = build_schema(Settings())
print(schema.as_str())            # what api/schema.graphql holds
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Annotated, Any

import strawberry
from graphql import GraphQLError
from strawberry.permission import BasePermission
from strawberry.types import ExecutionContext, ExecutionResult, Info
from strawberry.types.graphql import OperationType

from api.errors import BadUserInput, NotFound
from api.investigations import InvestigationQuery, Mutation
from api.limits import REQUESTED_OPERATION, SIZE_ARGUMENTS, guard_extensions
from api.permissions import CanRead
from api.scope import reset_backstop, use_backstop
from api.settings import Settings
from api.types import all_nodes  # noqa: F401  (every node type registers itself)
from api.types.arguments import UNSET, AsOf, DateFrom, DateTo
from api.types.campaign import Campaign
from api.types.case import Case
from api.types.chain import AccountabilityChain, chain_objects
from api.types.enums import IssueStatus, RegionLevel
from api.types.issue import Issue, issue_connection
from api.types.network import NetworkQuery
from api.types.node import Node, node_by_id, records, to_node
from api.types.official import Official
from api.types.organisation import Organisation
from api.types.pagination import DEFAULT_PAGE, After, Connection, First, check_first
from api.types.region import Region
from api.types.scoped import STATUS_DESCRIPTION
from api.types.stats import FourFormsStats, StatsFilter, four_forms_stats
from api.types.study_stats import DutyReportStats, StudyStats, duty_report_stats, study_stats
from api.types.subgraph import Subgraph, subgraph_object
from api.types.workbench import WorkbenchQuery
from graph import queries
from schema.model import MAX_NEIGHBOURHOOD_DEPTH, MAX_PATH_HOPS, NODE_KINDS

MAX_SEARCH = 100
MAX_NODES = SIZE_ARGUMENTS["limit"]
MAX_IDS = SIZE_ARGUMENTS["ids"]
MAX_PATHS = 50


def _id_of(kind: str) -> str:
    return f"{NODE_KINDS[kind].label} id (the {kind}'s id)."


# The `id` argument of the fields that find one node.
AnyId = Annotated[strawberry.ID, strawberry.argument(description="节点 id (the id of a node of any kind).")]
OfficialId = Annotated[strawberry.ID, strawberry.argument(description=_id_of("Official") + " A personnel number.")]
OrganisationId = Annotated[strawberry.ID, strawberry.argument(description=_id_of("Organisation"))]
RegionCode = Annotated[strawberry.ID, strawberry.argument(description="区划代码 (the region's GB/T 2260 code).")]
IssueId = Annotated[strawberry.ID, strawberry.argument(description=_id_of("Issue"))]
CaseId = Annotated[strawberry.ID, strawberry.argument(description=_id_of("Case"))]
CampaignId = Annotated[strawberry.ID, strawberry.argument(description=_id_of("Campaign"))]


@strawberry.input(description="Which issues: every given criterion must hold.")
class IssueFilter:
    status: list[IssueStatus] | None = strawberry.field(default=None, description=STATUS_DESCRIPTION)
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
    organisation_id: strawberry.ID | None = strawberry.field(
        default=None, description="单位 (organisation): only issues AT this organisation."
    )


def _read() -> list[type[BasePermission]]:
    return [CanRead]


@strawberry.type(description="问责: the rule-of-law accountability graph.")
class Query(WorkbenchQuery, NetworkQuery, InvestigationQuery):
    @strawberry.field(permission_classes=_read(), description="Any node by id (null when absent).")
    async def node(self, info: Info, id: AnyId) -> Node | None:
        return await node_by_id(info, str(id))

    @strawberry.field(
        permission_classes=_read(),
        description=f"Several nodes by id (at most {MAX_IDS}), absent ones left out, in the order given.",
    )
    async def nodes(
        self,
        info: Info,
        ids: Annotated[
            list[strawberry.ID],
            strawberry.argument(description=f"节点 id (the ids asked for), 0 to {MAX_IDS} of them."),
        ],
    ) -> list[Node]:
        check_first(len(ids), MAX_IDS, "ids")
        return [to_node(r) for r in await records(info, [str(i) for i in ids])]

    @strawberry.field(permission_classes=_read(), description="干部 (an official) by id; null when absent.")
    async def official(self, info: Info, id: OfficialId) -> Official | None:
        return await node_by_id(info, str(id), "Official")

    @strawberry.field(permission_classes=_read(), description="单位 (an organisation) by id; null when absent.")
    async def organisation(self, info: Info, id: OrganisationId) -> Organisation | None:
        return await node_by_id(info, str(id), "Organisation")

    @strawberry.field(permission_classes=_read(), description="A region by its GB/T 2260 code.")
    async def region(self, info: Info, id: RegionCode) -> Region | None:
        return await node_by_id(info, str(id), "Region")

    @strawberry.field(permission_classes=_read(), description="Regions of a level, or the top-level regions.")
    async def regions(
        self,
        info: Info,
        level: Annotated[
            RegionLevel | None,
            strawberry.argument(
                description="行政级别 (level): only regions of this level; omit for the top-level regions."
            ),
        ] = None,
    ) -> list[Region]:
        ctx = info.context
        recs = await ctx.call(queries.records_from_scan, ctx.store, "Region")
        if level is None:
            ids = [r["id"] for r in recs]
            with_parent = {e.source for e in await ctx.call(ctx.store.edges, ids, ("PART_OF",), "out")}
            recs = [r for r in recs if r["id"] not in with_parent]
        else:
            recs = [r for r in recs if r.get("level") == level]
        return [to_node(r) for r in sorted(recs, key=lambda r: r["id"])]

    @strawberry.field(permission_classes=_read(), description="问题 (an issue) by id; null when absent.")
    async def issue(self, info: Info, id: IssueId) -> Issue | None:
        return await node_by_id(info, str(id), "Issue")

    @strawberry.field(permission_classes=_read(), name="case", description="案件 (a case) by id; null when absent.")
    async def case_(self, info: Info, id: CaseId) -> Case | None:
        return await node_by_id(info, str(id), "Case")

    @strawberry.field(permission_classes=_read(), description="专项 (a campaign) by id; null when absent.")
    async def campaign(self, info: Info, id: CampaignId) -> Campaign | None:
        return await node_by_id(info, str(id), "Campaign")

    @strawberry.field(permission_classes=_read(), description="Every campaign, by id.")
    async def campaigns(self, info: Info) -> list[Campaign]:
        ctx = info.context
        recs = await ctx.call(queries.records_from_scan, ctx.store, "Campaign")
        return [to_node(r) for r in sorted(recs, key=lambda r: r["id"])]

    @strawberry.field(permission_classes=_read(), description="Issues matching a filter, oldest found first.")
    async def issues(
        self,
        info: Info,
        filter: Annotated[
            IssueFilter | None, strawberry.argument(description="筛选条件 (which issues); omit for every issue.")
        ] = None,
        first: First = DEFAULT_PAGE,
        after: After = None,
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
        self,
        info: Info,
        name_contains: Annotated[
            str | None, strawberry.argument(description="姓名包含 (only officials whose name contains this text).")
        ] = None,
        first: First = DEFAULT_PAGE,
        after: After = None,
    ) -> Connection[Official]:
        from api.types.pagination import paginate

        check_first(first)
        ctx = info.context
        if ctx.search_index is None:
            raise NotFound("the official list is unavailable: the search index was not built")
        # The search index holds every official's name: the list is paged there, and only the
        # page's records are read from the store.
        listed = getattr(ctx.store, "ids_of_kind", None)
        if name_contains:
            ids = await ctx.call(ctx.search_index.containing, "Official", "name", name_contains)
            ids = await visible_only(ctx, ids, "Official")
        elif listed is not None and (mine := await ctx.call(listed, "Official")) is not None:
            ids = mine  # a scoped caller: the officials of its regions, sorted by id as the index's
        else:
            ids = await ctx.call(ctx.search_index.ids_of, "Official")
        page_ids, total, page_info = paginate(ids, first, after)
        page = await records(info, page_ids)
        return Connection(nodes=[to_node(r) for r in page], total_count=total, page_info=page_info)

    @strawberry.field(
        permission_classes=_read(),
        description="The whole chain of an issue: responsibility, steps, "
        "clue → case, measures, transfers, exposures, "
        "documents, stage and overdue items as of `asOf` "
        "(default today). Null when the issue does not exist.",
    )
    async def chain(
        self,
        info: Info,
        issue_id: Annotated[strawberry.ID, strawberry.argument(description="问题 id (the issue whose chain).")],
        as_of: AsOf = None,
    ) -> AccountabilityChain | None:
        found = await chain_objects(info, [str(issue_id)], as_of or info.context.today)
        return found[0] if found else None

    @strawberry.field(
        permission_classes=_read(),
        description="四种形态 figures with exactly the CONTRACT §3 semantics (see StatsFilter).",
    )
    async def four_forms(
        self,
        info: Info,
        filter: Annotated[
            StatsFilter | None, strawberry.argument(description="统计范围 (scope); omit to count everything.")
        ] = UNSET,
    ) -> FourFormsStats:
        return await four_forms_stats(info, filter)

    @strawberry.field(
        permission_classes=_read(),
        description="述法 figures of a year: reports, reporters, by role, form, grade and reviewing organisation.",
    )
    async def duty_report_stats(
        self, info: Info, year: Annotated[int, strawberry.argument(description="年度 (the year of the reports).")]
    ) -> DutyReportStats:
        return await duty_report_stats(info, year)

    @strawberry.field(
        permission_classes=_read(),
        description="学习培训 figures: events and attendance by kind (from/to inclusive on the event date).",
    )
    async def study_stats(
        self,
        info: Info,
        date_from: DateFrom = None,
        date_to: DateTo = None,
    ) -> StudyStats:
        return await study_stats(info, date_from, date_to)

    @strawberry.field(
        permission_classes=_read(),
        description=f"Nodes within `depth` (≤ {MAX_NEIGHBOURHOOD_DEPTH}) hops of a node, at most "
        f"`limit` (≤ {MAX_NODES}) of them, and the edges found between "
        "them.",
    )
    async def neighbourhood(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="中心节点 id (the node at the centre).")],
        depth: Annotated[
            int,
            strawberry.argument(
                description="跳数 (depth): how many hops from the node, "
                f"0 (the node alone) to {MAX_NEIGHBOURHOOD_DEPTH}."
            ),
        ] = 1,
        limit: Annotated[
            int, strawberry.argument(description=f"节点上限 (limit): the most nodes returned, 1 to {MAX_NODES}.")
        ] = 200,
    ) -> Subgraph:
        if not 0 <= depth <= MAX_NEIGHBOURHOOD_DEPTH:
            raise BadUserInput(f"'depth' must be between 0 and {MAX_NEIGHBOURHOOD_DEPTH} (got {depth})")
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
        f"≤ {MAX_PATH_HOPS} edges, up to `limit` paths) between two nodes.",
    )
    async def paths(
        self,
        info: Info,
        from_id: Annotated[
            strawberry.ID, strawberry.argument(name="from", description="起点 id (the node the paths start from).")
        ],
        to_id: Annotated[
            strawberry.ID, strawberry.argument(name="to", description="终点 id (the node the paths end at).")
        ],
        max_hops: Annotated[
            int,
            strawberry.argument(
                description=f"最大跳数 (maxHops): the longest path looked for, in edges, 1 to {MAX_PATH_HOPS}."
            ),
        ] = 4,
        limit: Annotated[
            int, strawberry.argument(description=f"路径上限 (limit): the most paths returned, 1 to {MAX_PATHS}.")
        ] = 10,
    ) -> Subgraph:
        if not 1 <= max_hops <= MAX_PATH_HOPS:
            raise BadUserInput(f"'maxHops' must be between 1 and {MAX_PATH_HOPS} (got {max_hops})")
        if not 1 <= limit <= MAX_PATHS:
            raise BadUserInput(f"'limit' must be between 1 and {MAX_PATHS} (got {limit})")
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
    async def search(
        self,
        info: Info,
        text: Annotated[
            str, strawberry.argument(description="检索词 (text): a Chinese substring, or pinyin in full or initials.")
        ],
        first: Annotated[
            int, strawberry.argument(description=f"结果条数 (how many results, best first), 0 to {MAX_SEARCH}.")
        ] = 20,
    ) -> list[Node]:
        check_first(first, MAX_SEARCH)
        ctx = info.context
        if not text.strip() or first == 0:
            return []
        if ctx.search_index is None:
            raise NotFound("search is unavailable: the index was not built")
        ids = await ranked_visible(ctx, ctx.search_index.search, text, first)
        return [to_node(r) for r in await records(info, ids)]


async def visible_only(ctx: Any, ids: list[str], kind: str | None = None) -> list[str]:
    """``ids`` (in their order) that the caller may see: the index knows every node, the caller not.
    With ``kind`` (every id of that kind) a long list is checked against the caller's whole list."""
    if kind is not None and (of_kind := getattr(ctx.store, "visible_of_kind", None)) is not None:
        return list(await ctx.call(of_kind, kind, ids))
    visible = getattr(ctx.store, "visible", None)
    if visible is None:
        return ids
    ok = await ctx.call(visible, ids)
    return [i for i in ids if i in ok]


async def ranked_visible(ctx: Any, search: Any, text: str, first: int) -> list[str]:
    """The best ``first`` visible results: ranking and the cut apply after the scope, so ask the
    index for more until enough are visible or it has no more."""
    if getattr(ctx.store, "visible", None) is None:
        return list(await ctx.call(search, text, first))
    ask = first * 3 + 10
    while True:
        ids = await ctx.call(search, text, ask)
        kept = await visible_only(ctx, ids)
        if len(kept) >= first or len(ids) < ask or ask > 100_000:
            return kept[:first]
        ask *= 4


class WenzeSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        """Nothing here: ``api.errors.format_error`` logs the unexpected errors (expected ones are not noise)."""

    async def execute(
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        allowed_operation_types: Iterable[OperationType] | None = None,
        operation_extensions: dict[str, Any] | None = None,
    ) -> ExecutionResult:
        """strawberry's execute, with the operationName as given kept for the GetOperation check (api.limits).

        strawberry substitutes the first operation's name when none is given, so the extensions cannot tell
        "none given" from "the first one named"; a document with several operations needs the difference.
        """
        token = REQUESTED_OPERATION.set((operation_name,))
        backstop = getattr(context_value, "backstop", None)
        noted = use_backstop(backstop)
        try:
            result = await super().execute(
                query,
                variable_values,
                context_value,
                root_value,
                operation_name,
                allowed_operation_types,
                operation_extensions,
            )
            if backstop is not None and context_value is not None:
                await context_value.call(backstop.settle)
            return result
        finally:
            reset_backstop(noted)
            REQUESTED_OPERATION.reset(token)


def build_schema(settings: Settings | None = None) -> strawberry.Schema:
    """The schema with its guard: token limit, cached parse and validation, depth and complexity limits."""
    settings = settings or Settings()
    return WenzeSchema(
        query=Query,
        mutation=Mutation,
        extensions=guard_extensions(settings.max_query_depth, settings.max_query_complexity),
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
