"""Loading bundles (CONTRACT §1) on every backend: idempotent, round-trips, rejects bad bundles whole."""

from __future__ import annotations

import zipfile
from datetime import date

import pytest

from loaders import BundleRejected, export_bundle, load
from tests.contract.bundles import GOOD, snapshot, write_bundle


def test_load_writes_typed_values(store, tmp_path):
    report = load(store, write_bundle(tmp_path / "b", GOOD))
    assert report.stats.nodes_created == 11 and report.stats.rels_created == 15
    nodes = store.get_nodes(["P1", "P2", "M-1", "M-2", "ISS-1"])
    assert nodes["P2"] == {
        "id": "P2",
        "kind": "Official",
        "name": "王芳",
        "gender": "female",
        "birth_year": 1975,
        "ethnicity": None,
        "party_member": True,
        "rank": "county_division_principal",
    }
    assert nodes["M-1"]["measure_kind"] == "admonishment"
    assert (nodes["M-1"]["form"], nodes["M-2"]["form"]) == (1, 2)  # derived from the kind
    assert nodes["M-2"]["effective_on"] == date(2023, 6, 1)
    assert nodes["M-2"]["period_end"] == date(2024, 5, 31)  # 记过: 12 months
    posts = store.edges(["P1"], types=["HELD_POST"], direction="out")
    assert [(e.props["start"], e.props["acting"]) for e in posts] == [
        (date(2019, 10, 1), True),
        (date(2020, 1, 1), False),
    ]


def test_loading_twice_changes_nothing(store, tmp_path):
    bundle = write_bundle(tmp_path / "b", GOOD)
    load(store, bundle)
    first = snapshot(store)
    report = load(store, bundle)
    assert report.stats.nodes_created == 0 and report.stats.rels_created == 0
    assert report.stats.nodes_updated == 11 and report.stats.rels_updated == 15
    assert snapshot(store) == first


def test_upsert_updates_only_given_columns(store, tmp_path):
    load(store, write_bundle(tmp_path / "a", GOOD))
    load(store, write_bundle(tmp_path / "b", {"Official.csv": "id,rank\nP1,bureau_deputy\n"}))
    p1 = store.get_nodes(["P1"])["P1"]
    assert (p1["name"], p1["rank"], p1["birth_year"]) == ("张伟", "bureau_deputy", 1970)


def test_export_then_load_gives_the_same_graph(store, tmp_path):
    load(store, write_bundle(tmp_path / "b", GOOD))
    before = snapshot(store)
    written = export_bundle(store, tmp_path / "export")
    assert written["Official"] == 2 and written["HELD_POST"] == 3
    store.clear()
    assert store.count_nodes() == 0
    load(store, tmp_path / "export")
    assert snapshot(store) == before


def test_every_enumeration_accepts_its_chinese_labels(store, tmp_path):
    chinese = dict(GOOD)
    chinese["Official.csv"] = "编号,姓名,性别,职级\nP1,张伟,男,县处级正职\nP2,王芳,女,县处级副职\n"
    chinese["Issue.csv"] = "编号,问题摘要,严重程度,状态,期限类型\nISS-1,逐利执法,较重,整改中,限期整改\n"
    chinese["HELD_POST.csv"] = "from,to,post_kind,start\nP1,ORG-LZ-JT,政府（行政）主要负责人,2020-01-01\n"
    chinese["RESPONSIBLE.csv"] = "from,to,kind\nISS-1,P2,直接责任\n"
    load(store, write_bundle(tmp_path / "zh", chinese))
    nodes = store.get_nodes(["P1", "P2", "ISS-1"])
    assert (nodes["P1"]["gender"], nodes["P1"]["rank"]) == ("male", "county_division_principal")
    assert (nodes["P2"]["gender"], nodes["P2"]["rank"]) == ("female", "county_division_deputy")
    issue = nodes["ISS-1"]
    assert (issue["severity"], issue["status"], issue["deadline_kind"]) == ("serious", "rectifying", "time_limited")
    assert [e.props["post_kind"] for e in store.edges(["P1"], ("HELD_POST",), "out")] == ["gov_principal"]
    assert [e.props["kind"] for e in store.edges(["ISS-1"], ("RESPONSIBLE",), "out")] == ["direct"]


def test_chinese_headers_bom_zip_and_xlsx(store, tmp_path):
    chinese = dict(GOOD)
    chinese["Official.csv"] = "编号,姓名,性别,出生年份,党员\nP1,张伟,male,1970,是\nP2,王芳,female,1975,否\n"
    chinese["Measure.csv"] = "编号,措施,决定日期\nM-1,诫勉,2023-06-01\nM-2,记过,2023-06-01\n"
    folder = write_bundle(tmp_path / "zh", chinese, bom=True)
    zipped = tmp_path / "bundle.zip"
    with zipfile.ZipFile(zipped, "w") as zf:
        for f in folder.iterdir():
            zf.write(f, f"gansu/{f.name}")
    load(store, zipped)
    nodes = store.get_nodes(["P2", "M-2"])
    assert nodes["P2"]["party_member"] is False
    assert nodes["M-2"]["measure_kind"] == "gov_demerit"

    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.remove(book.active)
    sheet = book.create_sheet("Official")
    sheet.append(["id", "姓名", "出生年份"])
    sheet.append(["P9", "李娜", 1988])
    sheet = book.create_sheet("Document")
    sheet.append(["id", "title", "date"])
    sheet.append(["DOC-1", "督办函", date(2023, 5, 4)])
    book.save(tmp_path / "book.xlsx")
    load(store, tmp_path / "book.xlsx")
    nodes = store.get_nodes(["P9", "DOC-1"])
    assert nodes["P9"]["birth_year"] == 1988 and nodes["DOC-1"]["date"] == date(2023, 5, 4)


def _variant(file: str, old: str, new: str) -> dict[str, str]:
    files = dict(GOOD)
    assert old in files[file], (file, old)
    files[file] = files[file].replace(old, new)
    return files


BAD = {
    "unknown enum value": (_variant("Issue.csv", ",serious,", ",grave,"), ("Issue.csv", 2, "severity")),
    "impossible date": (
        _variant("Measure.csv", "M-1,admonishment,2023-06-01", "M-1,admonishment,2023-02-30"),
        ("Measure.csv", 2, "decided_on"),
    ),
    "dangling endpoint": (_variant("AT.csv", "ISS-1,ORG-LZ-JT", "ISS-1,ORG-NOPE"), ("AT.csv", 2, "to")),
    "wrong endpoint kinds": (_variant("AT.csv", "ISS-1,ORG-LZ-JT", "ISS-1,P1"), ("AT.csv", 2, "from")),
    "duplicate id": (_variant("Official.csv", "P2,王芳", "P1,王芳"), ("Official.csv", 3, "id")),
    "missing required property": (_variant("Official.csv", "P2,王芳", "P2,"), ("Official.csv", 3, "name")),
    "unknown column": ({**GOOD, "Official.csv": "id,name,nickname\nP1,张伟,小张\n"}, ("Official.csv", 1, "nickname")),
    "ragged row": ({**GOOD, "Official.csv": "id,name,gender\nP1,张伟,male\nP2,王芳\n"}, ("Official.csv", 3, None)),
    "missing id": (_variant("Case.csv", "CASE-1,accountability", ",accountability"), ("Case.csv", 2, "id")),
    "derived form disagrees": (
        {
            **GOOD,
            "Measure.csv": "id,kind,decided_on,form\nM-1,admonishment,2023-06-01,3\nM-2,gov_demerit,2023-06-01,2\n",
        },
        ("Measure.csv", 2, "form"),
    ),
    "duplicate relationship": (
        _variant("FOUND.csv", "INS-1,ISS-1\n", "INS-1,ISS-1\nINS-1,ISS-1\n"),
        ("FOUND.csv", 3, "from"),
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_bundle_is_rejected_whole_and_store_unchanged(store, tmp_path, case):
    seed = {"Region.csv": GOOD["Region.csv"], "Official.csv": "id,name\nP0,赵六\n"}
    load(store, write_bundle(tmp_path / "seed", seed))
    before = snapshot(store)
    files, (file, row, column) = BAD[case]
    with pytest.raises(BundleRejected) as info:
        load(store, write_bundle(tmp_path / "bad", files))
    where = [(p.file, p.row, p.column) for p in info.value.problems]
    assert (file, row, column) in where, info.value.summary()
    assert snapshot(store) == before


def test_every_problem_is_reported_at_once(store, tmp_path):
    files = _variant("Issue.csv", ",serious,", ",grave,")
    files["Measure.csv"] = "id,kind,decided_on\nM-1,admonishment,2023-13-01\nM-2,not_a_measure,2023-06-01\n"
    with pytest.raises(BundleRejected) as info:
        load(store, write_bundle(tmp_path / "bad", files))
    where = {(p.file, p.row, p.column) for p in info.value.problems}
    assert {("Issue.csv", 2, "severity"), ("Measure.csv", 2, "decided_on"), ("Measure.csv", 3, "kind")} <= where
    assert store.count_nodes() == 0


def test_relationships_may_point_at_nodes_already_in_the_store(store, tmp_path):
    load(
        store,
        write_bundle(
            tmp_path / "a",
            {k: v for k, v in GOOD.items() if k[0].isupper() and "_" not in k and k[:2] != k[:2].upper()},
        ),
    )
    load(store, write_bundle(tmp_path / "b", {"HELD_POST.csv": GOOD["HELD_POST.csv"]}))
    assert store.count_edges("HELD_POST") == 3


def test_dry_run_writes_nothing(store, tmp_path):
    report = load(store, write_bundle(tmp_path / "b", GOOD), dry_run=True)
    assert report.rows == 26 and store.count_nodes() == 0
