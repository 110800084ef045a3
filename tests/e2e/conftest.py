"""End-to-end fixtures: a real uvicorn server on a free port, real HTTP through httpx.

Each (backend, dataset) pair gets a store loaded once per session and a server over it:

- backends: ``embedded`` (LadybugDB in a temporary folder) and ``neo4j`` (WENZE_NEO4J_URI & co.;
  those tests are marked ``neo4j`` and skipped when WENZE_NEO4J_URI is unset). A Neo4j server holds
  one graph, so switching datasets there clears it (``store.clear()``) and reloads.
- datasets: ``trap`` (tests/e2e/trap_bundle.py, written as CSV files and loaded from the folder)
  and ``demo`` (``loaders.demo.generate("small")``).

Identity: every ``LiveServer`` creates an inspector with the province's jurisdiction (620000) and an
API token, kept in a SQLite account store under its data dir (also for Neo4j, whose ``clear()``
between datasets would remove account nodes); ``GraphQLClient`` sends that server's token, and
``auth_headers(url)`` gives it to tests that make their own requests.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from api.app import create_app
from api.settings import Settings
from graph.port import GraphStore
from tests.e2e.trap_bundle import write_bundle

BACKENDS = [
    "embedded",
    pytest.param(
        "neo4j",
        marks=[
            pytest.mark.neo4j,
            pytest.mark.skipif(not os.environ.get("WENZE_NEO4J_URI"), reason="WENZE_NEO4J_URI is not set"),
        ],
    ),
]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


TEST_USER = "e2e.inspector"
_TOKENS: dict[str, str] = {}  # server url -> its test user's API token


def auth_headers(url: str) -> dict[str, str]:
    """The Authorization header of the test user of the server at ``url``."""
    return {"Authorization": f"Bearer {_TOKENS[url]}"}


def _test_identity(settings: Settings) -> str:
    """An inspector with province jurisdiction and an API token (created once per account store)."""
    from api.auth.commands import open_accounts
    from api.auth.store import AccountExists

    with open_accounts(settings) as accounts:
        try:
            accounts.add_user(TEST_USER, "测试 纪检监察", ["inspector"], ["620000"], None, actor="e2e")
        except AccountExists:
            pass
        return accounts.create_token(TEST_USER, 1, actor="e2e")


class LiveServer:
    """uvicorn serving ``create_app(settings, store)`` in a thread, on a free loopback port."""

    def __init__(self, store: GraphStore, settings: Settings) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        update: dict[str, Any] = {"account_store": "embedded"}
        if "rate_limit" not in settings.model_fields_set:  # suites send thousands of queries as one user
            update["rate_limit"] = "1000000000/minute"
        settings = settings.model_copy(update=update)
        self.token = _TOKENS[self.url] = _test_identity(settings)
        config = uvicorn.Config(
            create_app(settings, store=store),
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            workers=1,
            lifespan="on",
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name=f"uvicorn-{self.port}", daemon=True)

    def start(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


def open_test_store(backend: str, folder: Path) -> GraphStore:
    if backend == "embedded":
        from graph.ladybug import LadybugStore

        return LadybugStore(folder)
    from graph.neo4j import Neo4jStore

    store = Neo4jStore(
        uri=os.environ["WENZE_NEO4J_URI"],
        user=os.environ.get("WENZE_NEO4J_USER", "neo4j"),
        password=os.environ.get("WENZE_NEO4J_PASSWORD", ""),
        database=os.environ.get("WENZE_NEO4J_DATABASE", "neo4j"),
    )
    store.clear()
    return store


def load_dataset(store: GraphStore, dataset: str, folder: Path) -> None:
    import loaders

    if dataset == "trap":
        loaders.load(store, write_bundle(folder / "trap-bundle"))
    elif dataset == "demo":
        from loaders.demo import generate

        loaders.load(store, generate("small"))
    elif dataset == "full" and store.backend == "neo4j":
        # Through the real command users run: WENZE_BACKEND=neo4j wenze demo --scale full
        env = {**os.environ, "WENZE_BACKEND": "neo4j", "WENZE_DATA_DIR": str(folder / "cli")}
        subprocess.run(
            [sys.executable, "-m", "api.cli", "demo", "--scale", "full", "--no-serve"],
            env=env,
            check=True,
            capture_output=True,
            timeout=900,
        )
    elif dataset == "full":
        from loaders.demo import generate

        loaders.load(store, generate("full"))
    else:
        raise ValueError(dataset)


@dataclass
class Live:
    backend: str
    dataset: str
    store: GraphStore
    server: LiveServer

    @property
    def url(self) -> str:
        return self.server.url


class Servers:
    """One live server per (backend, dataset); on Neo4j only one dataset at a time."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.live: dict[tuple[str, str], Live] = {}
        self.neo4j_store: GraphStore | None = None

    def get(self, backend: str, dataset: str) -> Live:
        key = (backend, dataset)
        if key in self.live:
            return self.live[key]
        if dataset == "full":  # ~1.6M rows: hold one full demo at a time (memory on a 24 GB machine)
            for other in [k for k in self.live if k[1] == "full"]:
                self.discard(*other)
        folder = self.root / f"{backend}-{dataset}"
        folder.mkdir(parents=True, exist_ok=True)
        if backend == "neo4j":
            for other in [k for k in self.live if k[0] == "neo4j"]:
                self.live.pop(other).server.stop()
            if self.neo4j_store is None:
                self.neo4j_store = open_test_store("neo4j", folder)
            store = self.neo4j_store
            store.clear()
        else:
            store = open_test_store(backend, folder / "db")
        load_dataset(store, dataset, folder)
        settings = Settings(backend=backend, data_dir=folder / "unused")  # type: ignore[arg-type]
        live = Live(backend, dataset, store, LiveServer(store, settings).start())
        self.live[key] = live
        return live

    def discard(self, backend: str, dataset: str) -> None:
        """Forget a live server whose data a test changed: the next get() loads it afresh."""
        live = self.live.pop((backend, dataset), None)
        if live is not None:
            live.server.stop()
            if live.store is not self.neo4j_store:
                live.store.close()

    def close(self) -> None:
        for live in self.live.values():
            live.server.stop()
        closed: set[int] = set()
        for live in self.live.values():
            if id(live.store) not in closed:
                live.store.close()
                closed.add(id(live.store))
        if self.neo4j_store is not None and id(self.neo4j_store) not in closed:
            self.neo4j_store.close()


@pytest.fixture(scope="session")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    manager = Servers(tmp_path_factory.mktemp("e2e"))
    yield manager
    manager.close()


class GraphQLClient:
    """POSTs queries to a live server (as its test user); ``data`` asserts there were no errors."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.http = httpx.Client(base_url=url, timeout=60, headers=auth_headers(url))

    def post(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = self.http.post("/graphql", json={"query": query, "variables": variables or {}})
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]

    def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        body = self.post(query, variables)
        assert "errors" not in body, body["errors"]
        return body["data"]  # type: ignore[no-any-return]

    def error_codes(self, query: str, variables: dict[str, Any] | None = None) -> list[str]:
        body = self.post(query, variables)
        assert body.get("errors"), body
        return [e["extensions"]["code"] for e in body["errors"]]


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def trap(servers: Servers, backend: str) -> GraphQLClient:
    return GraphQLClient(servers.get(backend, "trap").url)


@pytest.fixture
def demo(servers: Servers, backend: str) -> GraphQLClient:
    return GraphQLClient(servers.get(backend, "demo").url)


Gql = Callable[[str], dict[str, Any]]
