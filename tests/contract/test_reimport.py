"""Re-imports: writing rows that are already stored, on every backend (the update path).

The embedded store writes only the stored rows whose values differ (graph/ladybug/updates.py); these
tests pin that what is stored afterwards is exactly what a row-by-row update would give: null equal to
null, a value to null and back, absent columns left alone, a second table of the same kind in the same
batch (other columns, ids the first one creates), relationships with a null key.
"""

from __future__ import annotations

from datetime import date

import pyarrow as pa

from graph.ladybug import updates
from graph.port import WriteBatch, WriteStats
from tests.contract.test_store_contract import NODE_COUNT, P1, REL_COUNT, contents, graph, nodes, rels


def test_writing_the_same_graph_again_changes_nothing_and_counts_every_row_as_updated(store):
    store.write(graph())
    before = {kind: sorted(t.to_pylist() for t in store.scan_nodes(kind)) for kind in ("Official", "Region")}
    posts = sorted(e.id for e in store.edges(["ORG-JT"], types=["HELD_POST"]))
    stats = store.write(graph())
    assert stats == WriteStats(nodes_created=0, nodes_updated=NODE_COUNT, rels_created=0, rels_updated=REL_COUNT)
    assert store.count_nodes() == NODE_COUNT and store.count_edges() == REL_COUNT
    assert {kind: sorted(t.to_pylist() for t in store.scan_nodes(kind)) for kind in before} == before
    assert sorted(e.id for e in store.edges(["ORG-JT"], types=["HELD_POST"])) == posts


def test_changed_unchanged_and_nulls_mixed_in_one_table(store):
    store.write(graph())
    # P1 as stored (unchanged), P2 gender female -> null, P3 gender null stays null but rank set.
    stats = store.write(
        WriteBatch(
            nodes=[
                nodes("Official", id=["P1", "P2", "P3"], gender=["male", None, None], rank=[P1["rank"], None, "处级"])
            ]
        )  # fmt: skip
    )
    assert stats.nodes_updated == 3 and stats.nodes_created == 0
    got = store.get_nodes(["P1", "P2", "P3"])
    assert got["P1"] == P1
    assert got["P2"]["gender"] is None and got["P2"]["name"] == "王芳" and got["P2"]["rank"] is None
    assert got["P3"]["gender"] is None and got["P3"]["rank"] == "处级" and got["P3"]["ethnicity"] == "回族"
    # And back.
    store.write(WriteBatch(nodes=[nodes("Official", id=["P2", "P3"], gender=["female", None], rank=[None, None])]))
    got = store.get_nodes(["P2", "P3"])
    assert got["P2"]["gender"] == "female" and got["P3"]["rank"] is None


def test_two_tables_of_one_kind_in_one_batch_the_second_updating_what_the_first_created(store):
    store.write(graph())
    batch = WriteBatch(
        nodes=[
            nodes("Official", id=["P1", "P8"], name=["张伟", "钱七"]),
            nodes("Official", id=["P8", "P1", "P2"], rank=["科级", "厅级", None]),  # other columns, same batch
        ]
    )
    stats = store.write(batch)
    assert stats.nodes_created == 1 and stats.nodes_updated == 1 + 3
    got = store.get_nodes(["P1", "P2", "P8"])
    assert got["P8"]["name"] == "钱七" and got["P8"]["rank"] == "科级"
    assert got["P1"] == {**P1, "rank": "厅级"} and got["P2"]["rank"] is None


def test_relationships_with_a_null_key_and_a_changed_property(store):
    store.write(graph())
    stats = store.write(
        WriteBatch(
            rels=[
                rels(
                    "HELD_POST",
                    [("P1", "ORG-JT"), ("P2", "ORG-JT")],
                    title=["代局长", "党组书记"],
                    start=[date(2019, 10, 1), None],
                )
            ]
        )  # fmt: skip
    )
    assert stats == WriteStats(rels_updated=2)
    posts = {e.id: e.props["title"] for e in store.edges(["ORG-JT"], types=["HELD_POST"])}
    assert posts["HELD_POST|P1|ORG-JT|2019-10-01"] == "代局长"  # as stored
    assert posts["HELD_POST|P2|ORG-JT"] == "党组书记"  # the null-start post, changed
    assert store.count_edges() == REL_COUNT


def test_changed_rows_compares_null_with_null_and_keys_with_null_parts():
    stored = updates.with_key(
        pa.table(
            {
                "from": ["a", "a", "b"],
                "to": ["x", "x", "y"],
                "start": [date(2020, 1, 1), None, None],
                "title": ["t", None, "u"],
            }
        ),  # fmt: skip
        ["from", "to", "start"],
    )
    incoming = updates.with_key(
        pa.table(
            {
                "from": ["a", "a", "b"],
                "to": ["x", "x", "y"],
                "start": [None, date(2020, 1, 1), None],
                "title": [None, "t", "v"],
            }
        ),  # fmt: skip
        ["from", "to", "start"],
    )
    assert updates.is_stored(incoming, stored).to_pylist() == [True, True, True]
    changed, _ = updates.changes(incoming, stored, ["title"])
    assert changed.select(["from", "title"]).to_pylist() == [{"from": "b", "title": "v"}]


def test_only_the_columns_that_differ_are_set():
    """``changes`` gives the rows that differ and the columns that differ in any of them (only those
    are SET: the engine's cost is per column); a column equal in every row is left out."""
    stored = updates.with_key(
        pa.table({"id": ["a", "b", "c", "d"], "name": ["甲", "乙", "丙", "丁"], "rank": ["x", None, "y", "z"],
                  "gender": ["male", "female", None, "male"]}),
        ["id"],
    )  # fmt: skip
    incoming = updates.with_key(
        pa.table({"id": ["a", "b", "c", "d"], "name": ["甲", "乙乙", "丙", "丁"], "rank": ["x", None, "w", "z"],
                  "gender": ["male", "female", None, "male"]}),
        ["id"],
    )  # fmt: skip
    rows, differing = updates.changes(incoming, stored, ["name", "rank", "gender"])
    assert rows.column("id").to_pylist() == ["b", "c"]
    assert differing == ["name", "rank"]
    assert updates.changes(stored, stored, ["name", "rank", "gender"])[1] == []
    assert updates.changes(stored, stored, ["name", "rank", "gender"])[0].num_rows == 0


def test_a_re_import_changing_one_column_keeps_every_other(store):
    """Each row changes a different column: every stored value ends as the bundle says."""
    store.write(graph())
    store.write(WriteBatch(nodes=[nodes("Official", id=["P1", "P2", "P3"], name=["张伟伟", "王芳", "李强"],
                                        gender=["male", "male", None], birth_year=[1970, None, 1990])]))  # fmt: skip
    got = {r["id"]: r for r in contents(store)["Official"]}
    assert (got["P1"]["name"], got["P1"]["gender"], got["P1"]["birth_year"]) == ("张伟伟", "male", 1970)
    assert (got["P2"]["name"], got["P2"]["gender"], got["P2"]["birth_year"]) == ("王芳", "male", None)
    assert (got["P3"]["name"], got["P3"]["gender"], got["P3"]["birth_year"]) == ("李强", None, 1990)
    assert got["P1"]["rank"] == "county_division_principal" and got["P3"]["ethnicity"] == "回族"  # not in the bundle
