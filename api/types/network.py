"""Network analytics and constrained k-shortest paths for the explorer (issue 14).

    { networkAnalytics(nodeIds: ["OFF-ZW", "CASE-1", "M-2"]) { nodeCount communityCount
        nodes { id degree betweenness coreNumber community } } }
    { networkAnalytics(anchor: "OFF-ZW", depth: 2, excludeKinds: ["IN_REGION"]) { modularity json } }
    { linksAmong(nodeIds: ["OFF-ZW", "OFF-WQ", "CASE-1"]) { json } }
    { kShortestPaths(from: "OFF-ZW", to: "OFF-LN", k: 3, excludeKinds: ["CONCERNS"],
                     validFrom: "2023-01-01", validTo: "2023-03-10") {
        truncated paths { length nodeIds edges { id type } } subgraph { json } } }

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
from graph.queries import analytics, json_value
from schema.model import MAX_NEIGHBOURHOOD_DEPTH, MAX_PATH_HOPS

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
