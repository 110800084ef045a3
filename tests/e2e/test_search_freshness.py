"""Search follows writes committed after the server started (on Neo4j, from another process too)."""

from __future__ import annotations

import time

import pyarrow as pa

from graph.port import NodeRows, WriteBatch
from tests.e2e.conftest import GraphQLClient, Servers, open_test_store


def test_a_write_after_start_becomes_searchable(servers: Servers, backend: str, tmp_path) -> None:
    live = servers.get(backend, "trap")
    client = GraphQLClient(live.url)
    query = '{ search(text: "欧阳娜娜") { id label } }'
    assert client.data(query)["search"] == []
    # On Neo4j a second store is another connection, as `wenze load` in another process would be;
    # the embedded engine admits one process, so the write goes through the server's own store.
    writer = open_test_store("neo4j", tmp_path) if backend == "neo4j" else live.store
    try:
        if backend == "neo4j":
            # open_test_store clears Neo4j: put the trap data back before adding to it.
            from tests.e2e.conftest import load_dataset

            load_dataset(writer, "trap", tmp_path)
        writer.write(WriteBatch(nodes=[NodeRows("Official", pa.table({"id": ["P-NEW-1"], "name": ["欧阳娜娜"]}))]))
        deadline = time.monotonic() + 60
        found: list[dict[str, str]] = []
        while time.monotonic() < deadline and not found:
            found = client.data(query)["search"]
            time.sleep(0.2)
        assert found == [{"id": "P-NEW-1", "label": "欧阳娜娜"}]
    finally:
        if writer is not live.store:
            writer.close()
        servers.discard(backend, "trap")


def test_the_first_build_runs_beside_the_server_and_searches_wait_for_it(tmp_path) -> None:
    """After a restart the index is built in the background: other questions answer at once; a search
    asked meanwhile waits for the complete index (never a partial one), and a write committed during the
    build is found once the rebuild it triggers is done."""
    import threading

    from api.search import LiveSearch
    from graph.ladybug import LadybugStore

    store = LadybugStore(tmp_path / "data")
    try:
        names = [f"欧阳{chr(0x4E00 + i)}" for i in range(200)]
        store.write(WriteBatch(nodes=[NodeRows("Official", pa.table({"id": [f"P{i}" for i in range(200)],
                                                                     "name": names}))]))  # fmt: skip
        release = threading.Event()
        scan = store.scan_nodes

        def slow_scan(kind, columns=None):  # the first build is held until the test lets it go
            release.wait(30)
            return scan(kind, columns)

        store.scan_nodes = slow_scan  # type: ignore[method-assign]
        started = time.monotonic()
        live = LiveSearch.start(store, check_every=0.0)
        assert time.monotonic() - started < 1 and not live.ready
        answer: list[list[str]] = []
        asking = threading.Thread(target=lambda: answer.append(live.search("欧阳", 500)))
        asking.start()
        time.sleep(0.3)
        assert answer == []  # waiting for the build, not answering from nothing
        store.write(WriteBatch(nodes=[NodeRows("Official", pa.table({"id": ["P-LATE"], "name": ["欧阳迟到"]}))]))
        release.set()
        asking.join(30)
        assert live.ready and len(answer[0]) >= 200 and {f"P{i}" for i in range(200)} <= set(answer[0])
        live.wait_until_fresh()
        assert live.search("欧阳迟到") == ["P-LATE"]
    finally:
        store.close()
