"""Load benchmark: generate, validate+write through the loader, and native COPY of the same rows, in one run.

    .venv/bin/python bench/load.py [--scale full|small] [--repeat 3]
    WENZE_NEO4J_URI=bolt://localhost:7687 … .venv/bin/python bench/load.py --neo4j-only
    .venv/bin/python bench/load.py --reimport [--neo4j-only]   # fresh write vs the same rows again

--reimport: the write of the demo into an empty store, then the same rows again into the store that
holds them (every row an update, as a monthly re-import of the whole export), then again with a value
changed in every row of every table that has a value to change (``every_row_changed``: a text column,
else a date moved by a day; relationships without properties stay as they are); goal: a re-import
within 2x the fresh write.

Prints medians and the ratio loader/COPY (goal ≥ 1/3), full-scale generate+load time (goal ≤ 60 s),
peak memory (goal ≤ 4 GB) and, when WENZE_NEO4J_URI is set, the Neo4j write rate (goal ≥ 50k rels/s).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pyarrow as pa  # noqa: E402
import pyarrow.compute as pc  # noqa: E402

from graph.columns import conform, node_schema, rel_schema  # noqa: E402
from graph.ladybug import LadybugStore  # noqa: E402
from graph.ladybug.cypher import lit, q  # noqa: E402
from graph.port import WriteBatch  # noqa: E402
from loaders import from_tables, validate  # noqa: E402
from loaders.demo import generate  # noqa: E402
from schema.model import NODE_KINDS, REL_KINDS  # noqa: E402


def native_copy(batch: WriteBatch, directory: Path) -> float:
    """COPY the already-typed rows straight into an empty database: the engine's own rate."""
    store = LadybugStore(directory)
    conn = store._conn()
    t0 = time.perf_counter()
    conn.execute("BEGIN TRANSACTION")
    for nodes in batch.nodes:
        conn.execute(f"COPY {q(nodes.kind)} FROM $rows", {"rows": conform(nodes.table, node_schema(nodes.kind))})
    for rels in batch.rels:
        for f, t in REL_KINDS[rels.kind].endpoints:
            part = rels.table.filter(pc.and_(pc.equal(rels.table["from_kind"], f), pc.equal(rels.table["to_kind"], t)))
            if part.num_rows:
                conn.execute(
                    f"COPY {q(rels.kind)} FROM $rows (from={lit(f)}, to={lit(t)})",
                    {"rows": conform(part, rel_schema(rels.kind))},
                )
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - t0
    store.close()
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", default="full", choices=["small", "full"])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--neo4j-only", action="store_true", help="only the Neo4j write (needs WENZE_NEO4J_URI)")
    ap.add_argument("--reimport", action="store_true", help="fresh write vs the same rows again (both backends)")
    args = ap.parse_args()
    if args.reimport:
        reimport(args)
        return
    if not args.neo4j_only:
        embedded(args)
    if os.environ.get("WENZE_NEO4J_URI"):
        neo4j(args)
    elif args.neo4j_only:
        sys.exit("--neo4j-only needs WENZE_NEO4J_URI (scripts/neo4j-dev start prints it)")


def embedded(args: argparse.Namespace) -> None:
    gen_times: list[float] = []
    val_times: list[float] = []
    write_times: list[float] = []
    copy_times: list[float] = []
    rows = rels = 0
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        tables = generate(args.scale)
        t1 = time.perf_counter()
        batch = validate(from_tables(tables))
        t2 = time.perf_counter()
        rows = batch.row_count
        rels = sum(r.table.num_rows for r in batch.rels)
        with tempfile.TemporaryDirectory() as d1, tempfile.TemporaryDirectory() as d2:
            store = LadybugStore(Path(d1))
            t3 = time.perf_counter()
            store.write(batch)
            t4 = time.perf_counter()
            store.close()
            copy_times.append(native_copy(batch, Path(d2)))
        gen_times.append(t1 - t0)
        val_times.append(t2 - t1)
        write_times.append(t4 - t3)
    med = statistics.median
    loader = med(val_times) + med(write_times)
    print(f"scale={args.scale} rows={rows:,} (relationships {rels:,}), medians of {args.repeat} runs, 2 cores")
    print(f"{'phase':<34}{'seconds':>9}{'rows/s':>14}")
    print(f"{'generate (demo)':<34}{med(gen_times):>9.2f}{rows / med(gen_times):>14,.0f}")
    print(f"{'loader: validate':<34}{med(val_times):>9.2f}{rows / med(val_times):>14,.0f}")
    print(f"{'loader: write (one transaction)':<34}{med(write_times):>9.2f}{rows / med(write_times):>14,.0f}")
    print(f"{'loader total':<34}{loader:>9.2f}{rows / loader:>14,.0f}")
    print(f"{'native COPY of the same rows':<34}{med(copy_times):>9.2f}{rows / med(copy_times):>14,.0f}")
    print(f"loader / native COPY rate: {med(copy_times) / loader:.2f} (goal >= 0.33)")
    print(f"generate + load: {med(gen_times) + loader:.1f} s (goal <= 60 s)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (RSS): {peak:,.0f} MB (goal <= 4096 MB)")


def _neo4j_store() -> Any:
    from graph.neo4j import Neo4jStore

    return Neo4jStore(
        uri=os.environ["WENZE_NEO4J_URI"],
        user=os.environ.get("WENZE_NEO4J_USER", "neo4j"),
        password=os.environ.get("WENZE_NEO4J_PASSWORD", ""),
        database=os.environ.get("WENZE_NEO4J_DATABASE", "neo4j"),
    )


# Kinds with no free-text column: a date moved (a measure taking effect a day later moves its effect
# period, a derived value; a transfer a day earlier stays after its case's opening).
_MOVED_DATES = {"Measure": ("effective_on", 1), "Transfer": ("transferred_on", -1), "REVIEWED_BY": ("date", 1)}


def every_row_changed(tables: dict[str, pa.Table]) -> dict[str, pa.Table]:
    """The demo with one value changed in every row of every table that has one to change: the first
    free-text column gets "（改）" appended (a null becomes "改"), else a date moves by a day."""
    out = dict(tables)
    for kind, table in tables.items():
        declared = NODE_KINDS.get(kind) or REL_KINDS.get(kind)
        if declared is None:
            continue
        keys = getattr(declared, "key_properties", ())
        texts = [n for n, p in declared.properties.items() if p.type == "string" and not p.enum and not p.derived]
        texts = [n for n in texts if n in table.column_names and n not in keys]
        if texts:
            c = table.column(texts[0])
            value = pc.if_else(pc.is_null(c), pa.scalar("改"), pc.binary_join_element_wise(c, pa.scalar("（改）"), ""))
            out[kind] = table.set_column(table.column_names.index(texts[0]), texts[0], value)
        elif kind in _MOVED_DATES:
            name, days = _MOVED_DATES[kind]
            moved = [None if v is None else _moved(v, days) for v in table.column(name).to_pylist()]
            out[kind] = table.set_column(table.column_names.index(name), name, pa.array(moved, table.column(name).type))
    return out


def _moved(value: Any, days: int) -> Any:
    if isinstance(value, str):  # the generator writes dates as text, as a spreadsheet would
        return (dt.date.fromisoformat(value) + dt.timedelta(days=days)).isoformat()
    return value + dt.timedelta(days=days)


def reimport(args: argparse.Namespace) -> None:
    tables = generate(args.scale)
    same, changed = validate(from_tables(tables)), validate(from_tables(every_row_changed(tables)))
    backends = [] if args.neo4j_only else ["embedded"]
    if os.environ.get("WENZE_NEO4J_URI"):
        backends.append("neo4j")
    print(f"scale={args.scale} rows={same.row_count:,}; seconds of store.write (one transaction each)")
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} before", flush=True)
    for backend in backends:
        with tempfile.TemporaryDirectory() as folder:
            store = LadybugStore(Path(folder)) if backend == "embedded" else _neo4j_store()
            if backend == "neo4j":
                store.clear()
            times, cpu = [], []
            for batch in (same, same, changed):
                t0, c0 = time.perf_counter(), time.process_time()
                store.write(batch)
                times.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
            store.close()
        fresh, again, values = times
        # CPU seconds of this process (every thread, the engine's included): what a busy shared
        # machine changes least.
        print(
            f"{backend} CPU seconds: fresh {cpu[0]:.1f}; again {cpu[1]:.1f} = {cpu[1] / cpu[0]:.2f}x; "
            f"every row changed {cpu[2]:.1f} = {cpu[2] / cpu[0]:.2f}x",
            flush=True,
        )
        print(
            f"{backend}: fresh {fresh:.1f} s; again (every row an update) {again:.1f} s = {again / fresh:.2f}x; "
            f"every row changed {values:.1f} s = {values / fresh:.2f}x (goal <= 2x); "
            f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} after",
            flush=True,
        )


def neo4j(args: argparse.Namespace) -> None:
    store = _neo4j_store()
    store.clear()
    batch = validate(from_tables(generate(args.scale)))
    rows, rels = batch.row_count, sum(r.table.num_rows for r in batch.rels)
    last = [0.0]

    def progress(n: int) -> None:  # called as each chunk's result arrives; the last one before COMMIT
        last[0] = time.perf_counter()

    t0 = time.perf_counter()
    store.write(batch, progress)
    elapsed = time.perf_counter() - t0
    store.close()
    queries = last[0] - t0
    print(
        f"neo4j: write {elapsed:.1f} s in one transaction: {rows / elapsed:,.0f} rows/s, "
        f"{rels / elapsed:,.0f} rels/s (goal >= 50k rels/s)"
    )
    print(f"neo4j: of which queries {queries:.1f} s ({rels / queries:,.0f} rels/s), commit {elapsed - queries:.1f} s")


if __name__ == "__main__":
    main()
