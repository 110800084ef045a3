"""The write planner and the write transaction of the Neo4j backend.

    steps = plan(batch)                       # checked against schema/ and typed; WriteFailed if refused
    txs = Transactions(session)               # one transaction; Transactions(session, 500_000): a new one
    stats = Writer(txs, progress).run(steps)  # every 500,000 rows (a first load, see graph.neo4j.store)
    txs.commit()

How a write runs, in one transaction so a failed or killed write leaves no trace: per node table,
look up which ids are stored (not needed while the store is empty), CREATE the others and SET the
columns given on the stored ones; per relationship table, resolve the endpoints to element ids,
CREATE the relationships that touch a node this write created (they cannot exist yet) and MERGE the
rest, by kind, endpoints and key properties. MERGE on every row would cost an index seek, locks and
a check against the transaction's own changes per row. Rows go as lists, in chunks of
``WRITE_CHUNK``, pipelined: the server runs one chunk while this process encodes the next.

Split over several transactions (``Transactions`` with ``rows_per_tx``) the same steps still hold:
element ids stay valid once committed, and the endpoints and MERGEs see the committed chunks; what
undoes a failed split write is the store's business (graph.neo4j.store clears the graph it began empty).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import neo4j
import pyarrow as pa
import pyarrow.compute as pc

from graph.columns import arrow_type, stored_columns
from graph.errors import WriteFailed
from graph.neo4j.cypher import (
    count_nodes_query,
    endpoint_lookup_query,
    node_create_query,
    node_kind,
    node_lookup_query,
    node_update_query,
    rel_create_query,
    rel_upsert_query,
)
from graph.neo4j.errors import Rejected
from graph.port import Progress, WriteBatch, WriteStats
from schema.model import NODE_KINDS, REL_KINDS

WRITE_CHUNK = 10_000
LOOKUP_CHUNK = 50_000


@dataclass
class NodeStep:
    """One node table of a batch, as the writer takes it."""

    kind: str
    table: pa.Table  # id, then the columns given, typed and sorted by id
    columns: list[str]  # the property columns (without id)


@dataclass
class RelStep:
    """The rows of one relationship table between one pair of endpoint kinds."""

    kind: str
    from_kind: str
    to_kind: str
    table: pa.Table  # from, to, then the columns given, typed and sorted by (from, to)
    columns: list[str]

    @property
    def label(self) -> str:  # for messages
        return f"{self.kind} ({self.from_kind} → {self.to_kind})"


def plan(batch: WriteBatch) -> list[NodeStep | RelStep]:
    """Check a batch against schema/ and type its tables; raises WriteFailed before any write."""
    steps: list[NodeStep | RelStep] = []
    try:
        for nodes in batch.nodes:
            steps.extend(_node_steps(nodes.kind, nodes.table))
        for rels in batch.rels:
            steps.extend(_rel_steps(rels.kind, rels.table))
    except (ValueError, KeyError, pa.ArrowInvalid, pa.ArrowNotImplementedError) as e:
        raise WriteFailed(f"the write was refused, nothing was written: {e}") from e
    return steps


def _node_steps(kind: str, table: pa.Table) -> list[NodeStep]:
    if kind not in NODE_KINDS:
        raise ValueError(f"not a node kind: {kind!r}")
    if table.num_rows == 0:
        return []
    declared = stored_columns(kind)
    unknown = [c for c in table.column_names if c not in declared]
    if "id" not in table.column_names or unknown:
        raise ValueError(f"{kind}: needs an id column and only declared properties (unknown: {unknown})")
    ids = table.column("id")
    if ids.null_count:
        raise ValueError(f"{kind}: {ids.null_count} rows without an id")
    if pc.count_distinct(ids).as_py() != table.num_rows:
        counts = pc.value_counts(ids)
        dupes = [v["values"] for v in counts.to_pylist() if v["counts"] > 1][:5]
        raise ValueError(f"{kind}: duplicate ids in one batch: {dupes}")
    # Sorted by id: index inserts in key order are measurably cheaper.
    table = _typed(table, {c: declared[c] for c in table.column_names}).sort_by("id")
    columns = [c for c in declared if c in table.column_names and c != "id"]
    return [NodeStep(kind, table.select(["id", *columns]), columns)]


def _rel_steps(kind: str, table: pa.Table) -> list[RelStep]:
    if kind not in REL_KINDS:
        raise ValueError(f"not a relationship kind: {kind!r}")
    if table.num_rows == 0:
        return []
    rk = REL_KINDS[kind]
    endpoint_cols = ("from", "to", "from_kind", "to_kind")
    missing = [c for c in endpoint_cols if c not in table.column_names]
    unknown = [c for c in table.column_names if c not in endpoint_cols and c not in rk.properties]
    if missing or unknown:
        raise ValueError(f"{kind}: missing columns {missing}, undeclared columns {unknown}")
    for c in endpoint_cols:
        if table.column(c).null_count:
            raise ValueError(f"{kind}: {table.column(c).null_count} rows with a null {c!r}")
    pairs = pa.Table.from_arrays([table.column("from_kind"), table.column("to_kind")], ["f", "t"])
    pairs = pairs.group_by(["f", "t"]).aggregate([])
    columns = [c for c in rk.properties if c in table.column_names]
    typed = _typed(
        table.select(["from", "to", *columns]),
        {"from": None, "to": None, **{c: rk.properties[c] for c in columns}},
    )
    steps = []
    for from_kind, to_kind in sorted(zip(pairs.column("f").to_pylist(), pairs.column("t").to_pylist(), strict=True)):
        if not rk.allows(from_kind, to_kind):
            raise ValueError(f"{kind} does not go from {from_kind} to {to_kind}")
        mask = pc.and_(pc.equal(table.column("from_kind"), from_kind), pc.equal(table.column("to_kind"), to_kind))
        # Sorted by endpoints: consecutive rows touch the same nodes.
        part = typed.filter(mask).sort_by([("from", "ascending"), ("to", "ascending")])
        steps.append(RelStep(kind, from_kind, to_kind, part, columns))
    return steps


def _null_key_mask(table: pa.Table, keys: Sequence[str]) -> pa.ChunkedArray | pa.Array:
    """True for rows where a key property is null (or its column absent, which means null)."""
    if any(k not in table.column_names for k in keys):
        return pa.array([True] * table.num_rows, pa.bool_())
    return functools.reduce(pc.or_, (pc.is_null(table.column(k)) for k in keys))


def _typed(table: pa.Table, props: dict[str, Any]) -> pa.Table:
    """Cast every column to its declared Arrow type (ids and endpoints to string)."""
    arrays = [table.column(c).cast(arrow_type(p) if p is not None else pa.string()) for c, p in props.items()]
    return pa.Table.from_arrays(arrays, names=list(props))


def _rows(table: pa.Table) -> list[tuple[Any, ...]]:
    """Table rows as tuples (sent as lists: smaller and cheaper to encode than maps)."""
    return list(zip(*(column.to_pylist() for column in table.columns), strict=True))


class _Known:
    """The nodes of one kind this write has created or found: id → element id, and whether it is new."""

    def __init__(self) -> None:
        self.ids = pa.array([], pa.string())
        self.eids = pa.array([], pa.string())
        self.new = pa.array([], pa.bool_())

    def add(self, ids: pa.Array, eids: pa.Array, *, new: bool) -> None:
        if len(self.ids):  # keep ids unique: a second table of the same kind finds the first one's nodes
            unseen = pc.is_null(pc.index_in(ids, value_set=self.ids))
            ids, eids = ids.filter(unseen), eids.filter(unseen)
        if len(ids):
            self.ids = pa.concat_arrays([self.ids, ids])
            self.eids = pa.concat_arrays([self.eids, eids])
            self.new = pa.concat_arrays([self.new, pa.array([new] * len(ids), pa.bool_())])


class Transactions:
    """A write's open transaction, renewed (the last one committed) every ``rows_per_tx`` rows sent
    when that is set; one transaction for the whole write when it is None.

        txs = Transactions(session, rows_per_tx=500_000)
        txs.tx.run(query, params)      # always the current transaction
        txs.commit()                   # the last one; txs.commits: how many were committed
    """

    def __init__(self, session: neo4j.Session, rows_per_tx: int | None = None) -> None:
        if rows_per_tx is not None and rows_per_tx < 1:
            raise ValueError(f"rows_per_tx must be positive, not {rows_per_tx}")
        self.session = session
        self.rows_per_tx = rows_per_tx
        self.rows = 0  # sent in the current transaction
        self.commits = 0
        self.tx = session.begin_transaction()

    def sent(self, rows: int) -> None:
        self.rows += rows

    @property
    def due(self) -> bool:
        """Whether the current transaction holds its share of rows (never, for a single transaction)."""
        return self.rows_per_tx is not None and self.rows >= self.rows_per_tx

    def renew(self) -> None:
        """Commit the current transaction and begin the next."""
        self.commit()
        self.tx = self.session.begin_transaction()
        self.rows = 0

    def commit(self) -> None:
        self.tx.commit()
        self.commits += 1

    def rollback(self) -> None:
        """Roll the current transaction back, if the connection still allows it (after a failure)."""
        try:
            if not self.tx.closed():
                self.tx.rollback()
        except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError):
            pass  # a transaction the server already ended: nothing of it is committed


class Writer:
    """A write's steps: nodes first (create the new, update the stored), then relationships; in one
    transaction or several, as ``txs`` renews them."""

    def __init__(self, txs: Transactions, progress: Progress | None) -> None:
        self.txs = txs
        self.progress = progress
        self.stats = WriteStats()
        self.known: dict[str, _Known] = {}
        # (kind, from kind, to kind) of the relationship tables written so far: ids are unique across
        # kinds, so relationships between other endpoint kinds can never be the same relationship.
        self.rel_tables: set[tuple[str, str, str]] = set()
        # An empty store (the first load) needs no look-ups: only this write's own nodes exist.
        self.empty = self._single(count_nodes_query())["n"] == 0

    def _single(self, query: str, params: dict[str, Any] | None = None) -> neo4j.Record:
        return self.txs.tx.run(query, params or {}).single(strict=True)

    def _done(self, rows: int) -> None:
        if self.progress:
            self.progress(rows)

    def _run_chunks(self, query: str, table: pa.Table) -> Iterator[tuple[int, neo4j.Result]]:
        """Run ``query`` over the table in chunks; yields (rows, result) of each chunk in order.

        Pipelined: a chunk's result is yielded once the next chunk is sent, so the server executes
        one chunk while this process encodes the next. When the transaction holds its share of rows
        (``Transactions.due``), the pending chunk is consumed and the transaction renewed first.
        """
        pending: tuple[int, neo4j.Result] | None = None
        for offset in range(0, table.num_rows, WRITE_CHUNK):
            if self.txs.due:
                if pending is not None:
                    yield pending
                    pending = None
                self.txs.renew()
            rows = _rows(table.slice(offset, WRITE_CHUNK))
            result = self.txs.tx.run(query, {"rows": rows})
            self.txs.sent(len(rows))
            if pending is not None:
                yield pending
            pending = (len(rows), result)
        if pending is not None:
            yield pending

    def run(self, steps: list[NodeStep | RelStep]) -> WriteStats:
        for step in steps:
            if isinstance(step, NodeStep):
                self.nodes(step)
            else:
                self.rels(step)
        return self.stats

    # ------------------------------------------------------------ nodes

    def nodes(self, step: NodeStep) -> None:
        known = self.known.setdefault(step.kind, _Known())
        ids = step.table.column("id").combine_chunks()
        stored_ids, stored_eids = self._stored(step.kind, ids)
        is_stored = pc.is_in(ids, value_set=stored_ids)
        new = step.table.filter(pc.invert(is_stored))
        if new.num_rows:
            query = node_create_query(step.kind, step.columns)
            eids: list[str] = []
            for n, result in self._run_chunks(query, new):
                created = result.single(strict=True)["created"]
                if len(created) != n:
                    raise Rejected(f"{step.kind}: created {len(created)} nodes for {n} rows")
                eids.extend(created)
                self._done(n)
            known.add(new.column("id").combine_chunks(), pa.array(eids, pa.string()), new=True)
            self.stats.nodes_created += new.num_rows
        if len(stored_ids):
            known.add(stored_ids, stored_eids, new=False)
            old = step.table.filter(is_stored)
            self.stats.nodes_updated += old.num_rows
            if not step.columns:  # nothing to set
                self._done(old.num_rows)
                return
            # Stored nodes are addressed by element id: the id column becomes theirs.
            at = pc.index_in(old.column("id"), value_set=stored_ids)
            old = old.set_column(0, "id", pc.take(stored_eids, at))
            query = node_update_query(step.kind, step.columns)
            for n, result in self._run_chunks(query, old):
                if result.single(strict=True)["matched"] != n:
                    raise Rejected(f"{step.kind}: nodes changed while this write ran; try again")
                self._done(n)

    def _stored(self, kind: str, ids: pa.Array) -> tuple[pa.Array, pa.Array]:
        """Ids among ``ids`` already stored as ``kind`` and their element ids; refuses ids of another kind."""
        if self.empty:
            # Only this write's nodes exist: of this kind (another kind trips the constraint on Node).
            known = self.known[kind]
            at = pc.index_in(ids, value_set=known.ids)
            found = pc.is_valid(at)
            return ids.filter(found), pc.take(known.eids, at.filter(found))
        return self._lookup(node_lookup_query(), ids, kind)

    def _lookup(self, query: str, ids: pa.Array, kind: str) -> tuple[pa.Array, pa.Array]:
        """Run a look-up query over ``ids`` in chunks: the ids found and their element ids. Where the
        query returns labels, a node of another kind than ``kind`` refuses the write."""
        found_ids: list[str] = []
        found_eids: list[str] = []
        for offset in range(0, len(ids), LOOKUP_CHUNK):
            rows = self._single(query, {"ids": ids.slice(offset, LOOKUP_CHUNK).to_pylist()})["rows"]
            for i, eid, labels in rows:
                if labels is not None and (other := node_kind(labels)) != kind:
                    raise Rejected(f"id {i!r} already belongs to a {other} in the store, not a {kind}")
                found_ids.append(i)
                found_eids.append(eid)
        return pa.array(found_ids, pa.string()), pa.array(found_eids, pa.string())

    # ------------------------------------------------------------ relationships

    def rels(self, step: RelStep) -> None:
        table = step.table
        from_eid, from_new = self._resolve(step.from_kind, table.column("from").combine_chunks())
        to_eid, to_new = self._resolve(step.to_kind, table.column("to").combine_chunks())
        missing = pc.or_(pc.is_null(from_eid), pc.is_null(to_eid))
        if pc.any(missing).as_py():
            bad = table.filter(missing)
            examples = ", ".join(f"{r['from']} → {r['to']}" for r in bad.slice(0, 5).select(["from", "to"]).to_pylist())
            raise Rejected(f"{step.label}: {bad.num_rows} rows name a missing endpoint, e.g. {examples}")
        table = table.set_column(0, "from", from_eid).set_column(1, "to", to_eid)
        # A relationship with an endpoint this write created is not stored yet: plain CREATE. (Unless
        # an earlier table of this write had the same kind and endpoint kinds: then it may be, and
        # MERGE finds it.)
        if (step.kind, step.from_kind, step.to_kind) in self.rel_tables:
            fresh = pa.array([False] * table.num_rows, pa.bool_())
        else:
            fresh = pc.or_(from_new, to_new)
        parts = [(rel_create_query(step.kind, step.from_kind, step.to_kind, step.columns), table.filter(fresh))]
        stored = table.filter(pc.invert(fresh))
        keys = REL_KINDS[step.kind].key_properties
        null_key = _null_key_mask(stored, keys) if keys else pa.array([False] * stored.num_rows, pa.bool_())
        for with_null in (False, True):
            query = rel_upsert_query(step.kind, step.from_kind, step.to_kind, step.columns, null_keys=with_null)
            parts.append((query, stored.filter(null_key if with_null else pc.invert(null_key))))
        for query, rows_table in parts:
            for n, result in self._run_chunks(query, rows_table):
                if result.single(strict=True)["matched"] != n:
                    raise Rejected(f"{step.label}: endpoints changed while this write ran; try again")
                made = result.consume().counters.relationships_created
                self.stats.rels_created += made
                self.stats.rels_updated += n - made
                self._done(n)
        self.rel_tables.add((step.kind, step.from_kind, step.to_kind))

    def _resolve(self, kind: str, ids: pa.Array) -> tuple[pa.Array, pa.Array]:
        """Element ids of ``ids`` as nodes of ``kind``, and whether this write created them (null: none)."""
        known = self.known.setdefault(kind, _Known())
        at = pc.index_in(ids, value_set=known.ids)
        if at.null_count and not self.empty:
            unknown = pc.unique(ids.filter(pc.is_null(at)))
            known.add(*self._lookup(endpoint_lookup_query(kind), unknown, kind), new=False)
            at = pc.index_in(ids, value_set=known.ids)
        return pc.take(known.eids, at), pc.take(known.new, at)
