"""The composition root: ``create_app`` wires settings, the store, the search index and the schema.

    app = create_app()                                  # opens the store from settings in the lifespan
    app = create_app(settings, store=existing_store)    # tests: the caller owns the store

The lifespan opens the store (unless one is given), builds the search index, and closes what it
opened on shutdown. Serve it with ONE worker: the embedded engine allows one process (api.server).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.routing import BaseRoute, Route

from api.endpoint import GraphQLEndpoint
from api.explorer import workbench_routes
from api.schema import build_schema
from api.search import LiveSearch
from api.settings import Settings
from api.stores import open_store
from graph.port import GraphStore

log = logging.getLogger("wenze.api")
GRAPHQL_PATH = "/graphql"


def build_search_index(store: GraphStore, settings: Settings) -> LiveSearch:
    """The project's own search index over the store, rebuilt when the store's data change."""
    return LiveSearch.start(store, check_every=settings.search_refresh_seconds)


def _graphiql() -> tuple[list[BaseRoute], str | None]:
    try:
        from api.graphiql import graphiql_html, graphiql_routes
    except ImportError:
        return [], None
    return list(graphiql_routes(GRAPHQL_PATH)), graphiql_html(GRAPHQL_PATH)


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> Starlette:
    settings = settings or Settings()
    schema = build_schema(settings)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        owned = store is None
        opened = store if store is not None else open_store(settings)
        # Store calls run here, never on the event loop (api.context.Context.call).
        executor = ThreadPoolExecutor(settings.store_threads, thread_name_prefix="wenze-store")
        try:
            app.state.store = opened
            app.state.settings = settings
            app.state.executor = executor
            app.state.search_index = build_search_index(opened, settings)
            yield
        finally:
            executor.shutdown(wait=False, cancel_futures=True)
            if owned:
                opened.close()

    static_routes, graphiql_page = _graphiql()
    app = Starlette(lifespan=lifespan)
    endpoint = GraphQLEndpoint(schema, app.state, graphiql_page)
    app.router.routes.extend(
        [
            Route(GRAPHQL_PATH, endpoint.handle, methods=["GET", "POST"]),
            *static_routes,
            *workbench_routes(),
        ]
    )
    app.state.schema = schema
    return app
