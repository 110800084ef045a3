"""Network analytics and constrained k-shortest paths for the explorer (issue 14).

    { networkAnalytics(nodeIds: ["OFF-ZW", "CASE-1", "M-2"]) { nodeCount communityCount
        nodes { id degree betweenness coreNumber community } } }
    { networkAnalytics(anchor: "OFF-ZW", depth: 2, excludeKinds: ["IN_REGION"]) { modularity json } }
    { linksAmong(nodeIds: ["OFF-ZW", "OFF-WQ", "CASE-1"]) { json } }
    { kShortestPaths(from: "OFF-ZW", to: "OFF-LN", k: 3, excludeKinds: ["CONCERNS"],
                     validFrom: "2023-01-01", validTo: "2023-03-10") {
        truncated paths { length nodeIds edges { id type } } subgraph { json } } }
    { expandNode(id: "620000", visible: 4800) { capped message subgraph { json }
        aggregate { neighbourCount byKind { key label count } byRegion { key label count } } } }

Additive: ``Query`` in api/schema.py inherits ``NetworkQuery``. The numbers come from
``graph.queries.analytics`` (networkx on a subgraph read through the request's store, so whatever
scope the store applies, the measures see the same nodes the caller may see).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, cast

import strawberry
from strawberry.permission import BasePermission
from strawberry.scalars import JSON
from strawberry.types import Info

from api.errors import BadUserInput, NotFound, QueryTooComplex
from api.permissions import CanRead
from api.types.subgraph import Edge, Subgraph, subgraph_object
from graph.port import Edge as PortEdge
from graph.port import GraphStore
from graph.queries import aggregate as agg
from graph.queries import analytics, json_value
from graph.queries.labels import labels_for
from graph.queries.superiors import SuperiorInOffice as Superior
from graph.queries.superiors import superiors_for
from schema.model import MAX_NEIGHBOURHOOD_DEPTH, MAX_PATH_HOPS, NODE_KINDS, REL_KINDS

CAP = analytics.MAX_ANALYTICS_NODES

ExcludeKinds = Annotated[
    list[str] | None,
    strawberry.argument(
        description="排除的关系类型 (relationship kinds not to use, e.g. IN_REGION, PART_OF); omit to use every kind."
    ),
]


def _read() -> list[type[BasePermission]]:
    return [CanRead]


@strawberry.type(description="One node's network measures within the subgraph analysed.")
class NodeMeasure:
    id: strawberry.ID = strawberry.field(description="节点 id (the node measured).")
    degree: int = strawberry.field(description="度 (degree): distinct neighbours within the subgraph.")
    betweenness: float = strawberry.field(
        description="中介中心性 (betweenness centrality, normalised 0–1): how often it lies on shortest paths."
    )
    core_number: int = strawberry.field(description="k 核 (core number): the largest k of a k-core holding the node.")
    community: int = strawberry.field(
        description="社区编号 (Louvain community): 0 is the largest community, 1 the next, …"
    )


@strawberry.type(description="Network measures over a subgraph: Louvain communities, betweenness, degree, k-core.")
class NetworkAnalytics:
    data: strawberry.Private[analytics.Analytics]
    node_count: int = strawberry.field(description="节点数 (nodes analysed: those of the request that exist).")
    edge_count: int = strawberry.field(description="关系数 (relationships among them, parallel ones counted).")
    community_count: int = strawberry.field(description="社区数 (how many Louvain communities were found).")
    modularity: float = strawberry.field(description="模块度 (the modularity of those communities).")
    max_core: int = strawberry.field(description="最大 k 核 (the largest core number).")
    betweenness_pivots: int | None = strawberry.field(
        description=f"null: betweenness is exact; otherwise the number of sampled pivots it was estimated from "
        f"(above {analytics.EXACT_BETWEENNESS_NODES} nodes)."
    )
    seed: int = strawberry.field(description="随机种子 (the fixed seed of Louvain and pivot sampling).")
    nodes: list[NodeMeasure] = strawberry.field(description="每个节点的指标 (each node's measures, by id).")

    @strawberry.field(
        description="The measures as one JSON object keyed by node id: {id: {degree, betweenness, core, community}}."
    )
    def json(self) -> JSON:
        return cast(JSON, analytics.as_json(self.data))


@strawberry.type(description="One path: its relationships from the start to the end node.")
class GraphPath:
    length: int = strawberry.field(description="跳数 (hops: the nodes on the path minus one).")
    node_ids: list[strawberry.ID] = strawberry.field(description="途经节点 (the nodes in order, start to end).")
    edges: list[Edge] = strawberry.field(
        description="关系 (the relationships in order; parallel ones between two nodes are all listed)."
    )


@strawberry.type(description="k shortest paths between two nodes, with kinds excluded and a time window.")
class PathSearch:
    paths: list[GraphPath] = strawberry.field(description="路径 (shortest first).")
    subgraph: Subgraph = strawberry.field(description="所有路径合成的子图 (every path's nodes and edges, as one).")
    truncated: bool = strawberry.field(description="True when more paths exist than `k`, or a hub cut the search.")


@strawberry.type(description="一项计数 (one line of an aggregate).")
class AggregateCount:
    key: str = strawberry.field(description="键 (a node kind, a relationship kind or a region code; '' for none).")
    label: str = strawberry.field(description="名称 (its Chinese name).")
    count: int = strawberry.field(description="数量 (how many).")


@strawberry.type(description="邻居汇总 (a node's neighbours counted instead of drawn, past the element cap).")
class NeighbourAggregate:
    node_id: strawberry.ID = strawberry.field(description="被展开的节点 (the node expanded).")
    neighbour_count: int = strawberry.field(description="邻居数 (distinct neighbours).")
    relationship_count: int = strawberry.field(description="关系数 (relationships to them).")
    at_least: bool = strawberry.field(
        description=f"True when more than {agg.READ_LIMIT} relationships exist: the counts are lower bounds."
    )
    by_kind: list[AggregateCount] = strawberry.field(description="按类别 (neighbours by node kind, largest first).")
    by_relationship: list[AggregateCount] = strawberry.field(
        description="按关系类型 (relationships by kind, largest first)."
    )
    by_region: list[AggregateCount] = strawberry.field(
        description=f"按区划 (neighbours by the most specific region of their jurisdiction; the {agg.TOP_REGIONS} "
        "largest)."
    )


@strawberry.type(description="展开结果 (an expand: the subgraph, or past the element cap an aggregate and why).")
class Expansion:
    capped: bool = strawberry.field(description="True: past the cap, nothing to draw; see `aggregate`.")
    message: str = strawberry.field(description="说明 (why the aggregate came instead; empty otherwise).")
    cap: int = strawberry.field(description="元素上限 (the cap applied: nodes + relationships on screen).")
    visible: int = strawberry.field(description="画面已有元素 (what the caller said it shows).")
    would_add: int = strawberry.field(description="将新增元素 (neighbours + relationships the expand brings).")
    subgraph: Subgraph | None = strawberry.field(description="子图 (the node, its neighbours, those relationships).")
    aggregate: NeighbourAggregate | None = strawberry.field(description="汇总 (the counts, past the cap).")


def _counts(items: list[agg.Count], names: dict[str, str]) -> list[AggregateCount]:
    return [AggregateCount(key=c.key, label=names.get(c.key, c.key or "无"), count=c.count) for c in items]


def _aggregate_object(a: agg.Aggregate) -> NeighbourAggregate:
    kinds = {k: v.label for k, v in NODE_KINDS.items()}
    rels = {k: v.label for k, v in REL_KINDS.items()}
    return NeighbourAggregate(
        node_id=strawberry.ID(a.node),
        neighbour_count=a.neighbours,
        relationship_count=a.relationships,
        at_least=a.at_least,
        by_kind=_counts(a.by_kind, kinds),
        by_relationship=_counts(a.by_relationship, rels),
        by_region=_counts(a.by_region, {**a.region_names, "": "无区划"}),
    )


@strawberry.type(description="上级在任者 (a principal of the organisation above an issue's, in office on its date).")
class SuperiorInOffice:
    official_id: strawberry.ID = strawberry.field(description="干部 id.")
    official_name: str = strawberry.field(description="姓名.")
    organisation_id: strawberry.ID = strawberry.field(description="上级单位 id (the organisation above).")
    organisation_name: str = strawberry.field(description="上级单位名称.")
    title: str | None = strawberry.field(description="职务 (the post's title).")
    acting: bool = strawberry.field(description="是否代理 (an acting holder).")
    start: date | None = strawberry.field(description="任职起 (the post's first day).")
    end: date | None = strawberry.field(description="任职止 (its last day; null: still held).")
    on: date = strawberry.field(description="认定日期 (the issue's date: occurrence, else discovery).")
    via: str = strawberry.field(description="UNDER (the parent organisation) or region (the region above's).")


def _superiors(store: GraphStore, issue: str) -> tuple[list[Superior], dict[str, str]] | None:
    found = superiors_for(store, issue)
    if found is None:
        return None
    recs = store.get_nodes(sorted({i for s in found for i in (s.official, s.organisation)}))
    return found, labels_for(store, recs.values())


def _kinds(exclude: list[str] | None) -> tuple[str, ...]:
    try:
        return analytics.check_kinds(exclude or ())
    except ValueError as e:
        raise BadUserInput(str(e)) from None


def _analytics_object(result: analytics.Analytics) -> NetworkAnalytics:
    return NetworkAnalytics(
        data=result,
        node_count=len(result.nodes),
        edge_count=result.edge_count,
        community_count=result.communities,
        modularity=result.modularity,
        max_core=result.max_core,
        betweenness_pivots=result.betweenness_pivots,
        seed=analytics.SEED,
        nodes=[
            NodeMeasure(
                id=strawberry.ID(m.id),
                degree=m.degree,
                betweenness=m.betweenness,
                core_number=m.core_number,
                community=m.community,
            )
            for m in result.nodes
        ],
    )


def _path_object(nodes: list[str], path: list[PortEdge]) -> GraphPath:
    return GraphPath(length=len(nodes) - 1, node_ids=[strawberry.ID(i) for i in nodes], edges=[_edge(e) for e in path])


def _edge(e: PortEdge) -> Edge:
    props = {k: json_value(v) for k, v in e.props.items() if v is not None}
    return Edge(
        id=strawberry.ID(e.id),
        type=e.type,
        source=strawberry.ID(e.source),
        target=strawberry.ID(e.target),
        properties=cast(JSON, props) if props else None,
    )


@strawberry.type
class NetworkQuery:
    @strawberry.field(
        permission_classes=_read(),
        description=f"网络分析 (network analytics) with networkx over a subgraph: the given nodes (those on "
        f"screen) and/or an anchor's neighbourhood; Louvain communities (fixed seed), betweenness, degree "
        f"and k-core. More than {CAP} nodes are refused with QUERY_TOO_COMPLEX.",
    )
    async def network_analytics(
        self,
        info: Info,
        node_ids: Annotated[
            list[strawberry.ID] | None,
            strawberry.argument(description=f"节点 id (the nodes to analyse, e.g. those on screen), at most {CAP}."),
        ] = None,
        anchor: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="中心节点 (analyse this node's neighbourhood, with the given nodes)."),
        ] = None,
        depth: Annotated[
            int,
            strawberry.argument(
                description=f"跳数 (depth of the anchor's neighbourhood), 0 to {MAX_NEIGHBOURHOOD_DEPTH}."
            ),
        ] = 1,
        exclude_kinds: ExcludeKinds = None,
    ) -> NetworkAnalytics:
        ids = [str(i) for i in node_ids or ()]
        if anchor is None and not ids:
            raise BadUserInput("请给出 nodeIds 或 anchor。 Give nodeIds or an anchor.")
        if len(ids) > CAP:
            raise QueryTooComplex(str(analytics.SubgraphTooLarge(len(ids))))
        if not 0 <= depth <= MAX_NEIGHBOURHOOD_DEPTH:
            raise BadUserInput(f"'depth' must be between 0 and {MAX_NEIGHBOURHOOD_DEPTH} (got {depth})")
        kinds = _kinds(exclude_kinds)
        ctx = info.context
        try:
            result = await ctx.call(
                analytics.analyse, ctx.store, ids, None if anchor is None else str(anchor), depth, kinds
            )
        except analytics.SubgraphTooLarge as e:
            raise QueryTooComplex(str(e)) from None
        except LookupError:
            raise NotFound(f"no node with id {str(anchor)!r}") from None
        return _analytics_object(result)

    @strawberry.field(
        permission_classes=_read(),
        description=f"显示节点之间的关系 (the relationships among the given nodes, e.g. those on screen; at most "
        f"{CAP} ids), with those nodes. More ids are refused with QUERY_TOO_COMPLEX.",
    )
    async def links_among(
        self,
        info: Info,
        node_ids: Annotated[
            list[strawberry.ID], strawberry.argument(description=f"节点 id (the nodes on screen), at most {CAP}.")
        ],
        exclude_kinds: ExcludeKinds = None,
    ) -> Subgraph:
        ids = [str(i) for i in node_ids]
        if len(ids) > CAP:
            raise QueryTooComplex(str(analytics.SubgraphTooLarge(len(ids))))
        kinds = _kinds(exclude_kinds)
        ctx = info.context
        return subgraph_object(await ctx.call(analytics.links_among, ctx.store, ids, kinds))

    @strawberry.field(
        permission_classes=_read(),
        description=f"k 条最短路径 (k shortest loopless paths, any direction, at most `maxHops` ≤ {MAX_PATH_HOPS} "
        "relationships) between two nodes, not using the excluded kinds, nor dated relationships (HELD_POST "
        "start/end, REVIEWED_BY date) outside the window.",
    )
    async def k_shortest_paths(
        self,
        info: Info,
        from_id: Annotated[
            strawberry.ID, strawberry.argument(name="from", description="起点 id (the node the paths start from).")
        ],
        to_id: Annotated[
            strawberry.ID, strawberry.argument(name="to", description="终点 id (the node the paths end at).")
        ],
        k: Annotated[
            int, strawberry.argument(description=f"路径条数 (k: the most paths), 1 to {analytics.MAX_K_PATHS}.")
        ] = 5,
        max_hops: Annotated[
            int, strawberry.argument(description=f"最大跳数 (the longest path, in hops), 1 to {MAX_PATH_HOPS}.")
        ] = 4,
        exclude_kinds: ExcludeKinds = None,
        valid_from: Annotated[
            date | None,
            strawberry.argument(
                description="时间窗起 (window start): dated relationships ending before it are skipped."
            ),
        ] = None,
        valid_to: Annotated[
            date | None,
            strawberry.argument(
                description="时间窗止 (window end): dated relationships starting after it are skipped."
            ),
        ] = None,
    ) -> PathSearch:
        if not 1 <= max_hops <= MAX_PATH_HOPS:
            raise BadUserInput(f"'maxHops' must be between 1 and {MAX_PATH_HOPS} (got {max_hops})")
        if not 1 <= k <= analytics.MAX_K_PATHS:
            raise BadUserInput(f"'k' must be between 1 and {analytics.MAX_K_PATHS} (got {k})")
        if valid_from and valid_to and valid_from > valid_to:
            raise BadUserInput(f"时间窗起点晚于终点 'validFrom' {valid_from} is after 'validTo' {valid_to}")
        kinds = _kinds(exclude_kinds)
        ctx = info.context
        source, target = str(from_id), str(to_id)
        found = await ctx.call(
            analytics.k_shortest_paths, ctx.store, source, target, k, max_hops, kinds, (valid_from, valid_to)
        )
        if found is None:
            raise NotFound(f"no node with id {source!r} or {target!r}")
        sub = await ctx.call(analytics.paths_subgraph, ctx.store, found, [source, target])
        return PathSearch(
            paths=[_path_object(n, p) for n, p in zip(found.node_paths, found.paths, strict=True)],
            subgraph=subgraph_object(sub),
            truncated=found.truncated,
        )

    @strawberry.field(
        permission_classes=_read(),
        description=f"展开节点 (guarded expand): the node's neighbours through the given relationship kinds, valid "
        f"in the window, as a subgraph while what is shown plus what it adds stays within the cap (at most "
        f"{agg.ELEMENT_CAP} elements); past it, counts by kind and by region instead, with a message.",
    )
    async def expand_node(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="节点 id (the node to expand).")],
        visible: Annotated[
            int, strawberry.argument(description="画面已有元素数 (nodes + relationships already on screen).")
        ] = 0,
        cap: Annotated[
            int, strawberry.argument(description=f"元素上限 (the cap, 1 to {agg.ELEMENT_CAP}).")
        ] = agg.ELEMENT_CAP,
        kinds: Annotated[
            list[str] | None,
            strawberry.argument(description="关系类型 (the relationship kinds to follow); omit for every kind."),
        ] = None,
        valid_from: Annotated[
            date | None, strawberry.argument(description="时间窗起 (dated relationships ending before it are left).")
        ] = None,
        valid_to: Annotated[
            date | None, strawberry.argument(description="时间窗止 (dated relationships starting after it are left).")
        ] = None,
    ) -> Expansion:
        if not 1 <= cap <= agg.ELEMENT_CAP:
            raise BadUserInput(f"'cap' must be between 1 and {agg.ELEMENT_CAP} (got {cap})")
        if visible < 0:
            raise BadUserInput(f"'visible' must not be negative (got {visible})")
        if valid_from and valid_to and valid_from > valid_to:
            raise BadUserInput(f"时间窗起点晚于终点 'validFrom' {valid_from} is after 'validTo' {valid_to}")
        allowed = _kinds(kinds)
        ctx = info.context
        node = str(id)
        grown = await ctx.call(agg.expand, ctx.store, node, visible, cap, allowed, (valid_from, valid_to))
        if grown is None:
            raise NotFound(f"no node with id {node!r}")
        return Expansion(
            capped=grown.capped,
            message=grown.message(),
            cap=grown.cap,
            visible=grown.visible,
            would_add=grown.would_add,
            subgraph=None if grown.subgraph is None else subgraph_object(grown.subgraph),
            aggregate=None if grown.aggregate is None else _aggregate_object(grown.aggregate),
        )

    @strawberry.field(
        permission_classes=_read(),
        description="问题发生时的上级在任者 (the 党政主要负责人, on the issue's date, of the nearest organisation "
        "above the issue's organisation that had any: its UNDER parent, else the governing body of the region "
        "above). Null when the id is not an issue.",
    )
    async def superiors_in_office(
        self, info: Info, issue: Annotated[strawberry.ID, strawberry.argument(description="问题 id (an issue).")]
    ) -> list[SuperiorInOffice] | None:
        ctx = info.context
        got = await ctx.call(_superiors, ctx.store, str(issue))
        if got is None:
            return None
        found, names = got
        return [
            SuperiorInOffice(
                official_id=strawberry.ID(s.official),
                official_name=names.get(s.official, s.official),
                organisation_id=strawberry.ID(s.organisation),
                organisation_name=names.get(s.organisation, s.organisation),
                title=s.post.title,
                acting=s.post.acting,
                start=s.post.start,
                end=s.post.end,
                on=s.on,
                via=s.via,
            )
            for s in found
        ]
