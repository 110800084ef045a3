"""Subgraphs for the explorer: nodes with kind and label, edges with type, ``truncated`` when capped."""

from __future__ import annotations

from typing import Any, cast

import strawberry
from strawberry.scalars import JSON

from api.types.node import Node, to_node
from graph import queries


@strawberry.type(description="A relationship: its type (HELD_POST, LED_TO, …), ends and properties.")
class Edge:
    id: strawberry.ID
    type: str
    source: strawberry.ID
    target: strawberry.ID
    properties: JSON | None


@strawberry.type(description="A subgraph ready for a visualisation library.")
class Subgraph:
    data: strawberry.Private[queries.Subgraph]
    nodes: list[Node]
    edges: list[Edge]
    truncated: bool = strawberry.field(description="True when a cap (limit, depth, hub size) cut the answer short.")

    @strawberry.field(
        description="The whole subgraph as one JSON value: {nodes: [{id, kind, label}], "
        "edges: [{id, type, source, target, properties}], truncated} (fastest to fetch)."
    )
    def json(self) -> JSON:
        return cast(JSON, self.data.as_json())


def subgraph_object(sub: queries.Subgraph) -> Subgraph:
    as_json: dict[str, Any] = sub.as_json()
    nodes = []
    for rec in sub.nodes:
        node = to_node(rec)
        node.label_hint = sub.labels.get(rec["id"])
        nodes.append(node)
    edges = [
        Edge(id=e["id"], type=e["type"], source=e["source"], target=e["target"], properties=e["properties"] or None)
        for e in as_json["edges"]
    ]
    return Subgraph(data=sub, nodes=nodes, edges=edges, truncated=sub.truncated)
