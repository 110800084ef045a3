"""Errors raised by the storage layer; backend exceptions are translated into these at the port.

GraphError
├── StoreUnavailable     the store cannot be opened or reached (locked, server down, bad credentials)
│   └── StoreInUse       the embedded store is held by another process (a running server)
├── WriteFailed          a write transaction failed and was rolled back: nothing was written
└── QueryFailed          a read failed (a bug or a backend fault); the message names the query
"""


class GraphError(Exception):
    """Base of every storage error."""


class StoreUnavailable(GraphError):
    """The store cannot be opened or reached. The message says which setting to check."""


class StoreInUse(StoreUnavailable):
    """The embedded store is held by another process: writes go through that process (a server)."""


class WriteFailed(GraphError):
    """A write was rolled back as a whole; the store is as it was before."""


class QueryFailed(GraphError):
    """A read query failed."""
