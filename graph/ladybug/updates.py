"""The update half of a write to the embedded store: rows whose node id (or relationship key) is stored.

    stored = stored_nodes(run, "Official", ["name"])               # id + the columns, as stored
    rows, differing = changes(incoming, stored, ["name"])            # only the rows and columns that differ
    set_nodes(run, "Official", rows, differing)                      # one set-based statement

Re-importing a whole export is what users do (monthly spreadsheets), and most of its rows are as
stored. So the rows that already exist are first compared with the stored values — one scan of the
kind, compared column by column in Arrow, a null equal to a null — and only those that differ are
written. Those are written set-based: handed to the engine as one Arrow table (``LOAD FROM $rows``)
joined to the stored nodes or relationships on their primary keys, instead of a list of rows matched
one by one (``UNWIND $list … MATCH``): for a relationship with its two endpoints the list form took
3.5 ms per row (71 s for 20,000 HELD_POST rows), the table form 2 s for the same rows (bench/FIGURES.md).

**A re-import of the whole store** (every stored node and relationship in the batch, as an export
gives them): derived values (graph/derived.py) are then computed from the batch alone, as for a first
load — the store as the batch will leave it *is* the batch — instead of over the store with the batch
laid over it, which walks the stored graph node by node (minutes for the full demo, where the writes
themselves take seconds). ``holds_the_store`` checks that, in Arrow, before the write's transaction.

Generic over columns: whatever declared columns a table brings (a kind's own, or the derived ones a
second table of the same kind adds in the same batch) are compared and set; the others keep their
stored values. Everything runs on the caller's connection inside its transaction (all or nothing).
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from graph import whole
from graph.columns import rel_schema
from graph.columns import stored_schema as node_schema
from graph.ladybug.cypher import q
from graph.port import WriteBatch
from graph.whole import KEY as KEY
from graph.whole import rel_keys as rel_keys
from graph.whole import typed as typed
from graph.whole import with_key as with_key
from schema.model import REL_KINDS

Run = Callable[[str, dict[str, Any]], Any]  # execute a query with parameters on the writing connection
_CHUNK = 250_000


def stored_nodes(run: Run, kind: str, columns: Sequence[str]) -> pa.Table:
    """``id`` and ``columns`` of every stored node of ``kind``, with KEY (the id)."""
    names = ["id", *columns]
    ret = ", ".join(f"n.{q(c)} AS {q(c)}" for c in names)
    table = run(f"MATCH (n:{q(kind)}) RETURN {ret}", {}).get_as_arrow()
    return with_key(typed(table, node_schema(kind), names), ["id"])


def stored_rels(run: Run, kind: str, columns: Sequence[str]) -> pa.Table:
    """Key (from, to, key properties) and ``columns`` of every stored relationship of ``kind``, with KEY."""
    props = [*REL_KINDS[kind].key_properties, *columns]
    ret = ", ".join(["a.id AS src", "b.id AS dst", *(f"r.{q(c)} AS {q(c)}" for c in props)])
    table = run(f"MATCH (a)-[r:{q(kind)}]->(b) RETURN {ret}", {}).get_as_arrow()
    table = table.rename_columns(["from", "to", *props])
    return with_key(typed(table, rel_schema(kind), ["from", "to", *props]), rel_keys(kind))


def is_stored(incoming: pa.Table, stored: pa.Table) -> pa.ChunkedArray | pa.Array:
    """Which rows of ``incoming`` (with KEY) are already stored."""
    if stored.num_rows == 0:
        return pa.array([False] * incoming.num_rows, pa.bool_())
    return pc.fill_null(pc.is_in(incoming.column(KEY), value_set=stored.column(KEY).combine_chunks()), False)


def changes(incoming: pa.Table, stored: pa.Table, columns: Sequence[str]) -> tuple[pa.Table, list[str]]:
    """The rows of ``incoming`` (stored ones, with KEY) where a column differs from the stored value,
    and the columns that differ in at least one of them: only those are SET. The engine's cost is per
    column SET (100k officials: one column 0.35 s, all seven 2.28 s), and a re-import usually
    changes a few columns of the rows it changes."""
    if incoming.num_rows == 0 or not columns:
        return incoming.slice(0, 0), []
    mine = _comparable(incoming.select([KEY, *columns]))
    theirs = _comparable(stored.select([KEY, *columns])).rename_columns([KEY, *(f"{KEY}.{c}" for c in columns)])
    joined = mine.append_column("__row", pa.array(range(incoming.num_rows), pa.int64())).join(
        theirs, keys=KEY, join_type="inner", use_threads=True
    )
    differs: Any = None
    differing: list[str] = []
    for c in columns:
        a, b = joined.column(c), joined.column(f"{KEY}.{c}")
        other = pc.invert(pc.or_(pc.fill_null(pc.equal(a, b), False), pc.and_(pc.is_null(a), pc.is_null(b))))
        if pc.any(other).as_py():
            differing.append(c)
            differs = other if differs is None else pc.or_(differs, other)
    if differs is None:
        return incoming.slice(0, 0), []
    rows = joined.filter(differs).column("__row").combine_chunks()
    return incoming.filter(pc.is_in(pa.array(range(incoming.num_rows), pa.int64()), value_set=rows)), differing


def _comparable(table: pa.Table) -> pa.Table:
    """List columns (the derived region lists) as joined text: Arrow joins and compares no lists."""
    for i, f in enumerate(table.schema):
        if pa.types.is_list(f.type):
            table = table.set_column(i, f.name, pc.binary_join(table.column(i), "\x1f"))
    return table


def set_nodes(run: Run, kind: str, rows: pa.Table, columns: Sequence[str]) -> None:
    """SET ``columns`` of the stored nodes of ``kind`` to ``rows``' values, one statement per chunk."""
    if rows.num_rows == 0 or not columns:
        return
    names = ["id", *columns]
    sets = ", ".join(f"n.{q(c)} = v{i}" for i, c in enumerate(names) if i)
    query = f"LOAD FROM $rows MATCH (n:{q(kind)} {{id: v0}}) SET {sets}"
    table = typed(rows, node_schema(kind), names).rename_columns([f"v{i}" for i in range(len(names))])
    for start in range(0, table.num_rows, _CHUNK):
        run(query, {"rows": table.slice(start, _CHUNK)})


def set_rels(run: Run, kind: str, rows: pa.Table, columns: Sequence[str]) -> None:
    """SET ``columns`` of the stored relationships of ``kind`` with ``rows``' keys to their values."""
    if rows.num_rows == 0 or not columns:
        return
    rk = REL_KINDS[kind]
    keys = rel_keys(kind)
    names = [*keys, *columns]
    var = {c: f"v{i}" for i, c in enumerate(names)}
    sets = ", ".join(f"r.{q(c)} = {var[c]}" for c in columns)
    table = typed(rows, rel_schema(kind), names)
    for from_kind, to_kind in rk.endpoints:
        mask = pc.and_(pc.equal(rows.column("from_kind"), from_kind), pc.equal(rows.column("to_kind"), to_kind))
        part = table.filter(mask)
        if part.num_rows == 0:
            continue
        match = f"MATCH (a:{q(from_kind)} {{id: {var['from']}}})-[r:{q(kind)}]->(b:{q(to_kind)} {{id: {var['to']}}})"
        for where, some in _by_null_keys(part, rk.key_properties, var):
            query = f"LOAD FROM $rows {match}{where} SET {sets}"
            renamed = some.rename_columns([var[c] for c in names])
            for start in range(0, renamed.num_rows, _CHUNK):
                run(query, {"rows": renamed.slice(start, _CHUNK)})


def _by_null_keys(table: pa.Table, keys: Sequence[str], var: dict[str, str]) -> list[tuple[str, pa.Table]]:
    """``table``'s rows split by which key properties are null, each part with the WHERE clause that
    finds its relationships (``=`` never matches a null: a null key matches a relationship without it)."""
    if not keys:
        return [("", table)]
    nulls = [pc.is_null(table.column(k)) for k in keys]
    parts = []
    for pattern in itertools.product((False, True), repeat=len(keys)):
        masks = [n if is_null else pc.invert(n) for n, is_null in zip(nulls, pattern, strict=True)]
        tests = [f"r.{q(k)} IS NULL" if is_null else f"r.{q(k)} = {var[k]}"
                 for k, is_null in zip(keys, pattern, strict=True)]  # fmt: skip
        part = table.filter(functools.reduce(pc.and_, masks))
        if part.num_rows:
            parts.append((f" WHERE {' AND '.join(tests)}", part))
    return parts


def holds_the_store(run: Run, batch: WriteBatch, stored: Mapping[str, str], reads: Collection[str]) -> bool:
    """``graph.whole.holds_the_store`` over the embedded store: ``stored`` is its id map, and each kind
    of ``reads`` is asked for its stored relationships' keys in one Arrow query."""
    return whole.holds_the_store(batch, stored, lambda kind: stored_rels(run, kind, []).column(KEY), reads)
