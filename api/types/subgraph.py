"""Subgraphs for the explorer: nodes with kind and label, edges with type, ``truncated`` when capped."""

from __future__ import annotations

from typing import Any, cast

import strawberry
from strawberry.scalars import JSON

from api.scope import note_returned
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
    # Each field is made from ``data`` only when asked for: a client of ``json`` alone (the explorer)
    # had every node and edge made as GraphQL objects too, 40 % of a neighbourhood's time.
    data: strawberry.Private[queries.Subgraph]
    shaped: strawberry.Private[dict[str, Any]]

    @strawberry.field(description="节点 (the nodes, each with its kind and label).")
    def nodes(self) -> list[Node]:
        out = []
        for rec in self.data.nodes:
            node = to_node(rec)
            node.label_hint = self.data.labels.get(rec["id"])
            out.append(node)
        return out

    @strawberry.field(description="关系 (the relationships found between those nodes).")
    def edges(self) -> list[Edge]:
        return [
            Edge(id=e["id"], type=e["type"], source=e["source"], target=e["target"], properties=e["properties"] or None)
            for e in self.shaped["edges"]
        ]

    @strawberry.field(description="True when a cap (limit, depth, hub size) cut the answer short.")
    def truncated(self) -> bool:
        return self.data.truncated

    @strawberry.field(
        description="The whole subgraph as one JSON value: {nodes: [{id, kind, label}], "
        "edges: [{id, type, source, target, properties}], truncated} (fastest to fetch)."
    )
    def json(self) -> JSON:
        for rec in self.data.nodes:
            note_returned(rec["id"])  # the scope's backstop sees these nodes as it sees Node objects
        return cast(JSON, self.shaped)


def subgraph_object(sub: queries.Subgraph) -> Subgraph:
    return Subgraph(data=sub, shaped=sub.as_json())
