"""A slow request holds up no other request, and stops with TIMEOUT when its time budget is spent.

The store below answers one kind of scan slowly (as a whole-table count at volume would be); every
other call goes straight to the real embedded store.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import httpx
import pytest

import loaders
from api.settings import Settings
from graph.ladybug import LadybugStore
from tests.e2e.conftest import LiveServer, auth_headers
from tests.e2e.trap_bundle import write_bundle

SLOW_SECONDS = 2.0


class SlowCampaignScans:
    """The real store, except that scanning campaigns takes ``SLOW_SECONDS`` (and says when it starts)."""

    def __init__(self, store: LadybugStore) -> None:
        self._store = store
        self.scanning = threading.Event()

    def scan_nodes(self, kind: str, columns: Any = None) -> Any:
        if kind == "Campaign":
            self.scanning.set()
            time.sleep(SLOW_SECONDS)
        return self._store.scan_nodes(kind, columns)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


@pytest.fixture
def slow_store(tmp_path):
    store = LadybugStore(tmp_path / "db")
    loaders.load(store, write_bundle(tmp_path / "trap"))
    yield SlowCampaignScans(store)
    store.close()


def _serve(store: Any, tmp_path, **settings: Any) -> LiveServer:
    return LiveServer(store, Settings(data_dir=tmp_path / "unused", **settings)).start()


def test_a_slow_request_does_not_hold_up_a_cheap_one(slow_store, tmp_path):
    server = _serve(slow_store, tmp_path)
    try:
        slow_answer: dict[str, Any] = {}

        def slow() -> None:
            r = httpx.post(
                f"{server.url}/graphql",
                json={"query": "{ campaigns { id name } }"},
                headers=auth_headers(server.url),
                timeout=30,
            )
            slow_answer.update(r.json())

        worker = threading.Thread(target=slow)
        worker.start()
        assert slow_store.scanning.wait(10), "the slow request never reached the store"
        t0 = time.monotonic()
        cheap = httpx.post(
            f"{server.url}/graphql",
            json={"query": '{ __typename node(id: "620000") { id } }'},
            headers=auth_headers(server.url),
        )
        took = time.monotonic() - t0
        still_running = worker.is_alive()
        worker.join(30)
        assert cheap.json()["data"] == {"__typename": "Query", "node": {"id": "620000"}}
        assert still_running, "the cheap request waited until the slow one had finished"
        assert took < SLOW_SECONDS / 2
        assert [c["id"] for c in slow_answer["data"]["campaigns"]], slow_answer
    finally:
        server.stop()


def test_a_request_past_its_budget_stops_with_timeout(slow_store, tmp_path):
    server = _serve(slow_store, tmp_path, request_timeout_seconds=0.3)
    try:
        t0 = time.monotonic()
        body = httpx.post(
            f"{server.url}/graphql",
            json={"query": "{ campaigns { id } }"},
            headers=auth_headers(server.url),
            timeout=30,
        ).json()
        took = time.monotonic() - t0
        assert [e["extensions"]["code"] for e in body["errors"]] == ["TIMEOUT"]
        assert "WENZE_REQUEST_TIMEOUT_SECONDS" in body["errors"][0]["message"]
        assert took < SLOW_SECONDS, "the answer waited for the slow call instead of the budget"
        # The budget is per request: the next one starts afresh and is answered.
        ok = httpx.post(
            f"{server.url}/graphql", json={"query": '{ node(id: "620000") { id } }'}, headers=auth_headers(server.url)
        ).json()
        assert ok == {"data": {"node": {"id": "620000"}}}
    finally:
        server.stop()
