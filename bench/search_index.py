"""Build time, memory and query latency of graph.search_index at full scale (printed, not asserted).

.venv/bin/python bench/search_index.py            # 500k synthetic nodes, 82% officials' names
.venv/bin/python bench/search_index.py 200000     # fewer
.venv/bin/python bench/search_index.py --demo     # the full-scale demonstration data set
"""

from __future__ import annotations

import random
import resource
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph.search_index import SearchIndex, char_pinyin  # noqa: E402

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰文辉建国红梅志海燕斌宇浩凯鹏飞晨欣怡佳琪子涵"
PLACES = ["兰州", "天水", "白银", "武威", "张掖", "酒泉", "定西", "陇南", "平凉", "庆阳", "金昌", "嘉峪关"]
ORG_TAILS = ["市人民政府", "市委", "市纪委监委", "市司法局", "市中级人民法院", "市人民检察院", "市公安局"]
PROBLEMS = ["违规公款吃喝", "超标配备公车", "行政执法不规范", "信访积案未化解", "普法责任制落实不到位"]

# kind -> (share of the nodes, id prefix, searchable column, text of the i-th node)
Maker = Callable[[random.Random, int], str]
MIX: dict[str, tuple[float, str, str, Maker]] = {
    "Official": (
        0.82, "OFF", "name",
        lambda r, i: r.choice(SURNAMES) + "".join(r.choices(GIVEN, k=r.choice((1, 2, 2)))),
    ),
    "Organisation": (0.06, "ORG", "name", lambda r, i: f"{r.choice(PLACES)}{r.choice(ORG_TAILS)}第{i}分支"),
    "StudyEvent": (0.04, "STU", "title", lambda r, i: f"{r.choice(PLACES)}市2023年第{i}期法治专题培训班"),
    "Issue": (
        0.04, "ISS", "summary",
        lambda r, i: f"{r.choice(PLACES)}某单位{r.choice(PROBLEMS)}，群众反映强烈，经督察查实，"
        f"责令限期整改并对相关责任人予以提醒谈话，整改情况纳入年度考评（第{i}号）",
    ),
    "Case": (0.03, "CAS", "title", lambda r, i: f"{r.choice(PLACES)}{r.choice(PROBLEMS)}问责案（{i}）"),
    "Document": (0.01, "DOC", "title", lambda r, i: f"关于{r.choice(PLACES)}{r.choice(PROBLEMS)}问题的通报（第{i}号）"),
}  # fmt: skip


def synthetic(n: int, seed: int = 7) -> dict[str, pa.Table]:
    """``n`` nodes in the MIX proportions: mostly officials with 2–3 character names."""
    rnd = random.Random(seed)
    tables = {}
    for kind, (share, prefix, column, make) in MIX.items():
        count = int(n * share)
        tables[kind] = pa.table({
            "id": [f"{prefix}-{i}" for i in range(count)],
            column: [make(rnd, i) for i in range(count)],
        })  # fmt: skip
    return tables


def demo() -> dict[str, pa.Table]:
    from loaders.demo import generate

    return generate("full")


class TableStore:
    """Only what SearchIndex.build needs: scan_nodes over prepared Arrow tables."""

    def __init__(self, tables: dict[str, pa.Table]) -> None:
        self.tables = tables

    def scan_nodes(self, kind: str, columns: Sequence[str] | None = None) -> Iterator[pa.Table]:
        table = self.tables.get(kind)
        if table is not None:
            names = ["id", *(columns or [])]
            yield pa.table({
                c: table.column(c) if c in table.column_names else pa.nulls(len(table), pa.string())
                for c in names
            })  # fmt: skip


def main(args: list[str]) -> None:
    tables = demo() if "--demo" in args else synthetic(int(args[0]) if args else 500_000)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    char_pinyin.cache_clear()
    wall, cpu = time.perf_counter(), time.process_time()
    index = SearchIndex.build(TableStore(tables))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    print(f"build: {index.size:,} nodes in {wall:.2f} s ({cpu:.2f} s CPU), peak RSS +{grown:,.0f} MB")

    rnd = random.Random(1)
    names = tables["Official"].column("name").to_pylist()
    samples = ["王芳", "张伟", "吃喝", "张", "伟", "zhangwei", "zw", "zhangw", "wangf", "lanzhou", "兰州市",
               "公款吃喝", "zengjie", "l", "不存在的词"]  # fmt: skip
    for q in samples:  # warm-up, and a look at the answers
        print(f"  {q!r:12} -> {index.search(q, first=4)}")
    queries = samples + [rnd.choice(names) for _ in range(300)] + [n[1:] for n in rnd.sample(names, 100)]
    timings = []
    for q in queries:
        t = time.perf_counter()
        index.search(q)
        timings.append((time.perf_counter() - t) * 1000)
    timings.sort()
    print(
        f"search ({len(queries)} queries, first=20): p50 {statistics.median(timings):.3f} ms, "
        f"p95 {timings[int(len(timings) * 0.95)]:.3f} ms, max {timings[-1]:.3f} ms"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
