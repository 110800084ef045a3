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
