"""Storage: the port every backend implements, the backends, and backend-neutral graph queries."""

from graph.errors import GraphError, QueryFailed, StoreUnavailable, WriteFailed
from graph.port import Edge, GraphStore, Node, NodeRows, RelRows, WriteBatch, WriteStats, property_key

__all__ = [
    "Edge", "GraphError", "GraphStore", "Node", "NodeRows", "QueryFailed", "RelRows", "StoreUnavailable",
    "WriteBatch", "WriteFailed", "WriteStats", "property_key",
]
