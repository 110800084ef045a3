"""The embedded store's id map (graph/ladybug/id_map.py) answers the same from the engine, while it
is being built after an open, as from the built map: kinds, regions, groups and counts."""

from __future__ import annotations

import threading
from pathlib import Path

import pyarrow as pa

from graph.ladybug import LadybugStore
from graph.ladybug.id_map import IdMap
from graph.port import NodeRows, WriteBatch
from loaders.demo.generator import generate
from loaders.load import load
from schema.model import NODE_KINDS


def _sample(store: LadybugStore) -> list[str]:
    """Some ids of every kind, an absent one and a repeat, in no particular order."""
    ids: list[str] = []
    for kind in NODE_KINDS:
        column = next(store.scan_nodes(kind, [])).column("id").to_pylist()
        ids += column[::97][:40]
    return [*ids[::-1], "NO-SUCH-ID", ids[0], *ids[:3]]


def test_the_engine_answers_as_the_built_map(tmp_path: Path) -> None:
    store = LadybugStore(tmp_path / "store")
    try:
        load(store, generate("small"))
        sample = _sample(store)
        from_engine = IdMap(store._run)  # not built: every read asks the engine
        expected = IdMap(store._run)
        expected.full()
        assert not from_engine.built and expected.built
        found = from_engine.lookup(sample)
        assert found == expected.lookup(sample)
        assert list(found) == list(dict.fromkeys(i for i in sample if i != "NO-SUCH-ID"))  # order, once each
        assert {kind for kind, _ in found.values()} == set(NODE_KINDS)
        assert any(regions for _, regions in found.values())  # the derived regions are compared too
        assert from_engine.by_kind(sample) == expected.by_kind(sample)
        assert from_engine.lookup([]) == {}
        for kind in NODE_KINDS:
            assert from_engine.size(kind) == expected.size(kind) == store.count_nodes(kind)
        assert not from_engine.built  # none of that needed the whole map
        assert from_engine.in_regions("Official", ["620102"]) == expected.in_regions("Official", ["620102"])
        assert from_engine.built  # a whole list does
    finally:
        store.close()


def test_a_store_answers_while_its_map_is_built_and_a_write_waits_for_it(tmp_path: Path) -> None:
    store = LadybugStore(tmp_path / "store")
    load(store, generate("small"))
    sample = _sample(store)
    expected = store.kinds_of(sample)
    store.close()

    reopened = LadybugStore(tmp_path / "store")
    try:
        ids = reopened._ids
        held = threading.Event()
        ids.join()  # the build begun at open; then as if it were still under way:
        ids._lock.acquire()
        ids._kinds, ids._scopes, ids._sizes = None, {}, None
        try:
            assert not ids.built
            assert reopened.kinds_of(sample) == expected
            assert reopened.get_nodes(["NO-SUCH-ID"]) == {}
            record = reopened.get_nodes([next(iter(expected))])
            assert list(record) == [next(iter(expected))]
            batch = WriteBatch(nodes=[NodeRows("Region", pa.table({"id": ["999901"], "name": ["试验区"]}))])
            writer = threading.Thread(target=lambda: (held.set(), reopened.write(batch)))
            writer.start()
            held.wait()
            writer.join(0.3)
            assert writer.is_alive()  # the write needs the whole map: it waits for the build
        finally:
            ids._lock.release()
        writer.join(30)
        assert not writer.is_alive()
        assert reopened.kinds_of(["999901"]) == {"999901": "Region"}
        assert ids.built
    finally:
        reopened.close()
