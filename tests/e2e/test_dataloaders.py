"""No N+1: the number of store calls for a list of officials with their posts does not grow with the list."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from api.settings import Settings
from graph.port import GraphStore
from tests.e2e.conftest import BACKENDS, GraphQLClient, LiveServer, load_dataset, open_test_store

READS = ("get_nodes", "edges", "kinds_of", "scan_nodes", "scan_edges", "shortest_paths", "count_nodes", "count_edges")


class CountingStore:
    """A GraphStore that counts the calls made to the store it wraps."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store
        self.backend = store.backend
        self.calls: Counter[str] = Counter()

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._store, name)
        if name not in READS:
            return attr

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls[name] += 1
            return attr(*args, **kwargs)

        return counted


@pytest.fixture(scope="module", params=BACKENDS)
def counted(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[CountingStore, str]]:
    folder: Path = tmp_path_factory.mktemp(f"counted-{request.param}")
    store = open_test_store(request.param, folder / "db")
    load_dataset(store, "demo", folder)
    wrapped = CountingStore(store)
    server = LiveServer(wrapped, Settings(backend=request.param, data_dir=folder / "unused")).start()  # type: ignore[arg-type]
    yield wrapped, server.url
    server.stop()
    if request.param == "neo4j":
        store.clear()
    store.close()


QUERY = """query($n: Int!) { officials(first: $n) { nodes { id name
    posts { title start end organisation { name region { code } } } } } }"""


def test_officials_with_posts_make_a_fixed_number_of_store_calls(counted: tuple[CountingStore, str]) -> None:
    store, url = counted
    client = GraphQLClient(url)
    client.data(QUERY, {"n": 1})  # the process's first request also looks up where its caller's region lies
    counts = {}
    for n in (10, 100):
        store.calls.clear()
        data = client.data(QUERY, {"n": n})
        officials = data["officials"]["nodes"]
        assert len(officials) == n
        assert sum(len(o["posts"]) for o in officials) >= n
        counts[n] = dict(store.calls)
    # The list is paged in the search index (no scan of every official): one get_nodes for the page,
    # then one batched call per level: posts (edges), organisations (get_nodes), their regions (edges,
    # get_nodes) and, for departments without a region, their parents (edges, get_nodes).
    assert counts[100] == counts[10]
    assert sum(counts[100].values()) <= 9, counts[100]
    assert "scan_nodes" not in counts[100] and "scan_edges" not in counts[100], counts[100]
