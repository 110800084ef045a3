"""Reading records off the port: a whole kind as records, and small grouping steps shared by the topics."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date

from graph.port import Edge, GraphStore, Node, node_record


def group_by(edges: Iterable[Edge], by: str) -> dict[str, list[Edge]]:
    out: dict[str, list[Edge]] = defaultdict(list)
    for e in edges:
        out[e.source if by == "source" else e.target].append(e)
    return out


def unique(ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(ids))


def records_from_scan(store: GraphStore, kind: str, columns: Sequence[str] | None = None) -> list[Node]:
    """Every node of a kind as records (``scan_nodes`` keeps MODEL.md column names; records rename ``kind``)."""
    out: list[Node] = []
    for table in store.scan_nodes(kind, columns):
        for row in table.to_pylist():
            out.append(node_record(kind, row["id"], row))
    return out


def date_key(value: date | None) -> date:
    return value if value is not None else date.max
