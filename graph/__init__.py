"""Storage: the port every backend implements, the backends, and backend-neutral graph queries.

    port          the ``GraphStore`` protocol, write batches, edges and walks (``Hop``)
    errors        GraphError ─ StoreUnavailable, QueryFailed, WriteFailed (what backends raise)
    columns       Arrow schemas of each kind, from schema/
    ladybug/      the embedded backend (LadybugDB); neo4j/ the server backend (official driver)
    memory_store  a complete store in plain Python, for tests (exported here as ``MemoryStore``)
    queries/      the domain questions, one home each, on the port only (so every backend agrees)
    search_index  the Chinese/pinyin search index kept beside the store

graph may import schema/ and its engines' drivers, never loaders/ or api/.
"""

from graph.errors import GraphError, QueryFailed, StoreUnavailable, WriteFailed
from graph.memory_store import MemoryStore
from graph.port import Edge, GraphStore, Node, NodeRows, RelRows, WriteBatch, WriteStats, property_key

__all__ = [
    "Edge",
    "GraphError",
    "GraphStore",
    "MemoryStore",
    "Node",
    "NodeRows",
    "QueryFailed",
    "RelRows",
    "StoreUnavailable",
    "WriteBatch",
    "WriteFailed",
    "WriteStats",
    "property_key",
]
