"""Driver and server exceptions as ``graph.errors``, in one place: every driver call of the store runs
inside ``neo4j_errors``.

    with neo4j_errors("read", uri, database, query=query):
        records = driver.execute_query(query, params, database_=database).records

What a failure becomes, by the action it interrupted (each message says what to check or do):

    action  server unreachable (ServiceUnavailable, SessionExpired)   any other driver or server error
    open    StoreUnavailable: the settings to check                   StoreUnavailable (a bad URI: WENZE_NEO4J_URI)
    read    StoreUnavailable: start or reach the server               QueryFailed, naming the query
    write   StoreUnavailable: load again once it is back              WriteFailed (rolled back; memory advice)
    clear   WriteFailed: clear again                                  WriteFailed: clear again

``Rejected``, which the writer raises inside a transaction to roll it back, becomes ``WriteFailed``;
every other ``GraphError`` passes unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal

import neo4j.exceptions as nx

from graph.errors import GraphError, QueryFailed, StoreUnavailable, WriteFailed

Action = Literal["open", "read", "write", "clear"]

_UNREACHABLE = (nx.ServiceUnavailable, nx.SessionExpired)
_DRIVER = (nx.Neo4jError, nx.DriverError)
_DEV_SERVER = "for development run `scripts/neo4j-dev start`"


class Rejected(GraphError):
    """A batch the store refuses inside the write transaction (raising it rolls the transaction back)."""


@contextmanager
def neo4j_errors(action: Action, uri: str, database: str, *, query: str = "", rows: int = 0) -> Iterator[None]:
    """Translate what the driver raises inside the block (see the module docstring).

    ``query`` is named in a failed read's message; ``rows``, a write's size, in its memory advice.
    While opening, ``OSError`` and ``ValueError`` (a URI the driver cannot parse) count too.
    """
    try:
        yield
    except Rejected as e:
        raise WriteFailed(f"the write was rolled back, nothing was written: {e}") from e
    except _DRIVER as e:
        raise _translated(e, action, uri, database, query, rows) from e
    except (OSError, ValueError) as e:
        if action != "open":
            raise
        raise _translated(e, action, uri, database, query, rows) from e


def _translated(e: Exception, action: Action, uri: str, database: str, query: str, rows: int) -> GraphError:
    if action == "open":
        if isinstance(e, (ValueError, nx.ConfigurationError)):
            return StoreUnavailable(f"bad Neo4j URI {uri!r}: {e}; check WENZE_NEO4J_URI")
        return StoreUnavailable(
            f"cannot use Neo4j at {uri}: {e}; check that the Neo4j server is running and reachable at {uri} "
            f"(WENZE_NEO4J_URI), that WENZE_NEO4J_USER/WENZE_NEO4J_PASSWORD are right and that database "
            f"{database!r} exists (WENZE_NEO4J_DATABASE); {_DEV_SERVER}"
        )
    if action == "clear":
        return WriteFailed(
            f"clearing the graph failed: {e}; it is deleted in transactions of 10,000 nodes, so part of it "
            "may be gone: clear it again"
        )
    unreachable = isinstance(e, _UNREACHABLE)
    if action == "read":
        if unreachable:
            return StoreUnavailable(
                f"Neo4j at {uri} is unreachable: {e}; check that the server is running and WENZE_NEO4J_URI "
                f"({_DEV_SERVER})"
            )
        retry = "; it may succeed if tried again" if isinstance(e, nx.TransientError) else ""
        return QueryFailed(f"{e}{retry} (query: {query[:200]})")
    if unreachable:
        return StoreUnavailable(
            f"Neo4j at {uri} became unreachable during a write (it was not committed unless the server "
            f"received the commit): {e}; load again once the server is back (a write is an upsert: rows that "
            "did land are not doubled)"
        )
    hint = ""
    if isinstance(e, nx.Neo4jError) and "MemoryPoolOutOfMemoryError" in (e.code or ""):
        hint = (
            f" (this write of {rows:,} rows — one transaction, or on a first load into an empty store "
            "transactions of WENZE_NEO4J_SINGLE_TRANSACTION_ROWS rows — exceeds the server's transaction "
            "memory: raise db.memory.transaction.max and the heap, or write smaller batches)"
        )
    return WriteFailed(f"the write was rolled back, nothing was written: {e}{hint}")
