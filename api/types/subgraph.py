"""Subgraphs for the explorer: nodes with kind and label, edges with type, ``truncated`` when capped."""

from __future__ import annotations

from typing import Any, cast

import strawberry
from strawberry.scalars import JSON

from api.types.node import Node, to_node
from graph import queries


@strawberry.type(description="A relationship: its type (HELD_POST, LED_TO, …), ends and properties.")
class Edge:
    id: strawberry.ID = strawberry.field(description="关系标识 (the relationship's id).")
    type: str = strawberry.field(description="关系类型 (the relationship type, e.g. HELD_POST).")
    source: strawberry.ID = strawberry.field(description="起点 (id of the node the relationship goes from).")
    target: strawberry.ID = strawberry.field(description="终点 (id of the node the relationship goes to).")
    properties: JSON | None = strawberry.field(
        description="关系属性 (the relationship's properties as a JSON object); null when it has none."
    )


@strawberry.type(description="A subgraph ready for a visualisation library.")
class Subgraph:
    data: strawberry.Private[queries.Subgraph]
    nodes: list[Node] = strawberry.field(description="节点 (the nodes, each with its kind and label).")
    edges: list[Edge] = strawberry.field(description="关系 (the relationships found between those nodes).")
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
