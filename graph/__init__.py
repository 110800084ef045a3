"""Storage: the port every backend implements, the backends, and backend-neutral graph queries.

``MemoryStore`` (graph.memory_store) is exported here: a complete store in plain Python, for tests.
"""

from graph.errors import GraphError, QueryFailed, StoreUnavailable, WriteFailed
from graph.memory_store import MemoryStore
from graph.port import Edge, GraphStore, Node, NodeRows, RelRows, WriteBatch, WriteStats, property_key

__all__ = [
    "Edge", "GraphError", "GraphStore", "MemoryStore", "Node", "NodeRows", "QueryFailed", "RelRows", "StoreUnavailable",
    "WriteBatch", "WriteFailed", "WriteStats", "property_key",
]
