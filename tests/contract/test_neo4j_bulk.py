"""Neo4j: a first load split over several transactions is still all-or-nothing, and writers in
several processes (here: threads with their own ``Neo4jStore``) derive on a consistent view.

- chunked (``single_transaction_rows`` lowered, ``WRITE_CHUNK`` small) gives the same graph, chains
  and derived values as one transaction, and ``data_version`` does not move until the last one;
- a failure in the middle leaves an empty store and the single transaction's error;
- a marker left by a killed load is cleared at the next open, unless a writer holds the lock;
- two writers whose derived values depend on each other's rows, both deriving before either
  commits, end with the derived values of the memory store that loaded the same batches.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from typing import Any

import pyarrow as pa
import pytest

import graph.neo4j.store as neo4j_store
import graph.neo4j.writer as neo4j_writer
from graph.errors import WriteFailed
from graph.memory_store import MemoryStore
from graph.neo4j import Neo4jStore, cypher
from graph.neo4j.errors import Rejected
from graph.port import Hop
from loaders.demo import generate
from loaders.load import load
from schema.model import NODE_KINDS, REL_KINDS
from tests.contract.bundles import arrow_strings, snapshot
from tests.contract.conftest import neo4j_settings

pytestmark = pytest.mark.neo4j


@pytest.fixture
def cfg() -> Iterator[dict[str, str]]:
    settings = neo4j_settings()
    if settings is None:
        pytest.skip("WENZE_NEO4J_URI is not set (start one with scripts/neo4j-dev start)")
    yield settings
    s = Neo4jStore(**settings)  # leave the server's graph empty and unmarked for the next test
    s.clear()
    s.close()


def _open(cfg: dict[str, str], rows: int = neo4j_store.SINGLE_TRANSACTION_ROWS) -> Neo4jStore:
    return Neo4jStore(**cfg, single_transaction_rows=rows)


def _everything(store: Any) -> dict[str, Any]:
    """Counts, contents, a chain and every node's derived values."""
    ids = [r["id"] for kind in NODE_KINDS for t in store.scan_nodes(kind, ["id"]) for r in t.to_pylist()]
    chain = store.follow(["IS-2023-0011"], [Hop(("LED_TO",), "out"), Hop(("LED_TO",), "out")])
    return {
        "nodes": {k: store.count_nodes(k) for k in NODE_KINDS},
        "edges": {k: store.count_edges(k) for k in REL_KINDS},
        "snapshot": snapshot(store),
        "chain": [e.id for e in chain],
        "derived": store.derived(ids),
    }


def _marker(store: Neo4jStore) -> list[Any]:
    return store._read(cypher.BULK_READ)


def test_chunked_first_load_equals_one_transaction(cfg, monkeypatch, caplog) -> None:
    bundle = generate("small")
    rows = sum(t.num_rows for t in bundle.values())
    store = _open(cfg)
    store.clear()
    load(store, bundle)  # 4,782 rows: one transaction at the default
    one = _everything(store)
    store.clear()
    store.close()

    monkeypatch.setattr(neo4j_writer, "WRITE_CHUNK", 97)
    store = _open(cfg, rows=400)
    watcher = _open(cfg)
    before = store.data_version()
    seen: list[int] = []
    renew = neo4j_writer.Transactions.renew

    def watched(self: neo4j_writer.Transactions) -> None:
        renew(self)
        seen.append(watcher.data_version())  # another reader, between two committed chunks

    monkeypatch.setattr(neo4j_writer.Transactions, "renew", watched)
    with caplog.at_level(logging.INFO, logger="wenze.store"):
        load(store, bundle)
    many = _everything(store)
    assert one["chain"] == ["LED_TO|CL-2023-0001|CA-2023-0001"]
    assert one["nodes"]["Case"] > 0 and sum(one["edges"].values()) > 0
    assert many == one
    assert any(v for d in many["derived"].values() for v in d.values())  # derived values were written
    assert len(seen) >= rows // 400 - 1 and set(seen) == {before}  # unchanged while the chunks commit
    assert watcher.data_version() != before
    assert _marker(store) == []
    assert any("written in" in r.message and "transactions" in r.message for r in caplog.records)
    watcher.close()
    store.close()


def test_failure_midway_leaves_an_empty_store(cfg, monkeypatch) -> None:
    bundle = generate("small")
    monkeypatch.setattr(neo4j_writer, "WRITE_CHUNK", 50)
    store = _open(cfg, rows=300)
    store.clear()
    before = store.data_version()
    renew = neo4j_writer.Transactions.renew
    calls = {"n": 0}

    def failing(self: neo4j_writer.Transactions) -> None:
        calls["n"] += 1
        if calls["n"] == 6:  # five transactions committed already
            raise Rejected("injected failure after five committed transactions")
        renew(self)

    monkeypatch.setattr(neo4j_writer.Transactions, "renew", failing)
    with pytest.raises(WriteFailed, match="the write was rolled back, nothing was written: injected failure"):
        load(store, bundle)
    assert calls["n"] == 6
    assert store.count_nodes() == 0 and store.count_edges() == 0
    assert _marker(store) == []
    assert store.data_version() != before  # readers may have seen part of it: their caches are stale
    monkeypatch.setattr(neo4j_writer.Transactions, "renew", renew)
    load(store, bundle)  # and the store takes the same load afterwards
    assert store.count_nodes("Case") == bundle["Case"].num_rows
    store.close()


def _killed_load(cfg: dict[str, str]) -> int:
    """What a load killed between two chunks leaves: its marker and part of the graph."""
    store = _open(cfg)
    store.clear()
    load(store, {k: v for k, v in generate("small").items() if k in ("Region", "Organisation", "IN_REGION")})
    store._driver.execute_query(cypher.BULK_MARK, {"rows": 4782}, database_=cfg["database"])
    n = store.count_nodes()
    store.close()
    return n


def test_a_killed_load_is_cleared_at_open(cfg, caplog) -> None:
    assert _killed_load(cfg) > 0
    with caplog.at_level(logging.WARNING, logger="wenze.store"):
        store = _open(cfg)
    assert store.count_nodes() == 0 and store.count_edges() == 0
    assert _marker(store) == []
    assert any("did not finish" in r.message and "4782" in r.message for r in caplog.records)
    store.close()


def test_a_running_load_is_left_alone(cfg, monkeypatch, caplog) -> None:
    """Marker present and the version lock held (the load is alive in another process): not cleared."""
    holder = _open(cfg)  # (opened before the marker is written: it would clear it)
    n = _killed_load(cfg)
    monkeypatch.setattr(neo4j_store, "_LIVE_LOCK_SECONDS", 1.0)
    with holder._driver.session(database=cfg["database"]) as session, session.begin_transaction() as hold:
        hold.run(cypher.VERSION_LOCK).consume()
        with caplog.at_level(logging.WARNING, logger="wenze.store"):
            store = _open(cfg)
        assert store.count_nodes() == n and _marker(store) != []
        assert any("another process" in r.message for r in caplog.records)
        hold.rollback()
    store.close()
    store = _open(cfg)  # the lock is free now: what the marker says is left over, cleared
    assert store.count_nodes() == 0
    store.close()
    holder.close()


# ---------------------------------------------------------------- concurrent writers


def _batches() -> tuple[dict[str, pa.Table], dict[str, pa.Table]]:
    """A places organisation O in a region; B adds an issue at O. The issue's derived regions need
    both: whichever commits second must see the other's rows when it derives."""
    a = {
        "Region": arrow_strings({"id": ["620000", "620100"], "name": ["甘肃省", "兰州市"],
                                 "level": ["province", "prefecture"]}),
        "Organisation": arrow_strings({"id": ["ORG-O"], "name": ["兰州市交通运输局"], "kind": ["department"],
                                       "level": ["prefecture"]}),
        "PART_OF": arrow_strings({"from": ["620100"], "to": ["620000"]}),
        "IN_REGION": arrow_strings({"from": ["ORG-O"], "to": ["620100"]}),
    }  # fmt: skip
    b = {
        "Organisation": arrow_strings({"id": ["ORG-O"], "name": ["兰州市交通运输局"], "kind": ["department"],
                                       "level": ["prefecture"]}),
        "Issue": arrow_strings({"id": ["ISS-1"], "summary": ["以罚代管"], "severity": ["serious"],
                                "occurred_on": ["2023-03-31"], "found_on": ["2023-04-10"], "status": ["rectifying"],
                                "deadline": ["2023-06-30"]}),
        "AT": arrow_strings({"from": ["ISS-1"], "to": ["ORG-O"]}),
    }  # fmt: skip
    return a, b


def test_concurrent_writers_store_consistent_derived_values(cfg, monkeypatch) -> None:
    a, b = _batches()
    reference = MemoryStore()
    load(reference, a)
    load(reference, b)
    ids = ["620000", "620100", "ORG-O", "ISS-1"]
    expected = reference.derived(ids)
    assert expected["ISS-1"]["scope_regions"]  # the issue's regions come from A's IN_REGION

    first = _open(cfg)
    first.clear()
    second = _open(cfg)
    both_derived = threading.Barrier(2, timeout=60)
    derive = neo4j_store.derive
    calls: list[str] = []

    def racing(store: Any, batch: Any) -> Any:
        out = derive(store, batch)
        calls.append(threading.current_thread().name)
        if calls.count(threading.current_thread().name) == 1:
            both_derived.wait()  # each has derived before either writes: one of them is stale
        return out

    monkeypatch.setattr(neo4j_store, "derive", racing)
    errors: list[BaseException] = []

    def run(store: Neo4jStore, batch: dict[str, pa.Table]) -> None:
        try:
            load(store, batch)
        except BaseException as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=run, args=(first, a), name="A"),
               threading.Thread(target=run, args=(second, b), name="B")]  # fmt: skip
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    assert first.derived(ids) == expected
    assert len(calls) == 3  # the writer that locked second found the version moved and derived again
    assert second.count_nodes() == 4
    first.close()
    second.close()
