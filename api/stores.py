"""Open the configured store: the one place that chooses a backend from settings."""

from __future__ import annotations

import threading

from api.settings import Settings
from graph.port import GraphStore

_memory_lock = threading.Lock()
_memory: GraphStore | None = None  # the process's one in-memory graph, made on first use


def open_store(settings: Settings, warm_later: bool = False) -> GraphStore:
    """The embedded LadybugDB store under ``data_dir``, a Neo4j store per the neo4j_* settings, or the
    process's in-memory store (``backend="memory"``). ``warm_later``: the embedded store builds its id
    map only when ``warm()`` is called or a write needs it (a server: after the search index is in).

    The in-memory graph is one per process, as a data_dir holds one embedded graph: every
    ``open_store`` gives the same one, so ``wenze demo`` serves what it loaded. It is lost on exit.
    """
    if settings.backend == "neo4j":
        from graph.neo4j import Neo4jStore

        return Neo4jStore(
            uri=settings.neo4j_uri,
            user=settings.neo4j_user,
            password=settings.neo4j_password,
            database=settings.neo4j_database,
            single_transaction_rows=settings.neo4j_single_transaction_rows,
        )
    if settings.backend == "memory":
        from graph.memory_store import MemoryStore

        global _memory
        with _memory_lock:
            if _memory is None:
                _memory = MemoryStore()
            return _memory
    from graph.ladybug import LadybugStore

    return LadybugStore(settings.data_dir, warm_later=warm_later)
