"""What the embedded engine raises, as ``graph.errors``: every engine call of the store runs inside
``engine_errors``.

    with engine_errors("query", query):
        result = conn.execute(query, params)

The engine raises RuntimeError for every failure. It becomes StoreUnavailable when the database
cannot be opened (another process holds it, or the folder is wrong), QueryFailed naming the query,
and — inside a write, for any exception, since the write is then rolled back — WriteFailed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal

from graph.errors import QueryFailed, StoreUnavailable, WriteFailed


@contextmanager
def engine_errors(action: Literal["open", "query", "write"], subject: str = "") -> Iterator[None]:
    """Translate what the engine raises inside the block (see the module docstring); ``subject`` is
    the database path when opening and the query when querying."""
    try:
        yield
    except Exception as e:
        if action == "write":
            raise WriteFailed(f"the write was rolled back, nothing was written: {e}") from e
        if not isinstance(e, RuntimeError):
            raise
        if action == "open":
            raise StoreUnavailable(
                f"cannot open the embedded store at {subject}: {e}. Another wenze process may hold it "
                "(one process at a time: stop `wenze serve` before `wenze load`), or WENZE_DATA_DIR is wrong."
            ) from e
        raise QueryFailed(f"{e} (query: {subject[:200]})") from e
