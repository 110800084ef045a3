"""graph.search_index: matching, ranking and keeping in step with writes, against a fake store."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator, Sequence

import pyarrow as pa
import pytest
from pypinyin import Style, lazy_pinyin

from graph import search_index
from graph.port import NodeRows, RelRows, WriteBatch
from graph.search_index import SearchIndex


class FakeStore:
    """Implements only ``scan_nodes``: rows per kind as dicts; columns a row lacks read as null."""

    def __init__(self, rows: dict[str, list[dict[str, str | None]]]) -> None:
        self.rows = rows
        self.scanned: list[tuple[str, tuple[str, ...]]] = []

    def scan_nodes(self, kind: str, columns: Sequence[str] | None = None) -> Iterator[pa.Table]:
        cols = ["id", *(columns or ())]
        self.scanned.append((kind, tuple(columns or ())))
        rows = self.rows.get(kind, [])
        if rows:
            yield pa.table({c: pa.array([r.get(c) for r in rows], type=pa.string()) for c in cols})


def officials(*names: str, start: int = 1) -> list[dict[str, str | None]]:
    return [{"id": f"OFF-{i}", "name": name} for i, name in enumerate(names, start)]


def build(**rows: list[dict[str, str | None]]) -> SearchIndex:
    return SearchIndex.build(FakeStore(rows))


def batch(node_kind: str, /, **columns: list[str | None]) -> WriteBatch:
    table = pa.table({c: pa.array(v, type=pa.string()) for c, v in columns.items()})
    return WriteBatch(nodes=[NodeRows(node_kind, table)])


# ---------------------------------------------------------------- building


def test_build_reads_every_searchable_kind_with_its_searchable_columns() -> None:
    store = FakeStore({"Official": officials("王芳")})
    index = SearchIndex.build(store)
    assert ("Official", ("name",)) in store.scanned
    assert ("Issue", ("summary", "category")) in store.scanned
    assert ("Document", ("title", "doc_no")) in store.scanned
    assert not any(kind in ("Measure", "DutyReport") for kind, _ in store.scanned)
    assert index.size == 1


def test_nodes_without_text_are_counted_but_never_found() -> None:
    index = build(Official=[{"id": "OFF-1", "name": "王芳"}, {"id": "OFF-2", "name": None}])
    assert index.size == 2
    assert index.search("王芳") == ["OFF-1"]


# ---------------------------------------------------------------- Chinese substrings


def test_two_character_name_whole_prefix_and_inside() -> None:
    index = build(Official=officials("王芳", "王芳芳", "李王芳", "王方", "芳王"))
    assert index.search("王芳") == ["OFF-1", "OFF-2", "OFF-3"]


def test_one_character_query() -> None:
    index = build(Official=officials("王芳", "李娜", "张芳华", "芳"))
    # whole text, then starts with, then contains
    assert index.search("芳") == ["OFF-4", "OFF-1", "OFF-3"]
    assert index.search("娜") == ["OFF-2"]


def test_substring_inside_a_long_summary() -> None:
    summary = "2023年6月，某县交通运输局两名干部在工作日中午违规公款吃喝，并借用下属单位公务用车往返，群众反映强烈。"
    index = build(Issue=[{"id": "ISS-1", "summary": summary, "category": "作风建设"}])
    assert index.search("吃喝") == ["ISS-1"]
    assert index.search("公款吃喝") == ["ISS-1"]
    assert index.search("借用下属单位公务用车") == ["ISS-1"]
    assert index.search("作风") == ["ISS-1"]  # the second searchable property
    assert index.search("吃饭") == []


def test_document_number_with_brackets_and_digits() -> None:
    index = build(Document=[{"id": "DOC-1", "title": "关于开展法治督察的通知", "doc_no": "甘法督〔2023〕5号"}])
    assert index.search("〔2023〕") == ["DOC-1"]
    assert index.search("2023") == ["DOC-1"]
    assert index.search("法治督察") == ["DOC-1"]


def test_blank_queries_and_first() -> None:
    index = build(Official=officials(*(f"张{c}" for c in "伟芳娜敏静丽强磊军洋")))
    assert index.search("") == []
    assert index.search("   \t") == []
    assert index.search("张", first=0) == []
    assert len(index.search("张", first=3)) == 3
    assert len(index.search("张")) == 10


def test_full_width_and_case_are_folded() -> None:
    index = build(Organisation=[{"id": "ORG-1", "name": "兰州新区ＡＢＣ法治办"}])
    assert index.search("abc") == ["ORG-1"]
    assert index.search(" 兰州 新区 ") == ["ORG-1"]  # spaces between Chinese characters are dropped


# ---------------------------------------------------------------- pinyin


def test_pinyin_full_initials_and_prefixes() -> None:
    index = build(Official=officials("张伟", "赵文", "张文华", "李娜"))
    assert index.search("zhangwei") == ["OFF-1"]
    assert index.search("Zhang Wei") == ["OFF-1"]
    assert index.search("ZHANGWEI") == ["OFF-1"]
    assert index.search("zw") == ["OFF-1", "OFF-2", "OFF-3"]  # 张伟, 赵文 exact initials; zwh prefix
    assert index.search("zhangw") == ["OFF-1", "OFF-3"]
    assert index.search("zwh") == ["OFF-3"]
    assert index.search("lin") == ["OFF-4"]
    assert index.search("l") == ["OFF-4"]
    assert index.search("zhangwenhuax") == []


def test_pinyin_query_longer_than_the_indexed_prefixes() -> None:
    name = "甘肃省兰州市城关区人民政府"
    index = build(Organisation=[{"id": "ORG-1", "name": name}])
    full = "".join(lazy_pinyin(name))
    assert index.search(full) == ["ORG-1"]
    assert index.search(full[:17]) == ["ORG-1"]
    assert index.search("gsslzscgqrmzf") == ["ORG-1"]
    assert index.search("gsslzscgqrm") == ["ORG-1"]
    assert index.search(full[:17] + "x") == []


def test_surname_reading() -> None:
    index = build(Official=officials("曾杰", "单雄"), Organisation=[{"id": "ORG-1", "name": "曾经"}])
    assert index.search("zengjie") == ["OFF-1"]
    assert index.search("cengjie") == ["OFF-1"]  # the everyday reading still works
    assert index.search("shanxiong") == ["OFF-2"]
    assert index.search("zengjing") == []  # only a person's name reads its first character as a surname


def test_ruled_out_pinyin_for_long_summaries() -> None:
    summary = "某单位" + "违规" * 20
    index = build(Issue=[{"id": "ISS-1", "summary": summary}])
    assert index.search("mou") == []
    assert index.search("某单位") == ["ISS-1"]


# ---------------------------------------------------------------- ranking


def test_ranking_tiers_in_order() -> None:
    index = build(
        Official=[
            {"id": "OFF-9", "name": "李张伟"},  # 3 contains 张伟
            {"id": "OFF-8", "name": "张伟明"},  # 2 starts with 张伟
            {"id": "OFF-7", "name": "张伟"},  # 1 whole text
            {"id": "OFF-6", "name": "章伟"},  # 4 full pinyin zhangwei
        ],
        Organisation=[{"id": "ORG-1", "name": "张伟"}],
    )
    assert index.search("张伟") == ["OFF-7", "ORG-1", "OFF-8", "OFF-9"]
    # pinyin: exact full (张伟, 章伟, then the organisation), then prefixes (张伟明)
    assert index.search("zhangwei") == ["OFF-6", "OFF-7", "ORG-1", "OFF-8"]


def test_pinyin_tiers_in_order() -> None:
    index = build(Official=officials("张伟", "周文", "张伟明", "朱维"))
    # initials exact (张伟, 周文, 朱维 by id), then initials prefix (张伟明)
    assert index.search("zw") == ["OFF-1", "OFF-2", "OFF-4", "OFF-3"]
    # full exact (an organisation) beats initials exact (an official) beats a prefix
    index = build(Official=officials("阿娜", "安宁县"), Organisation=[{"id": "ORG-1", "name": "安"}])
    assert index.search("an") == ["ORG-1", "OFF-1", "OFF-2"]


def test_ties_go_by_kind_then_shorter_text_then_id() -> None:
    index = build(
        Document=[{"id": "DOC-1", "title": "兰州"}],
        Case=[{"id": "CAS-1", "title": "兰州"}],
        Issue=[{"id": "ISS-1", "summary": "兰州"}],
        Region=[{"id": "REG-1", "name": "兰州"}],
        Organisation=[{"id": "ORG-2", "name": "兰州"}, {"id": "ORG-1", "name": "兰州"}],
        Campaign=[{"id": "CAM-1", "name": "兰州"}],
        Inspection=[{"id": "INS-1", "title": "兰州"}],
        StudyEvent=[{"id": "STU-1", "title": "兰州"}],
    )
    assert index.search("兰州") == ["ORG-1", "ORG-2", "REG-1", "ISS-1", "CAS-1", "CAM-1", "INS-1", "DOC-1", "STU-1"]
    index = build(Organisation=[{"id": "ORG-1", "name": "兰州市司法局"}, {"id": "ORG-2", "name": "兰州市"}])
    assert index.search("兰州") == ["ORG-2", "ORG-1"]


def test_a_node_counts_once_at_its_best_match() -> None:
    index = build(Issue=[{"id": "ISS-1", "summary": "某地违规吃喝", "category": "吃喝"}])
    assert index.search("吃喝") == ["ISS-1"]


# ---------------------------------------------------------------- writes


@pytest.fixture(params=["in place", "rebuilt"])
def write_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "rebuilt":
        monkeypatch.setattr(search_index, "REBUILD_ROWS", 0)
    return str(request.param)


def test_apply_rename(write_path: str) -> None:
    index = build(Official=officials("王芳", "王芳芳"))
    index.apply(batch("Official", id=["OFF-1"], name=["李娜"]))
    assert index.search("王芳") == ["OFF-2"]
    assert index.search("李娜") == ["OFF-1"]
    assert index.search("lina") == ["OFF-1"]
    assert index.search("wangfang") == ["OFF-2"]
    assert index.size == 2


def test_apply_new_nodes_and_untouched_columns(write_path: str) -> None:
    index = build(Issue=[{"id": "ISS-1", "summary": "公款吃喝", "category": "作风"}])
    index.apply(batch("Issue", id=["ISS-1"], status=["rectified"]))  # no searchable column: nothing moves
    index.apply(batch("Issue", id=["ISS-1"], category=["纪律"]))  # summary stays as it was
    assert index.search("吃喝") == ["ISS-1"]
    assert index.search("作风") == []
    assert index.search("纪律") == ["ISS-1"]
    index.apply(batch("Issue", id=["ISS-2", "ISS-3"], summary=["违规吃喝", None]))
    assert index.search("吃喝") == ["ISS-1", "ISS-2"]
    assert index.size == 3


def test_apply_keeps_rank_order(write_path: str) -> None:
    index = build(Official=officials("张伟", "张伟华", start=2))
    index.apply(batch("Official", id=["OFF-1", "OFF-9"], name=["张伟明", "张伟"]))
    index.apply(batch("Organisation", id=["ORG-1"], name=["张伟"]))
    assert index.search("张伟") == ["OFF-2", "OFF-9", "ORG-1", "OFF-1", "OFF-3"]
    index.apply(batch("Official", id=["OFF-2"], name=["张伟"]))  # same value: still once
    assert index.search("zhangwei") == ["OFF-2", "OFF-9", "ORG-1", "OFF-1", "OFF-3"]


def test_apply_ignores_kinds_without_search_and_relationships() -> None:
    index = build(Official=officials("王芳"))
    write = batch("Measure", id=["MEA-1"], kind=["admonishment"])
    write.rels.append(RelRows("APPLIES_TO", pa.table({"from": ["MEA-1"], "to": ["OFF-1"]})))
    index.apply(write)
    assert index.size == 1
    assert index.search("admonishment") == []


def test_many_renames_compact_the_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    index = build(Official=officials(*(f"王{i}" for i in range(50))))
    for round_ in range(30):
        index.apply(
            batch("Official", id=[f"OFF-{i}" for i in range(1, 51)], name=[f"李{round_}-{i}" for i in range(50)])
        )
    assert index.search("王") == []
    assert len(index.search("李29-", first=100)) == 50
    tables = index._tables
    assert len(tables.entries) < 50 * 30  # dead entries were dropped, not kept for ever


def test_searches_while_writing() -> None:
    index = build(Official=officials(*(f"张{i}" for i in range(2000))))
    errors: list[BaseException] = []
    stop = threading.Event()

    def search_forever() -> None:
        try:
            while not stop.is_set():
                found = index.search("张", first=50)
                assert len(found) == 50
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=search_forever) for _ in range(3)]
    for t in threads:
        t.start()
    for i in range(40):
        index.apply(batch("Official", id=[f"OFF-{i + 1}"], name=[f"张新{i}"]))
        index.apply(batch("Official", id=[f"NEW-{j}" for j in range(i * 30, i * 30 + 1500)], name=["张"] * 1500))
    stop.set()
    for t in threads:
        t.join()
    assert errors == []
    assert index.search("张新39") == ["OFF-40"]


# ---------------------------------------------------------------- scale


class Reference:
    """The ranking rules written out naively over every name (officials OFF-0, OFF-1, ...)."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        # pypinyin on whole names, not the index's per-character cache (these names have no polyphones)
        self.pinyin_of = {
            n: ("".join(lazy_pinyin(n)), "".join(lazy_pinyin(n, style=Style.FIRST_LETTER))) for n in set(names)
        }

    def search(self, query: str, first: int = 20) -> list[str]:
        q = query.replace(" ", "").lower()
        ranked = []
        for i, name in enumerate(self.names):
            full, initials = self.pinyin_of[name]
            tiers = [
                name == query,
                name.startswith(query),
                query in name,
                full == q,
                initials == q,
                full.startswith(q) or initials.startswith(q),
            ]
            if any(tiers):
                ranked.append((tiers.index(True), len(name), f"OFF-{i}"))
        return [node_id for *_, node_id in sorted(ranked)[:first]]


def test_two_hundred_thousand_names() -> None:
    rnd = random.Random(11)
    surnames = "王李张刘陈杨黄吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓彭"
    given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰文辉国红梅"
    names = [rnd.choice(surnames) + "".join(rnd.choices(given, k=rnd.choice((1, 2, 2)))) for _ in range(200_000)]
    index = build(Official=[{"id": f"OFF-{i}", "name": n} for i, n in enumerate(names)])
    assert index.size == 200_000

    reference = Reference(names)
    for query in ["王芳", "张伟华", "伟", "芳华", "zhangwei", "zw", "wangf", "lih", "zhangweihua", "l", "Wang Fang"]:
        assert index.search(query) == reference.search(query), query
    assert index.search("王芳", first=100_000) == reference.search("王芳", first=100_000)


# ---------------------------------------------------------------- lists (Query.officials)


@pytest.mark.parametrize("kept_from", [10**9, 1])  # long answers kept until a write: never, always
def test_containing_and_ids_of_agree_with_a_scan_through_writes(
    write_path: str, kept_from: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_index, "KEEP_CONTAINING_FROM", kept_from)
    rng = random.Random(7)
    chars = "张王李赵刘陈杨黄伟芳娜强磊军洋勇艳杰"
    names = ["".join(rng.choice(chars) for _ in range(rng.randint(2, 3))) for _ in range(400)]
    index = build(Official=officials(*names), Organisation=[{"id": "ORG-1", "name": "张家川县政府"}])
    current = {f"OFF-{i}": n for i, n in enumerate(names, 1)}

    def check() -> None:
        assert index.ids_of("Official") == sorted(current)
        for q in ("张", "王芳", "伟", "杰张", "张王李", "无"):
            for _ in range(2):  # the second from the kept answers, when kept
                got = index.containing("Official", "name", q)
                assert got == sorted(i for i, n in current.items() if q in n), q
                got.clear()  # what a caller does with its list never reaches the kept answer

    check()
    renamed = {f"OFF-{i}": "".join(rng.choice(chars) for _ in range(2)) for i in range(1, 60)}
    renamed["OFF-999"] = "王芳"
    index.apply(batch("Official", id=list(renamed), name=list(renamed.values())))
    current.update(renamed)
    check()
    if kept_from == 1:
        assert index._answers.hits > 0
    assert index.containing("Organisation", "name", "张") == ["ORG-1"]
    assert "ORG-1" not in index.containing("Official", "name", "张")
