"""Subgraphs for visualisation: a node's neighbourhood and the shortest paths between two nodes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graph.port import Edge, GraphStore, Node
from graph.queries.labels import json_value, labels_for
from schema.model import MAX_NEIGHBOURHOOD_DEPTH, MAX_PATH_HOPS


@dataclass
class Subgraph:
    nodes: list[Node]
    labels: dict[str, str]
    edges: list[Edge]
    truncated: bool

    def as_json(self) -> dict[str, Any]:
        """``{nodes: [{id, kind, label}], edges: [{id, type, source, target, properties}], truncated}``."""
        return {
            "nodes": [
                {"id": n["id"], "kind": n["kind"], "label": self.labels.get(n["id"], n["id"])} for n in self.nodes
            ],
            "edges": [
                {
                    "id": e.id,
                    "type": e.type,
                    "source": e.source,
                    "target": e.target,
                    "properties": {k: json_value(v) for k, v in e.props.items() if v is not None},
                }
                for e in self.edges
            ],
            "truncated": self.truncated,
        }


def neighbourhood(store: GraphStore, node_id: str, depth: int = 1, limit: int = 200) -> Subgraph | None:
    """Nodes within ``depth`` hops (breadth first, at most ``limit``) and the edges found between them.

    ``truncated`` says a cap cut the answer short (the node limit, or a hub with too many edges).
    """
    if not 0 <= depth <= MAX_NEIGHBOURHOOD_DEPTH:
        raise ValueError(f"depth must be between 0 and {MAX_NEIGHBOURHOOD_DEPTH}")
    root = store.get_nodes([node_id]).get(node_id)
    if root is None:
        return None
    order = [node_id]
    seen = {node_id}
    kept: dict[str, Edge] = {}
    truncated = False
    frontier = [node_id]
    edge_cap = max(limit * 4, 100)
    for _ in range(depth):
        if not frontier or len(order) >= limit and truncated:
            break
        found = store.edges(frontier, (), "both", limit=edge_cap + 1)
        if len(found) > edge_cap:
            truncated = True
            found = found[:edge_cap]
        nxt = []
        for e in found:
            for nb in (e.source, e.target):
                if nb not in seen:
                    if len(order) >= limit:
                        truncated = True
                        continue
                    seen.add(nb)
                    order.append(nb)
                    nxt.append(nb)
            if e.source in seen and e.target in seen:
                kept[e.id] = e
        frontier = nxt
    recs = store.get_nodes(order[1:])
    recs[node_id] = root
    nodes = [recs[i] for i in order if i in recs]
    edges = sorted((e for e in kept.values() if e.source in recs and e.target in recs), key=lambda e: e.id)
    return Subgraph(nodes, labels_for(store, nodes), edges, truncated)


def paths(store: GraphStore, source: str, target: str, max_hops: int = 4, limit: int = 10) -> Subgraph | None:
    """The shortest paths (up to ``limit``, any direction) between two nodes, as one subgraph."""
    if not 1 <= max_hops <= MAX_PATH_HOPS:
        raise ValueError(f"maxHops must be between 1 and {MAX_PATH_HOPS}")
    ends = store.get_nodes([source, target])
    if source not in ends or target not in ends:
        return None
    found = store.shortest_paths(source, target, max_hops, limit + 1) if source != target else []
    truncated = len(found) > limit
    order = [source]
    kept: dict[str, Edge] = {}
    for path in found[:limit]:
        for e in path:
            kept[e.id] = e
            for nb in (e.source, e.target):
                if nb not in order:
                    order.append(nb)
    if target not in order:
        order.append(target)
    recs = store.get_nodes([i for i in order if i not in ends])
    recs.update(ends)
    nodes = [recs[i] for i in order if i in recs]
    return Subgraph(nodes, labels_for(store, nodes), sorted(kept.values(), key=lambda e: e.id), truncated)
