"""The composition root: ``create_app`` wires settings, the store, identity, audit, search and the schema.

    app = create_app()                                  # opens the store from settings in the lifespan
    app = create_app(settings, store=existing_store)    # tests: the caller owns the store

The lifespan opens the store (unless one is given), the account store and the audit log, starts
the search index's build (in the background: api.search), and closes what it opened on shutdown.
Serve it with ONE worker: the embedded engine allows one process (api.server). ``/graphql`` runs
behind the identity gate (api.auth.edge); so do the workbench's pages (a browser without a session
is sent to ``/login?next=<path>``); ``/login``, ``/healthz`` and the static assets need no identity.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from api.admin_backup import BackupRoutes
from api.admin_load import LoadRoutes
from api.audit.log import AuditLog
from api.auth.accounts import Accounts, Policy
from api.auth.edge import Gate, Identity
from api.auth.headers import SecurityHeaders
from api.auth.oidc import OidcVerifier
from api.auth.pages import SignInRoutes
from api.auth.store import AccountStore, open_account_store
from api.endpoint import GraphQLEndpoint
from api.explorer import workbench_routes
from api.lanes import Lanes
from api.limits import typed_schema
from api.schema import build_schema
from api.search import LiveSearch
from api.settings import Settings
from api.stores import open_store
from graph.port import GraphStore

log = logging.getLogger("wenze.api")
GRAPHQL_PATH = "/graphql"


def build_search_index(store: GraphStore, settings: Settings) -> LiveSearch:
    """The project's own search index over the store, rebuilt when the store's data change; the first
    build runs beside the server (a search waits for it, within the request's time budget)."""
    wait = max(1.0, settings.request_timeout_seconds * 0.8)
    return LiveSearch.start(store, check_every=settings.search_refresh_seconds, first_build_timeout=wait)


def freeze_when_built(search: LiveSearch) -> None:
    """``gc.freeze()`` now (the store's caches) and when the search index's first build is done (the
    index), so full collections skip the millions of long-lived objects (settings.gc_freeze)."""
    gc.freeze()

    def later() -> None:
        while not search.ready:
            time.sleep(0.5)
        gc.freeze()
        log.info("gc: %d long-lived objects frozen (full collections skip them)", gc.get_freeze_count())

    threading.Thread(target=later, name="wenze-gc-freeze", daemon=True).start()


def health_route(state: object) -> Route:
    """``GET /healthz``: for a load balancer's or an operator's probe, without sign-in, and saying
    nothing about the data: 200 once the store is open and the search index answers, else 503;
    ``searchIndex`` is ``building``, ``saving`` (answering, its file being written) or ``ready``."""

    async def health(request: Request) -> JSONResponse:
        search: LiveSearch | None = getattr(state, "search_index", None)  # None until the lifespan opened the store
        ready = search is not None and search.ready
        index = "ready" if search is not None and search.settled else "saving" if ready else "building"
        body = {"status": "ok" if ready else "starting", "searchIndex": index}
        return JSONResponse(body, status_code=200 if ready else 503, headers={"cache-control": "no-store"})

    return Route("/healthz", health, methods=["GET"])


def _graphiql() -> tuple[list[BaseRoute], str | None]:
    try:
        from api.graphiql import graphiql_html, graphiql_routes
    except ImportError:
        return [], None
    return list(graphiql_routes(GRAPHQL_PATH)), graphiql_html(GRAPHQL_PATH)


def create_app(
    settings: Settings | None = None, store: GraphStore | None = None, accounts: AccountStore | None = None
) -> Starlette:
    """The app; ``store`` and ``accounts`` given by the caller stay open at shutdown (the caller owns them)."""
    settings = settings or Settings()
    schema = build_schema(settings)
    typed_schema(schema)  # the cost guard's view of it, made now rather than by the first request

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        owned = store is None
        opened = store if store is not None else open_store(settings, warm_later=True)
        account_store = accounts if accounts is not None else open_account_store(settings)
        # Requests execute in the lanes' threads (api.lanes); loads, backups and store calls made
        # outside a lane (api.context.Context.call) in the executor: never on the event loop.
        executor = ThreadPoolExecutor(settings.store_threads, thread_name_prefix="wenze-store")
        lanes = Lanes(settings.quick_threads, settings.store_threads, settings.quick_lane_ms)
        audit: AuditLog | None = None
        try:
            audit = AuditLog.from_settings(settings)
            users = Accounts(account_store, Policy.from_settings(settings), audit)
            app.state.store = opened
            app.state.settings = settings
            app.state.executor = executor
            app.state.accounts = users
            app.state.audit = audit
            app.state.identity = Identity(users, OidcVerifier.from_settings(settings), settings)
            app.state.lanes = lanes
            app.state.search_index = build_search_index(opened, settings)
            users.purge_sessions()
            if owned and settings.gc_freeze:  # a server's own store (tests that pass one keep their GC)
                freeze_when_built(app.state.search_index)
            yield
        finally:
            executor.shutdown(wait=False, cancel_futures=True)
            lanes.shutdown()
            if audit is not None:
                audit.close()
            if accounts is None:
                account_store.close()
            if owned:
                opened.close()

    static_routes, graphiql_page = _graphiql()
    app = Starlette(lifespan=lifespan, middleware=[Middleware(SecurityHeaders)])
    endpoint = GraphQLEndpoint(schema, app.state, graphiql_page)
    gate = Gate(app.state, settings, schema._schema)
    app.router.routes.extend(
        [
            Route(GRAPHQL_PATH, gate.graphql(endpoint.handle), methods=["GET", "POST"]),
            health_route(app.state),
            *SignInRoutes(app.state, settings).routes(),
            *LoadRoutes(app.state, settings).routes(),
            *BackupRoutes(app.state, settings).routes(),
            *static_routes,
            *workbench_routes(guard=gate.page),
        ]
    )
    app.state.schema = schema
    return app
