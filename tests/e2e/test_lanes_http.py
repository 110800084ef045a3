"""Over HTTP: a request takes a worker thread once (all its store calls in that one thread, none on the
event loop), and once a shape has proved slow, a burst of it waits in the slow lane while a cheap
request is answered at once. Each request is still audited once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

import loaders
from api.settings import Settings
from graph.ladybug import LadybugStore
from tests.e2e.conftest import LiveServer, auth_headers
from tests.e2e.trap_bundle import write_bundle

SLOW = 0.5  # seconds a campaign scan takes here


class ThreadNotingStore:
    """The real store; notes which thread made each read, and makes campaign scans slow."""

    def __init__(self, store: LadybugStore) -> None:
        self._store = store
        self.threads: list[str] = []
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._store, name)
        if name not in ("get_nodes", "edges", "kinds_of", "scan_nodes", "scan_edges"):
            return attr

        def noted(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                self.threads.append(threading.current_thread().name)
            if name == "scan_nodes" and args and args[0] == "Campaign":
                time.sleep(SLOW)
            return attr(*args, **kwargs)

        return noted


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ThreadNotingStore, LiveServer]]:
    folder = tmp_path_factory.mktemp("lanes")
    store = LadybugStore(folder / "db")
    loaders.load(store, write_bundle(folder / "trap"))
    noting = ThreadNotingStore(store)
    settings = Settings(data_dir=folder / "data", store_threads=1, quick_threads=2, quick_lane_ms=100)
    server = LiveServer(noting, settings).start()  # type: ignore[arg-type]
    yield noting, server
    server.stop()
    store.close()


def _post(server: LiveServer, query: str) -> dict[str, Any]:
    r = httpx.post(f"{server.url}/graphql", json={"query": query}, headers=auth_headers(server.url), timeout=30)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def test_a_request_makes_all_its_store_calls_in_one_worker_thread(served) -> None:
    store, server = served
    query = '{ node(id: "620000") { id } regions { code name } campaigns { id } }'
    _post(server, query)  # the caller's first request also asks where its region lies
    store.threads.clear()
    body = _post(server, query)
    assert body["data"]["node"] == {"id": "620000"}
    assert len(store.threads) >= 3, store.threads  # node, regions, campaigns: three look-ups at least
    assert len(set(store.threads)) == 1, store.threads
    assert store.threads[0].startswith("wenze-"), store.threads  # a lane's thread, not the event loop's


def test_typename_alone_reads_nothing(served) -> None:
    store, server = served
    store.threads.clear()
    assert _post(server, "{ __typename }") == {"data": {"__typename": "Query"}}
    assert store.threads == []


def test_a_burst_of_slow_requests_waits_in_its_lane_not_before_a_cheap_one(served) -> None:
    store, server = served
    slow = "{ campaigns { id name } }"
    cheap_query = '{ node(id: "620000") { id } }'
    for _ in range(3):  # learned: this shape takes SLOW seconds (> quick_lane_ms); the cheap one does not
        _post(server, slow)
        _post(server, cheap_query)
    t0 = time.monotonic()
    _post(server, cheap_query)
    alone = time.monotonic() - t0
    answers: list[dict[str, Any]] = []
    burst = [threading.Thread(target=lambda: answers.append(_post(server, slow))) for _ in range(4)]
    for t in burst:
        t.start()
    time.sleep(0.1)  # the burst is in: one running, three queued in the slow lane (1 thread, 2 s of scans)
    t0 = time.monotonic()
    cheap = _post(server, cheap_query)
    took = time.monotonic() - t0
    still = sum(t.is_alive() for t in burst)
    for t in burst:
        t.join(30)
    assert cheap == {"data": {"node": {"id": "620000"}}}
    # Behind the burst in one queue it would wait for the four scans (≥ 1.9 s from t0); beside it, for
    # nothing but a shared machine (the bound leaves room for a noisy one).
    assert took < 2 * SLOW + alone, f"the cheap request took {took:.2f} s beside the burst ({alone:.2f} s alone)"
    assert still >= 2, "the burst was over before the cheap request was answered"
    assert len(answers) == 4 and all(a["data"]["campaigns"] for a in answers)
