"""Network analytics for the explorer, with networkx on a subgraph projected through the port.

    project(store, ["OFF-ZW", "ORG-CG-TRAFFIC", "ISS-1"])                 # nx.Graph of what is on screen
    analyse(store, ids=["OFF-ZW", …]).nodes[0]                           # NodeMeasures(id=…, degree=…, …)
    analyse(store, anchor="OFF-ZW", depth=2).communities                 # how many Louvain communities
    k_shortest_paths(store, "OFF-ZW", "OFF-LN", k=3, exclude=("IN_REGION",),
                     window=(date(2023, 1, 1), date(2023, 3, 10)))       # [[Edge, …], …], shortest first

Every read goes through ``store.get_nodes`` / ``store.edges`` (and ``neighbourhood`` for an anchor), so a
scoped store (the jurisdiction scope) limits what is measured exactly as it limits what is shown.
The projected graph is simple and undirected: parallel relationships between two nodes (two posts in one
organisation) are one edge of weight 2 for Louvain; degree is the number of distinct neighbours.

The measures are computed by igraph's C core on the projected graph (networkx stays the graph model and
walks the paths): at 5,000 nodes networkx's pure-Python Louvain and betweenness took 2–3 s, igraph's
take a few hundredths of a second (bench/explorer.py prints the figures).

- Louvain communities: igraph's ``community_multilevel`` (Blondel et al.; the node order it shuffles drawn
  from ``random.Random(SEED)``, so the same subgraph gives the same communities), numbered by size,
  largest first (ties by smallest member id); modularity of that partition, weighted.
- Betweenness: normalised exactly as ``networkx.betweenness_centrality`` normalises it; exact up to
  ``EXACT_BETWEENNESS_NODES`` nodes, beyond that estimated from ``pivots_for(n)`` pivots: the same pivots
  ``networkx.betweenness_centrality(graph, k=pivots, seed=SEED)`` would draw, and the same estimate
  (tests/unit/test_network_measures.py checks both against networkx); ``betweenness_pivots`` says which.
- k-core: igraph's ``coreness`` (the core number of networkx's ``core_number``).

More than ``MAX_ANALYTICS_NODES`` nodes are refused with ``SubgraphTooLarge`` (the caller aggregates instead).
"""

from __future__ import annotations

import random
import threading
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from graph.port import Edge, GraphStore
from graph.queries.labels import labels_for
from graph.queries.subgraphs import Subgraph, neighbourhood
from schema.model import MAX_NEIGHBOURHOOD_DEPTH, MAX_PATH_HOPS, REL_KINDS

if TYPE_CHECKING:  # networkx and igraph take most of a second to import: imported where they are used
    import igraph as ig
    import networkx as nx

MAX_ANALYTICS_NODES = 5000
MAX_K_PATHS = 20
SEED = 2023
EXACT_BETWEENNESS_NODES = 1500
# Pivots × nodes stays near this above EXACT_BETWEENNESS_NODES (each pivot is one breadth-first search).
BETWEENNESS_BUDGET = EXACT_BETWEENNESS_NODES * EXACT_BETWEENNESS_NODES
MIN_BETWEENNESS_PIVOTS = 200
# Edges read per expansion round of a path search (a hub past this is not expanded further).
PATH_EDGE_BUDGET = 50_000

Window = tuple[date | None, date | None]


class SubgraphTooLarge(ValueError):
    """The subgraph asked for holds more nodes than ``MAX_ANALYTICS_NODES``."""

    def __init__(self, nodes: int, cap: int = MAX_ANALYTICS_NODES) -> None:
        super().__init__(
            f"子图节点过多（{nodes} 个，上限 {cap} 个），请缩小范围或改用统计汇总。"
            f" The subgraph has {nodes} nodes, more than the limit of {cap}: narrow it or use the aggregates."
        )
        self.nodes = nodes
        self.cap = cap


@dataclass(frozen=True)
class NodeMeasures:
    id: str
    degree: int
    betweenness: float
    core_number: int
    community: int


@dataclass(frozen=True)
class Analytics:
    nodes: list[NodeMeasures]  # in id order
    edge_count: int  # relationships among the nodes (parallel ones counted)
    communities: int
    modularity: float
    max_core: int
    betweenness_pivots: int | None  # None: exact

    def of(self, node_id: str) -> NodeMeasures | None:
        """The measures of one node, or None when it is not in the subgraph."""
        return next((m for m in self.nodes if m.id == node_id), None)


def check_kinds(kinds: Iterable[str]) -> tuple[str, ...]:
    """The relationship kinds, validated against the model (ValueError names the unknown ones)."""
    out = tuple(dict.fromkeys(kinds))
    unknown = [k for k in out if k not in REL_KINDS]
    if unknown:
        raise ValueError(f"未知的关系类型 unknown relationship kinds: {unknown}; expected some of {sorted(REL_KINDS)}")
    return out


def valid_in(edge: Edge, window: Window) -> bool:
    """Whether a relationship's own dates (HELD_POST start/end, REVIEWED_BY date) meet the window.

    A relationship without dates is always valid; an open end (no ``end``) runs to today and beyond.
    """
    lo, hi = window
    start = edge.props.get("start", edge.props.get("date"))
    end = edge.props.get("end", edge.props.get("date"))
    if hi is not None and isinstance(start, date) and start > hi:
        return False
    return not (lo is not None and isinstance(end, date) and end < lo)


def project(store: GraphStore, ids: Collection[str], exclude: Collection[str] = ()) -> tuple[nx.Graph, int]:
    """The simple undirected graph induced on ``ids`` (present nodes only), and how many relationships it holds.

    Refuses more than ``MAX_ANALYTICS_NODES`` ids before reading anything.
    """
    wanted = list(dict.fromkeys(ids))
    if len(wanted) > MAX_ANALYTICS_NODES:
        raise SubgraphTooLarge(len(wanted))
    excluded = set(check_kinds(exclude))
    present = set(store.kinds_of(wanted)) if wanted else set()
    import networkx as nx

    graph: nx.Graph = nx.Graph()
    graph.add_nodes_from(sorted(present))
    count = 0
    seen: set[Edge] = set()  # a record listed twice (Edge.id is computed on each call: not the key here)
    # "out": every relationship among the nodes leaves one of them (reads about 40 % less than "both").
    for e in store.edges(sorted(present), (), "out") if present else []:
        if e.type in excluded or e.source not in present or e.target not in present or e in seen:
            continue
        seen.add(e)
        count += 1
        if e.source == e.target:
            continue
        if graph.has_edge(e.source, e.target):
            graph[e.source][e.target]["weight"] += 1
        else:
            graph.add_edge(e.source, e.target, weight=1)
    return graph, count


def links_among(store: GraphStore, ids: Collection[str], exclude: Collection[str] = ()) -> Subgraph:
    """The relationships among ``ids`` (the links between what is on screen), with those nodes.

    Refuses more than ``MAX_ANALYTICS_NODES`` ids (``SubgraphTooLarge``); absent ids are left out.
    """
    wanted = list(dict.fromkeys(ids))
    if len(wanted) > MAX_ANALYTICS_NODES:
        raise SubgraphTooLarge(len(wanted))
    excluded = set(check_kinds(exclude))
    recs = store.get_nodes(wanted) if wanted else {}
    edges: dict[str, Edge] = {}
    for e in store.edges(sorted(recs), (), "out") if recs else []:
        if e.type not in excluded and e.source in recs and e.target in recs:
            edges.setdefault(e.id, e)
    nodes = [recs[i] for i in wanted if i in recs]
    return Subgraph(nodes, labels_for(store, nodes), sorted(edges.values(), key=lambda e: e.id), False)


def pivots_for(nodes: int) -> int | None:
    """Pivots for estimated betweenness: None (exact) up to ``EXACT_BETWEENNESS_NODES``; above, so that pivots ×
    nodes stays near ``BETWEENNESS_BUDGET`` (the cost of the exact answer at the threshold), but at least
    ``MIN_BETWEENNESS_PIVOTS``.

        pivots_for(1500), pivots_for(1501), pivots_for(5000)     # (None, 1499, 450)
    """
    if nodes <= EXACT_BETWEENNESS_NODES:
        return None
    return max(MIN_BETWEENNESS_PIVOTS, BETWEENNESS_BUDGET // nodes)


# igraph draws from one process-wide generator: each Louvain run sets a fresh seeded one under this lock.
_RNG_LOCK = threading.Lock()


def _as_igraph(graph: nx.Graph, order: Sequence[str]) -> ig.Graph:
    import igraph as ig

    index = {n: i for i, n in enumerate(order)}
    pairs = [(index[a], index[b]) for a, b in graph.edges()]
    out = ig.Graph(n=len(order), edges=pairs, directed=False)
    out.es["weight"] = [float(w) for _, _, w in graph.edges(data="weight", default=1)]
    return out


def _louvain(h: ig.Graph) -> list[int]:
    import igraph as ig

    with _RNG_LOCK:
        ig.set_random_number_generator(random.Random(SEED))
        try:
            return list(h.community_multilevel(weights="weight").membership)
        finally:
            ig.set_random_number_generator(random)


def betweenness(graph: nx.Graph, pivots: int | None) -> dict[str, float]:
    """Normalised betweenness of every node, as ``networkx.betweenness_centrality(graph, k=pivots, seed=SEED)``
    gives it (same pivots, same scaling), computed by igraph; ``pivots`` None: exact.

        betweenness(nx.path_graph("abc"), None)        # {'a': 0.0, 'b': 1.0, 'c': 0.0}
    """
    order = list(graph)
    return _betweenness(_as_igraph(graph, order), order, pivots)


def _betweenness(h: ig.Graph, order: list[str], pivots: int | None) -> dict[str, float]:
    """``betweenness`` on ``h``, whose vertex i is ``order[i]`` (``order``: the networkx graph's node order,
    the population networkx draws its pivots from)."""
    n = len(order)
    if n <= 2:
        return dict.fromkeys(order, 0.0)
    if pivots is None or pivots >= n:
        raw = h.betweenness(directed=False)  # each unordered pair once
        return {v: 2 * x / ((n - 1) * (n - 2)) for v, x in zip(order, raw, strict=True)}
    chosen = set(random.Random(SEED).sample(order, pivots))  # networkx's draw: seed.sample(list(G), k)
    index = {v: i for i, v in enumerate(order)}
    raw = h.betweenness(directed=False, sources=sorted(index[v] for v in chosen))
    # networkx 3.6 (endpoints excluded): a pivot is measured over k - 1 sources, any other node over k.
    src, other = 2 / ((pivots - 1) * (n - 2)), 2 / (pivots * (n - 2))
    return {v: x * (src if v in chosen else other) for v, x in zip(order, raw, strict=True)}


def measure(graph: nx.Graph, edge_count: int) -> Analytics:
    """Louvain communities, betweenness, degree and core number of every node of ``graph``."""
    if graph.number_of_nodes() == 0:
        return Analytics([], 0, 0, 0.0, 0, None)
    order = list(graph)  # project adds them sorted; the population of networkx's pivot draw either way
    h = _as_igraph(graph, order)
    membership = _louvain(h)
    groups: dict[int, list[str]] = {}
    for v, c in zip(order, membership, strict=True):
        groups.setdefault(c, []).append(v)
    ordered = sorted((sorted(c) for c in groups.values()), key=lambda c: (-len(c), c[0]))
    community = {v: i for i, members in enumerate(ordered) for v in members}
    renumbered = [community[v] for v in order]
    modularity = h.modularity(renumbered, weights="weight") if graph.number_of_edges() else 0.0
    pivots = pivots_for(len(order))
    between = _betweenness(h, order, pivots)
    core = dict(zip(order, h.coreness(), strict=True))
    nodes = [
        NodeMeasures(i, int(graph.degree(i)), float(between[i]), int(core[i]), community[i]) for i in sorted(order)
    ]
    return Analytics(nodes, edge_count, len(ordered), float(modularity), max(core.values()), pivots)


def analyse(
    store: GraphStore,
    ids: Collection[str] = (),
    anchor: str | None = None,
    depth: int = 1,
    exclude: Collection[str] = (),
) -> Analytics:
    """Measures over the given nodes, or over ``anchor``'s neighbourhood of ``depth`` hops (plus ``ids``).

    ``SubgraphTooLarge`` when the subgraph would hold more than ``MAX_ANALYTICS_NODES`` nodes;
    ``LookupError`` when the anchor does not exist.
    """
    wanted = list(dict.fromkeys(ids))
    if len(wanted) > MAX_ANALYTICS_NODES:
        raise SubgraphTooLarge(len(wanted))
    if anchor is not None:
        if not 0 <= depth <= MAX_NEIGHBOURHOOD_DEPTH:
            raise ValueError(f"depth must be between 0 and {MAX_NEIGHBOURHOOD_DEPTH}")
        sub = neighbourhood(store, anchor, depth, limit=MAX_ANALYTICS_NODES + 1)
        if sub is None:
            raise LookupError(f"no node with id {anchor!r}")
        if len(sub.nodes) > MAX_ANALYTICS_NODES or sub.truncated:
            raise SubgraphTooLarge(max(len(sub.nodes), MAX_ANALYTICS_NODES + 1))
        wanted = list(dict.fromkeys([n["id"] for n in sub.nodes] + wanted))
        if len(wanted) > MAX_ANALYTICS_NODES:
            raise SubgraphTooLarge(len(wanted))
    graph, count = project(store, wanted, exclude)
    return measure(graph, count)


def _expand(
    store: GraphStore, start: str, rounds: int, excluded: set[str], window: Window, edges: dict[str, Edge]
) -> bool:
    """Breadth-first from ``start`` for ``rounds`` rounds, keeping the allowed edges; True when a budget cut it."""
    seen = {start}
    frontier = [start]
    cut = False
    for _ in range(rounds):
        if not frontier:
            break
        found = store.edges(frontier, (), "both", limit=PATH_EDGE_BUDGET + 1)
        if len(found) > PATH_EDGE_BUDGET:
            cut = True
            found = found[:PATH_EDGE_BUDGET]
        nxt: list[str] = []
        for e in found:
            if e.type in excluded or not valid_in(e, window):
                continue
            edges[e.id] = e
            for nb in (e.source, e.target):
                if nb not in seen:
                    seen.add(nb)
                    nxt.append(nb)
        if len(seen) > MAX_ANALYTICS_NODES * 4:
            cut = True
            break
        frontier = nxt
    return cut


@dataclass(frozen=True)
class PathSearch:
    paths: list[list[Edge]]  # each from source to target, shortest first
    truncated: bool  # a budget cut the search, or more than k paths exist
    node_paths: list[list[str]] = field(default_factory=list)  # each path's nodes, source to target

    def node_ids(self) -> list[str]:
        """Every node on some path, in order of first appearance."""
        out: dict[str, None] = {}
        for path in self.paths:
            for e in path:
                out.setdefault(e.source, None)
                out.setdefault(e.target, None)
        return list(out)


def k_shortest_paths(
    store: GraphStore,
    source: str,
    target: str,
    k: int = 5,
    max_hops: int = 4,
    exclude: Collection[str] = (),
    window: Window = (None, None),
) -> PathSearch | None:
    """Up to ``k`` loopless paths of at most ``max_hops`` relationships, shortest first.

    Ties come in a stable order: the graph is built from the relationships sorted by id.

    Relationships of ``exclude`` kinds, and dated ones (HELD_POST start/end) outside ``window``, are not
    walked. Parallel relationships between two nodes on a path are listed with it (both posts, say).
    None when an end does not exist.
    """
    if not 1 <= max_hops <= MAX_PATH_HOPS:
        raise ValueError(f"maxHops must be between 1 and {MAX_PATH_HOPS}")
    if not 1 <= k <= MAX_K_PATHS:
        raise ValueError(f"k must be between 1 and {MAX_K_PATHS}")
    excluded = set(check_kinds(exclude))
    if len(store.kinds_of([source, target])) < len({source, target}):
        return None
    if source == target:
        return PathSearch([], False)
    edges: dict[str, Edge] = {}
    # Every path of length ≤ h has each edge touching a node within ceil(h/2) - 1 of the source or
    # floor(h/2) - 1 of the target, so expanding that far from each end finds all of them.
    cut = _expand(store, source, (max_hops + 1) // 2, excluded, window, edges)
    cut = _expand(store, target, max_hops // 2, excluded, window, edges) or cut
    import networkx as nx

    graph: nx.Graph = nx.Graph()
    between: dict[tuple[str, str], list[Edge]] = {}
    for e in sorted(edges.values(), key=lambda e: e.id):
        if e.source == e.target:
            continue
        graph.add_edge(e.source, e.target)
        between.setdefault(_pair(e.source, e.target), []).append(e)
    if source not in graph or target not in graph:
        return PathSearch([], cut)
    found: list[list[Edge]] = []
    node_paths: list[list[str]] = []
    more = False
    try:
        for nodes in nx.shortest_simple_paths(graph, source, target):
            if len(nodes) - 1 > max_hops:
                break
            if len(found) == k:
                more = True
                break
            found.append([e for a, b in zip(nodes, nodes[1:], strict=False) for e in between[_pair(a, b)]])
            node_paths.append(list(nodes))
    except nx.NetworkXNoPath:
        pass
    return PathSearch(found, cut or more, node_paths)


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def paths_subgraph(store: GraphStore, search: PathSearch, ends: Collection[str]) -> Subgraph:
    """Every path's nodes (and the two ends, even with no path) and relationships as one subgraph."""
    order = list(dict.fromkeys([*ends, *search.node_ids()]))
    recs = store.get_nodes(order)
    nodes = [recs[i] for i in order if i in recs]
    edges = {e.id: e for path in search.paths for e in path}
    return Subgraph(nodes, labels_for(store, nodes), sorted(edges.values(), key=lambda e: e.id), search.truncated)


def as_json(result: Analytics) -> dict[str, Any]:
    """The measures as one JSON object keyed by node id (what the explorer styles from)."""
    return {
        m.id: {"degree": m.degree, "betweenness": m.betweenness, "core": m.core_number, "community": m.community}
        for m in result.nodes
    }
