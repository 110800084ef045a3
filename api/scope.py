"""The caller's jurisdiction on every request: its ``graph.scope.Scope``, the scoped store the
resolvers read, and the backstop that checks what was returned.

    scope = scope_of(caller, store)              # Scope(regions=("620102",), kinds=…) for a 城关区 inspector
    view, backstop = scoped_store(store, caller) # what every resolver of the request reads

The backstop (``Backstop``): every node object a resolver makes (``api.types.node.to_node``) is noted;
when the request's execution ends its ids are checked once against the unscoped store and any the
caller may not see is counted in ``VIOLATIONS`` and logged as an error. The scoped store should make
that count stay 0 (the personas tests require it); the backstop is there to notice if it does not.
"""

from __future__ import annotations

import logging
import threading
from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from typing import Any

from api.context import Caller
from graph.port import GraphStore
from graph.scope import Scope, ScopedStore
from schema.model import NODE_KINDS

log = logging.getLogger("wenze.scope")


class _Counter:
    def __init__(self) -> None:
        self.value = 0
        self._lock = threading.Lock()

    def add(self, n: int) -> None:
        with self._lock:
            self.value += n


VIOLATIONS = _Counter()  # out-of-scope objects the backstop has seen since the process started
# Province-level regions found to be the root of the divisions: asked of the store once per process
# (a caller's first request pays for it). GB/T 2260 codes of lower levels never end in 0000, so
# those are never asked about.
_roots: set[str] = set()


def _is_root(store: GraphStore, region: str) -> bool:
    if region in _roots:
        return True
    if not (len(region) == 6 and region.endswith("0000")):
        return False
    if store.kinds_of([region]).get(region) == "Region" and not store.edges([region], ("PART_OF",), "out"):
        _roots.add(region)
        return True
    return False


def scope_of(caller: Caller, store: GraphStore) -> Scope:
    """What ``caller`` sees (CONTRACT §4): the kinds its roles read; its regions, unless one of them is
    the root of the divisions (the province: everything)."""
    if caller.unrestricted:
        return Scope()
    kinds = frozenset(k for k in NODE_KINDS if caller.may_read_kind(k))
    regions: tuple[str, ...] | None = tuple(sorted(caller.regions))
    if any(_is_root(store, r) for r in caller.regions):
        regions = None
    return Scope(regions=regions, kinds=None if kinds == frozenset(NODE_KINDS) else kinds)


def scoped_store(store: GraphStore, caller: Caller) -> tuple[GraphStore, Backstop | None]:
    """What a signed-in caller's request reads, and the backstop that checks its answer (None for a
    caller who sees everything)."""
    scope = scope_of(caller, store)
    if scope.unrestricted:
        return store, None
    return ScopedStore(store, scope), Backstop(store, scope)  # type: ignore[return-value]


@dataclass
class Backstop:
    """The node objects one request returned, checked against its scope when the request ends."""

    store: GraphStore
    scope: Scope
    seen: set[str] = field(default_factory=set)

    def settle(self) -> int:
        """Check every noted id; count and log those out of scope. Returns how many were."""
        if self.scope.unrestricted or not self.seen:
            return 0
        found = self.store.visibility(self.seen)
        bad = sorted(i for i in self.seen if i not in found or not self.scope.sees(*found[i]))
        if bad:
            VIOLATIONS.add(len(bad))
            log.error("scope backstop: %d objects outside the caller's scope were returned, e.g. %s", len(bad), bad[:5])
        return len(bad)


_BACKSTOP: ContextVar[Backstop | None] = ContextVar("wenze_backstop", default=None)


def use_backstop(backstop: Backstop | None) -> Token[Backstop | None]:
    return _BACKSTOP.set(backstop)


def reset_backstop(token: Token[Backstop | None]) -> None:
    _BACKSTOP.reset(token)


def current_backstop() -> Backstop | None:
    return _BACKSTOP.get()


def note_returned(node_id: Any) -> None:
    """Called for each node object a resolver makes (``to_node``)."""
    backstop = _BACKSTOP.get()
    if backstop is not None:
        backstop.seen.add(str(node_id))
