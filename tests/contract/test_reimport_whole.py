"""A re-import of the whole store with every row changed, on the embedded engine and on Neo4j.

When the batch holds every stored node and relationship (an export, edited), derived values are
computed from the batch alone (graph/whole.py ``holds_the_store``). What is stored afterwards must be
exactly what a fresh load of the same rows stores — every value, derived ones included — and what the
general path (the batch laid over the store) stores.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from graph import whole
from graph.derived import READS
from graph.ladybug import LadybugStore, updates
from graph.port import WriteBatch
from loaders import from_tables, validate
from loaders.demo import generate
from schema.model import NODE_KINDS, REL_KINDS
from tests.contract.conftest import neo4j_settings

_READS = frozenset(rel for _, rel, _ in READS)


def _changed(tables: dict[str, pa.Table]) -> dict[str, pa.Table]:
    """Every official renamed, every post retitled, every issue's summary and every case's title
    changed; every measure decided and taking effect a day later (its effect period moves, and the
    date and month its four-forms fact is placed on: derived values, graph/derived.py)."""
    out = dict(tables)
    for kind, column in (("Official", "name"), ("HELD_POST", "title"), ("Issue", "summary"), ("Case", "title")):
        table = out[kind]
        c = table.column(column)
        value = pc.if_else(pc.is_null(c), pa.scalar("改"), pc.binary_join_element_wise(c, pa.scalar("（改）"), ""))
        out[kind] = table.set_column(table.column_names.index(column), column, value)
    for column in ("decided_on", "effective_on"):
        measures = out["Measure"]
        later = [
            None if v is None else (dt.date.fromisoformat(str(v)) + dt.timedelta(days=1)).isoformat()
            for v in measures.column(column).to_pylist()
        ]
        i = measures.column_names.index(column)
        out["Measure"] = measures.set_column(i, column, pa.array(later, measures.column(i).type))
    return out


def _everything(store: Any) -> dict[str, Any]:
    """Every node's values and derived values, every relationship's, as comparable lists."""
    nodes = {
        kind: sorted((r for t in store.scan_nodes(kind) for r in t.to_pylist()), key=_by_id) for kind in NODE_KINDS
    }
    ids = [r["id"] for rows in nodes.values() for r in rows]
    rels = {kind: sorted(e.id + repr(sorted(e.props.items())) for e in _edges(store, kind)) for kind in REL_KINDS}
    return {"nodes": nodes, "derived": store.derived(ids), "rels": rels}


def _by_id(row: dict[str, Any]) -> str:
    return str(row["id"])


def _edges(store: Any, kind: str) -> list[Any]:
    from graph.port import Edge

    out = []
    for table in store.scan_edges(kind):
        props = [c for c in table.column_names if c not in ("from", "to")]
        for row in table.to_pylist():
            out.append(Edge(kind, row["from"], row["to"], {p: row[p] for p in props}))
    return out


@pytest.fixture(scope="module")
def batches() -> tuple[WriteBatch, WriteBatch]:
    tables = generate("small")
    return validate(from_tables(tables)), validate(from_tables(_changed(tables)))


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def empty_store(request, tmp_path: Path):
    """A function that gives an empty store of the backend (on Neo4j the one server, cleared)."""
    opened: list[Any] = []

    def make(name: str) -> Any:
        if request.param == "embedded":
            s: Any = LadybugStore(tmp_path / name)
        else:
            cfg = neo4j_settings()
            if cfg is None:
                pytest.skip("WENZE_NEO4J_URI is not set (start one with scripts/neo4j-dev start)")
            from graph.neo4j import Neo4jStore

            for s in opened:
                s.close()
            opened.clear()
            s = Neo4jStore(**cfg)
            s.clear()
        opened.append(s)
        return s

    yield make
    for s in opened:
        if request.param == "neo4j":
            s.clear()
        s.close()


def test_every_row_changed_stores_what_a_fresh_load_of_the_same_rows_stores(empty_store, batches, monkeypatch):
    original, changed = batches
    fresh = empty_store("fresh")
    fresh.write(changed)
    expected = _everything(fresh)

    store = empty_store("reimport")
    store.write(original)
    before = _everything(store)
    taken: list[bool] = []
    holds = whole.holds_the_store
    monkeypatch.setattr(whole, "holds_the_store", lambda *a: taken.append(holds(*a)) or taken[-1])
    stats = store.write(changed)
    assert taken == [True]  # the whole-store path
    assert stats.nodes_created == 0 and stats.rels_created == 0
    after = _everything(store)
    assert after == expected
    # The values really changed, derived ones included: the measures' effect periods moved.
    officials = {r["id"]: r for r in after["nodes"]["Official"]}
    assert all(r["name"].endswith("（改）") for r in officials.values())
    old_measures = {r["id"]: r for r in before["nodes"]["Measure"]}
    new_measures = {r["id"]: r for r in after["nodes"]["Measure"]}
    moved = [
        i
        for i, r in new_measures.items()
        if r["effective_on"] is not None and r["effective_on"] == old_measures[i]["effective_on"] + dt.timedelta(days=1)
    ]
    assert moved and len(moved) == sum(1 for r in new_measures.values() if r["effective_on"] is not None)
    assert any(new_measures[i]["period_end"] != old_measures[i]["period_end"] for i in moved)
    # Derived at write: each measure's fact is placed on its new decision date, and month.
    for i, r in new_measures.items():
        derived = after["derived"][i]
        assert derived["fact_on"] == r["decided_on"]
        assert derived["fact_month"] == (r["decided_on"].strftime("%Y-%m") if r["decided_on"] else None)
    assert any(after["derived"][i]["fact_month"] != before["derived"][i]["fact_month"] for i in new_measures)


def test_the_general_path_stores_the_same(empty_store, batches, monkeypatch):
    original, changed = batches
    store = empty_store("whole")
    store.write(original)
    store.write(changed)
    expected = _everything(store)

    monkeypatch.setattr(whole, "holds_the_store", lambda *a: False)  # the batch laid over the store
    general = empty_store("general")
    general.write(original)
    general.write(changed)
    assert _everything(general) == expected


def test_an_increment_is_not_taken_for_a_whole_store(empty_store, batches, monkeypatch):
    """A batch of part of the store (a month's new rows, a few corrections) takes the general path."""
    original, changed = batches
    store = empty_store("part")
    store.write(original)
    taken: list[bool] = []
    holds = whole.holds_the_store
    monkeypatch.setattr(whole, "holds_the_store", lambda *a: taken.append(holds(*a)) or taken[-1])
    store.write(_without(changed, "Official", 5))
    store.write(_without(changed, "HELD_POST", 1))
    assert not any(taken)


def _without(batch: WriteBatch, kind: str, rows: int = 1) -> WriteBatch:
    nodes = [n if n.kind != kind else type(n)(n.kind, n.table.slice(rows)) for n in batch.nodes]
    rels = [r if r.kind != kind else type(r)(r.kind, r.table.slice(rows)) for r in batch.rels]
    return WriteBatch(nodes=nodes, rels=rels)


def _drop_column(batch: WriteBatch, kind: str, column: str) -> WriteBatch:
    nodes = [n if n.kind != kind else type(n)(n.kind, n.table.drop_columns([column])) for n in batch.nodes]
    rels = [r if r.kind != kind else type(r)(r.kind, r.table.drop_columns([column])) for r in batch.rels]
    return WriteBatch(nodes=nodes, rels=rels)


def test_a_batch_that_misses_part_of_the_store_takes_the_general_path(tmp_path: Path, batches):
    original, changed = batches
    store = LadybugStore(tmp_path / "store")
    store.write(original)
    run, known = store._execute, store._id_kinds()
    assert updates.holds_the_store(run, changed, known, _READS)
    assert not updates.holds_the_store(run, _without(changed, "Official"), known, _READS)  # a node missing
    assert not updates.holds_the_store(run, _without(changed, "Region"), known, _READS)
    assert not updates.holds_the_store(run, _without(changed, "HELD_POST"), known, _READS)  # a relationship
    assert not updates.holds_the_store(run, _without(changed, "IN_REGION"), known, _READS)
    assert not updates.holds_the_store(run, _drop_column(changed, "Measure", "kind"), known, _READS)  # a fact's value
    assert not updates.holds_the_store(run, _drop_column(changed, "HELD_POST", "end"), known, _READS)
    assert not updates.holds_the_store(run, WriteBatch(), known, _READS)
    # A relationship no derived value reads may be missing: it is written like any other update.
    assert "REVIEWED_BY" not in _READS
    assert updates.holds_the_store(run, _without(changed, "REVIEWED_BY"), known, _READS)
    store.close()
