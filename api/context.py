"""The per-request context every resolver receives: the caller, the store, fresh DataLoaders.

    context = get_context(store, settings, search_index, caller=current_caller())
    await context.loaders.nodes.load("ISS-1")                       # batched get_nodes
    await context.loaders.edges.load(("ISS-1", ("HAS_STEP",), "out"))   # batched edges

DataLoaders are created per request (never shared: their caches would serve stale data and
leak across callers). Store calls never run on the server's event loop: the endpoint runs a whole
request's execution in one worker thread of the store pool (``api.endpoint``: the request takes the
pool once, not once per nested look-up), where ``Context.call`` calls the store directly
(``inline``); outside that (tests calling ``schema.execute`` on their own loop) ``Context.call``
sends each call to a worker thread. Each request has a deadline (``settings.request_timeout_seconds``)
past which it stops with TIMEOUT.
"""

from __future__ import annotations

import asyncio
import functools
import math
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from contextvars import ContextVar, Token
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, TypeVar

from strawberry.dataloader import DataLoader

from api.auth.roles import roles_may_read
from api.errors import RequestTimeout
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
        self._asked: dict[tuple[Callable[..., Any], tuple[Any, ...]], DataLoader[str, Any]] = {}

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

    async def ask(self, question: Callable[..., dict[str, Any]], key: str, *args: Any) -> Any:
        """The answer of a batched ``graph.queries`` question for one id (None when it has none).

        ``question(store, ids, *args)`` answers for many ids at once; every object of a request that
        asks the same question with the same ``args`` shares one call, so nested fields cost one
        query per question, not one per object.
        """
        loader = self._asked.get((question, args))
        if loader is None:

            async def load(keys: Sequence[str]) -> list[Any]:
                found = await self._call(question, self._store, list(dict.fromkeys(keys)), *args)
                return [found.get(k) for k in keys]

            loader = self._asked[(question, args)] = DataLoader(load_fn=load)
        return await loader.load(key)


@dataclass
class Context:
    store: GraphStore
    settings: Settings
    caller: Caller
    loaders: Loaders
    search_index: Any
    today: date
    executor: Executor | None = None  # runs store calls off the event loop (None: the loop's default pool)
    backstop: Any = None  # api.scope.Backstop of a scoped caller (None: the caller sees everything)
    deadline: float = math.inf  # time.monotonic() by which the request must be answered
    # True while the request executes in a worker thread of its own (api.endpoint): store calls are
    # made right there, in that thread, instead of each going to the pool.
    inline: bool = False

    async def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a blocking store function off the server's event loop — right here when the request
        already runs in a worker thread (``inline``), else in a worker thread — so the loop keeps
        serving other requests; past the request's deadline raise ``RequestTimeout`` (TIMEOUT)."""
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise RequestTimeout(self._timeout_message())
        if self.inline:
            return fn(*args, **kwargs)
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self.executor, functools.partial(fn, *args, **kwargs))
        try:
            return await asyncio.wait_for(future, remaining if remaining != math.inf else None)
        except TimeoutError:
            raise RequestTimeout(self._timeout_message()) from None

    def _timeout_message(self) -> str:
        return timeout_message(self.settings)


def timeout_message(settings: Settings) -> str:
    """What a request past its budget is told (TIMEOUT)."""
    budget = settings.request_timeout_seconds
    return (
        f"请求超时 The request took longer than its {budget:g} s budget and was stopped; ask for less "
        "(a narrower filter, a smaller page or depth) or raise WENZE_REQUEST_TIMEOUT_SECONDS."
    )


def get_context(
    store: GraphStore,
    settings: Settings,
    search_index: Any,
    caller: Caller | None = None,
    today: date | None = None,
    executor: Executor | None = None,
) -> Context:
    """A fresh context (fresh DataLoaders) for one request, for ``caller`` (default: ``current_caller()``),
    whose time budget starts now."""
    holder: dict[str, Context] = {}

    async def call(fn: Callable[..., Any], *args: Any) -> Any:
        return await holder["ctx"].call(fn, *args)

    from api.scope import scoped_store

    who = caller if caller is not None else current_caller()
    backstop: Any = None
    if who.authenticated:
        store, backstop = scoped_store(store, who)
    ctx = Context(
        store=store,
        settings=settings,
        caller=who,
        loaders=Loaders(store, call),
        search_index=search_index,
        today=today or date.today(),
        executor=executor,
        deadline=time.monotonic() + settings.request_timeout_seconds,
        backstop=backstop,
    )
    holder["ctx"] = ctx
    return ctx
