"""The per-request context every resolver receives: the caller, the store, fresh DataLoaders.

    context = get_context(store, settings, search_index, caller=current_caller())
    await context.loaders.nodes.load("ISS-1")                       # batched get_nodes
    await context.loaders.edges.load(("ISS-1", ("HAS_STEP",), "out"))   # batched edges

DataLoaders are created per request (never shared: their caches would serve stale data and
leak across callers). Store calls run inline for the embedded engine, whose reads are fast and
release the GIL, and in a worker thread for a server backend, so the event loop never waits
on the network.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, TypeVar

from starlette.concurrency import run_in_threadpool
from strawberry.dataloader import DataLoader

from api.auth.roles import roles_may_read
from api.settings import Settings
from graph.port import Direction, Edge, GraphStore, Node
from schema.model import NODE_KINDS

T = TypeVar("T")
EdgeKey = tuple[str, tuple[str, ...], Direction]


SignInMethod = Literal["password", "token", "oidc", "local", "none"]


@dataclass(frozen=True)
class Caller:
    """Who is asking: the one record of the signed-in identity (made by api.auth.edge at the edge).

    ``regions`` are the GB/T 2260 codes of the caller's jurisdictions (a code covers its subtree;
    the province's covers everything). ``unrestricted`` is only for ``LOCAL_CALLER`` (WENZE_AUTH=off
    on a loopback address, for development).

        caller.may_read_kind("Clue")     # False for personnel, auditors and every administrator
        caller.regions                   # frozenset({"620100"}) for a 兰州市 user
    """

    id: str
    name: str
    login: str = ""
    roles: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()
    method: SignInMethod = "none"
    authenticated: bool = True
    unrestricted: bool = False

    @property
    def has_full_access(self) -> bool:
        return self.unrestricted

    def may_read_kind(self, kind: str) -> bool:
        """Whether the caller's roles read nodes of this kind (CONTRACT §4 roles table)."""
        if not self.authenticated:
            return False
        if self.unrestricted:
            return True
        return roles_may_read(self.roles, kind)

    @property
    def reads_graph(self) -> bool:
        """False for the three administrators: they read no graph data at all."""
        return self.unrestricted or any(self.may_read_kind(k) for k in NODE_KINDS)


LOCAL_CALLER = Caller(
    id="local", name="本地用户", login="local", roles=frozenset({"inspector"}), method="local", unrestricted=True
)
ANONYMOUS = Caller(id="", name="匿名 anonymous", method="none", authenticated=False)

# Set by the identity gate (api.auth.edge) for the request being served; read by the endpoint.
_CURRENT_CALLER: ContextVar[Caller] = ContextVar("wenze_caller", default=ANONYMOUS)


def current_caller() -> Caller:
    """The caller of the request this task serves (ANONYMOUS when no gate set one)."""
    return _CURRENT_CALLER.get()


def use_caller(caller: Caller) -> Token[Caller]:
    """Make ``caller`` the current caller of this task (the gate resets it with the returned token)."""
    return _CURRENT_CALLER.set(caller)


def reset_caller(token: Token[Caller]) -> None:
    _CURRENT_CALLER.reset(token)


class Loaders:
    """Batching, per-request caches over the store."""

    def __init__(self, store: GraphStore, call: Callable[..., Any]) -> None:
        self._store = store
        self._call = call
        self.nodes: DataLoader[str, Node | None] = DataLoader(load_fn=self._load_nodes)
        self.edges: DataLoader[EdgeKey, list[Edge]] = DataLoader(load_fn=self._load_edges)

    async def _load_nodes(self, ids: Sequence[str]) -> list[Node | None]:
        found = await self._call(self._store.get_nodes, list(dict.fromkeys(ids)))
        return [found.get(i) for i in ids]

    async def _load_edges(self, keys: Sequence[EdgeKey]) -> list[list[Edge]]:
        groups: dict[tuple[tuple[str, ...], Direction], list[str]] = defaultdict(list)
        for node_id, types, direction in keys:
            groups[(types, direction)].append(node_id)
        found: dict[EdgeKey, list[Edge]] = {}
        for (types, direction), ids in groups.items():
            wanted = set(ids)
            per: dict[str, list[Edge]] = {i: [] for i in ids}
            for e in await self._call(self._store.edges, list(dict.fromkeys(ids)), types, direction):
                if direction != "in" and e.source in wanted:
                    per[e.source].append(e)
                if direction != "out" and e.target in wanted and e.target != e.source:
                    per[e.target].append(e)
            for i in ids:
                found[(i, types, direction)] = per[i]
        return [found[k] for k in keys]

    def prime_nodes(self, records: dict[str, Node]) -> None:
        self.nodes.prime_many(records)


@dataclass
class Context:
    store: GraphStore
    settings: Settings
    caller: Caller
    loaders: Loaders
    search_index: Any
    today: date
    offload: bool = False
    stats: dict[str, int] = field(default_factory=dict)

    async def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a blocking store function: inline (embedded engine) or in a worker thread (server)."""
        if self.offload:
            return await run_in_threadpool(fn, *args, **kwargs)
        return fn(*args, **kwargs)


def get_context(
    store: GraphStore, settings: Settings, search_index: Any, caller: Caller | None = None, today: date | None = None
) -> Context:
    """A fresh context (fresh DataLoaders) for one request, for ``caller`` (default: ``current_caller()``)."""
    offload = getattr(store, "backend", "embedded") != "embedded"
    holder: dict[str, Context] = {}

    async def call(fn: Callable[..., Any], *args: Any) -> Any:
        return await holder["ctx"].call(fn, *args)

    ctx = Context(
        store=store,
        settings=settings,
        caller=caller if caller is not None else current_caller(),
        loaders=Loaders(store, call),
        search_index=search_index,
        today=today or date.today(),
        offload=offload,
    )
    holder["ctx"] = ctx
    return ctx
