"""``Neo4jStore``: the storage port on a Neo4j 5 server, through the official driver (one per store).

    store = Neo4jStore(uri="bolt://localhost:7687", user="neo4j", password="…", database="neo4j")
    store.write(batch)                  # one write transaction (graph.neo4j.writer)
    store.get_nodes(["ISS-1"])

The store runs what graph.neo4j.cypher builds and turns rows into port values; every driver call
runs inside ``neo4j_errors``, so callers only ever see ``graph.errors``.

Writes. Every write first locks the version node (``VERSION_LOCK``), so writes run one at a time
across processes, and checks under that lock that the version it derived its batch at (graph.derived
reads the store before the transaction) is still the stored one; if another process wrote meanwhile,
it rolls back, derives again and retries (``_ATTEMPTS`` times, then WriteFailed).

A first load larger than ``single_transaction_rows`` (the store holds no graph node) is written in
several committed transactions of at most that many rows, so the server's transaction memory need
not hold the whole bundle (the full demo's 3.75 M rows need about 10 GB in one). It stays
all-or-nothing: the bulk-load marker (``BULK_MARK``) is committed first; the version lock is held by
one transaction for the whole load; the last transaction deletes the marker and bumps the version.
A failure clears what was written (the store was empty) and raises the single transaction's error;
a killed load leaves the marker, and the next ``Neo4jStore`` to open clears the partial graph (no
writer holds the version lock then) and says so. While the load runs, readers see the chunks
committed so far, but ``data_version`` stays at the empty store's until the end, so whatever is
built on it (the search index) is rebuilt once, from the whole graph.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Collection, Iterator, Sequence
from contextlib import suppress
from typing import TYPE_CHECKING, Any

import neo4j
import pyarrow as pa
from neo4j.time import Date as Neo4jDate

from graph import whole
from graph.answers import remembered
from graph.columns import arrow_type, node_columns, rel_columns, rel_schema, stored_columns
from graph.derived import READ_RELS, derive, rederive
from graph.errors import StoreUnavailable, WriteFailed
from graph.fact_counts import FactQuery, collect, fact_count_queries, scope_test, walk_scope_test
from graph.figure_counts import DutyQuery, StudyQuery, duty_queries, study_queries
from graph.issue_pages import IssueQuery, issue_page_queries
from graph.neo4j import cypher
from graph.neo4j.ddl import schema_statements
from graph.neo4j.errors import neo4j_errors
from graph.neo4j.writer import NodeStep, RelStep, Transactions, Writer, plan
from graph.port import (
    Direction,
    Edge,
    Hop,
    Node,
    Progress,
    WriteBatch,
    WriteStats,
    check_batch,
    check_hops,
    node_record,
)
from schema.derived import DERIVED, DERIVED_VERSION
from schema.model import MAX_PATH_HOPS, NODE_KINDS, REL_KINDS

if TYPE_CHECKING:
    from graph.scope import Scope

_BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")  # not the HTTP preview
_SCAN_BATCH = 50_000
SINGLE_TRANSACTION_ROWS = 500_000  # api.settings: neo4j_single_transaction_rows
_ATTEMPTS = 5  # a write whose derived values went stale (another process wrote) is derived again this often
_LIVE_LOCK_SECONDS = 5.0  # at open, how long to wait for the version lock before taking a bulk load as live

log = logging.getLogger("wenze.store")


class Neo4jStore:
    """``graph.port.GraphStore`` on a Neo4j 5 server (Community is enough)."""

    backend = "neo4j"

    def __init__(
        self,
        uri: str,
        user: str = "neo4j",
        password: str = "",
        database: str = "neo4j",
        single_transaction_rows: int = SINGLE_TRANSACTION_ROWS,
    ) -> None:
        if single_transaction_rows < 1:
            raise ValueError(f"single_transaction_rows must be positive, not {single_transaction_rows}")
        self._single_transaction_rows = single_transaction_rows
        self._uri = uri
        self._database = database
        self._errors = functools.partial(neo4j_errors, uri=uri, database=database)
        self._write_lock = threading.Lock()
        if uri.split("://", 1)[0] not in _BOLT_SCHEMES:
            raise StoreUnavailable(
                f"WENZE_NEO4J_URI must be a Bolt URI ({', '.join(s + '://' for s in _BOLT_SCHEMES)}), not {uri!r}"
            )
        with self._errors("open"):
            self._driver = neo4j.GraphDatabase.driver(
                uri,
                auth=(user, password) if password else None,
                user_agent="wenze",
                # "property does not exist" warnings are normal for optional properties: not sent.
                notifications_disabled_classifications=["UNRECOGNIZED"],
                warn_notification_severity="OFF",
            )
        try:
            with self._errors("open"):
                self._driver.verify_connectivity()
                self._ensure_schema()
        except BaseException:
            self._driver.close()
            raise

    def _ensure_schema(self) -> None:
        for statement in schema_statements():
            self._driver.execute_query(statement, database_=self._database)
        self._driver.execute_query("CALL db.awaitIndexes(300)", database_=self._database)
        if self._read(cypher.BULK_READ) and not self._clear_killed_load():
            return  # a first load is running in another process: it derives and stamps what it writes
        # A graph written before its derived values existed (or under other rules) is derived afresh.
        marker = self._read(cypher.DERIVED_READ)
        if not marker or marker[0]["derived"] != DERIVED_VERSION:
            if self.count_nodes() > 0:
                log.warning("deriving jurisdiction and fact placement for the stored graph (rules %s)", DERIVED_VERSION)
                self.write(rederive(self))
            self._driver.execute_query(cypher.DERIVED_SET, {"v": DERIVED_VERSION}, database_=self._database)

    def _clear_killed_load(self) -> bool:
        """The bulk-load marker is stored: clear the partial graph a killed first load left, unless a
        writer holds the version lock (the load is alive, in another process). Whether it cleared."""
        with self._driver.session(database=self._database) as session:
            try:  # only to tell whether the lock is free: a short transaction, rolled back
                with session.begin_transaction(timeout=_LIVE_LOCK_SECONDS) as probe:
                    probe.run(cypher.VERSION_LOCK).consume()
                    probe.rollback()
            except neo4j.exceptions.Neo4jError as e:  # a timeout while waiting for the lock
                if "TransactionTimedOut" not in (e.code or "") and "LockClient" not in (e.code or ""):
                    raise
                log.warning(
                    "另一进程正在分批首次加载图，读到的图尚不完整，加载完成后数据版本才变化。 A first load is being "
                    "written in several transactions by another process: reads see the part committed so far "
                    "until it ends (data_version changes then)."
                )
                return False
        with self._driver.session(database=self._database) as session, session.begin_transaction() as hold:
            hold.run(cypher.VERSION_LOCK).consume()
            rows = hold.run(cypher.BULK_READ).data()
            if rows:  # (unless another process cleared it meanwhile)
                self._clear_graph()
                hold.run(cypher.BULK_END).consume()
                hold.run(cypher.VERSION_BUMP).consume()
            hold.commit()
        if rows:
            log.warning(
                "上次分批首次加载（%s 行，开始于 %s）未完成，进程被中止；已清除其写入的部分图，请重新加载。"
                " A first load of %s rows begun at %s did not finish (its process was killed): the partial"
                " graph it left was cleared; load the bundle again.",
                rows[0]["rows"],
                rows[0]["started"],
                rows[0]["rows"],
                rows[0]["started"],
            )
        return True

    def close(self) -> None:
        self._driver.close()

    # ------------------------------------------------------------ running queries

    def _read(self, query: str, params: dict[str, Any] | None = None) -> list[neo4j.Record]:
        """One read query, fully fetched."""
        with self._errors("read", query=query):
            return self._driver.execute_query(
                query, params or {}, database_=self._database, routing_=neo4j.RoutingControl.READ
            ).records

    def _rows(self, query: str, params: dict[str, Any] | None = None) -> list[list[Any]]:
        """The rows of a read query that returns them collected in one record (``… AS rows``)."""
        return list(self._read(query, params)[0]["rows"])

    def _edges(self, query: str, params: dict[str, Any]) -> list[Edge]:
        return [_edge(t, s, e, props) for t, s, e, props in self._rows(query, params)]

    def _stream(self, query: str, params: dict[str, Any] | None = None) -> Iterator[list[Any]]:
        """Rows of one read query as value lists, streamed (for scans)."""
        with self._errors("read", query=query):
            with self._driver.session(
                database=self._database, default_access_mode=neo4j.READ_ACCESS, fetch_size=_SCAN_BATCH
            ) as session:
                for record in session.run(query, params or {}):
                    yield list(record.values())

    def _count(self, query: str) -> int:
        return int(self._read(query)[0]["n"])

    # ------------------------------------------------------------ writes

    def write(self, batch: WriteBatch, progress: Progress | None = None) -> WriteStats:
        check_batch(batch)  # the same refusals as every backend
        rows = batch.row_count
        with self._write_lock, self._errors("write", rows=rows):
            for _ in range(_ATTEMPTS):
                seen = self.data_version()  # what derive() reads below is the store at this version
                bulk = rows > self._single_transaction_rows and self.count_nodes() == 0
                # A re-import of the whole store: derived from the batch alone (graph/whole.py).
                ready = batch if batch.derived else derive(whole.NOTHING_STORED if self._holds(batch) else self, batch)
                steps = plan(ready)  # validates everything it can before a transaction starts
                # A batch derived by the caller (rederive) is written as it is: no version to hold it to.
                expected = None if batch.derived else seen
                stats = (
                    self._write_bulk(steps, rows, expected, progress)
                    if bulk
                    else self._write_one(steps, expected, progress)
                )
                if stats is not None:
                    return stats
                log.info("another process wrote while this write derived its values: deriving again")
            raise WriteFailed(
                f"其他进程持续写入，本次写入的派生值 {_ATTEMPTS} 次都已过时，未写入任何内容，请重试。"
                f" Other processes kept writing: this write's derived values were stale {_ATTEMPTS} times;"
                " nothing was written, try again."
            )

    def _holds(self, batch: WriteBatch) -> bool:
        """Whether ``batch`` holds every stored node and every stored relationship a derived value
        reads (``graph.whole.holds_the_store``). Ids and keys come one collected list per kind: a
        record per row costs ~15 µs over Bolt (bench/FIGURES.md), a list a fraction of that."""
        total = self.count_nodes()
        if total == 0 or sum(rows.table.num_rows for rows in batch.nodes) < total:
            return False  # the usual case, an increment, answered by one count
        stored: dict[str, str] = {}
        for kind in NODE_KINDS:
            stored.update(dict.fromkeys((str(i) for i in self._read(cypher.collect_ids_query(kind))[0]["rows"]), kind))

        def keys(kind: str) -> pa.ChunkedArray:
            schema = pa.schema([rel_schema(kind).field(n) for n in whole.rel_keys(kind)])
            rows = self._rows(cypher.collect_rel_keys_query(kind, REL_KINDS[kind].key_properties))
            return whole.rel_key_column(kind, _to_table(rows, schema))

        return whole.holds_the_store(batch, stored, keys, READ_RELS)

    def _write_one(
        self, steps: list[NodeStep | RelStep], expected: int | None, progress: Progress | None
    ) -> WriteStats | None:
        """The batch in one transaction; None (nothing written) if the version is no longer ``expected``."""
        with self._driver.session(database=self._database) as session:
            # An explicit transaction rather than execute_write: re-running a bulk write on a
            # transient error would repeat its progress reports, and the transient error a bulk
            # write meets (the server's transaction memory limit) recurs on every retry.
            txs = Transactions(session)
            try:
                version = txs.tx.run(cypher.VERSION_LOCK).single(strict=True)["version"]
                if expected is not None and version != expected:
                    return None
                stats = Writer(txs, progress).run(steps)
                txs.tx.run(cypher.VERSION_BUMP).consume()
                txs.commit()
                return stats
            finally:
                txs.rollback()  # (nothing, once committed)

    def _write_bulk(
        self, steps: list[NodeStep | RelStep], rows: int, expected: int | None, progress: Progress | None
    ) -> WriteStats | None:
        """A first load in transactions of at most ``single_transaction_rows`` rows, all-or-nothing
        (the module docstring); None (nothing written) if the version moved or the store is not empty."""
        with self._driver.session(database=self._database) as hold_session:
            hold = hold_session.begin_transaction()  # holds the version lock from start to end
            try:
                version = hold.run(cypher.VERSION_LOCK).single(strict=True)["version"]
                empty = hold.run(cypher.count_nodes_query()).single(strict=True)["n"] == 0
                if (expected is not None and version != expected) or not empty:
                    return None
                with self._driver.session(database=self._database) as session:
                    session.run(cypher.BULK_MARK, {"rows": rows}).consume()  # a kill from here on: cleared at open
                    txs = Transactions(session, self._single_transaction_rows)
                    try:
                        stats = Writer(txs, progress).run(steps)
                        txs.commit()
                    except BaseException:
                        txs.rollback()
                        self._undo_bulk(hold)
                        raise
                hold.run(cypher.BULK_END).consume()
                hold.run(cypher.VERSION_BUMP).consume()
                hold.commit()
                log.info("first load of %d rows written in %d transactions", rows, txs.commits)
                return stats
            finally:
                with suppress(neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError):
                    if not hold.closed():
                        hold.rollback()

    def _undo_bulk(self, hold: neo4j.Transaction) -> None:
        """After a failed first load: clear what it committed, delete the marker, bump the version (the
        empty store is as it was, but readers may have seen part of the load). If that fails too, the
        marker stays and the next open clears the graph."""
        try:
            self._clear_graph()
            hold.run(cypher.BULK_END).consume()
            hold.run(cypher.VERSION_BUMP).consume()
            hold.commit()
        except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError) as e:
            log.error(
                "清除失败的分批加载未完成，下次打开时清除。 Clearing a failed first load failed (%s): next open will",
                e,
            )

    def _clear_graph(self) -> None:
        """Delete every graph node, in transactions of 10,000 (``CLEAR``), without taking the version lock."""
        with self._driver.session(database=self._database) as session:
            session.run(cypher.CLEAR).consume()

    def clear(self) -> None:
        with self._write_lock, self._errors("clear"):
            with self._driver.session(database=self._database) as session, session.begin_transaction() as hold:
                hold.run(cypher.VERSION_LOCK).consume()  # no write runs while the graph is deleted
                self._clear_graph()
                hold.run(cypher.BULK_END).consume()  # (a cleared graph is no partial load)
                hold.run(cypher.VERSION_BUMP).consume()
                hold.commit()

    def data_version(self) -> int:
        records = self._read(cypher.VERSION_READ)
        return int(records[0]["version"]) if records else 0

    # ------------------------------------------------------------ reads

    def kinds_of(self, ids: Collection[str]) -> dict[str, str]:
        if not ids:
            return {}
        rows = self._rows(cypher.kinds_query(), {"ids": list(dict.fromkeys(ids))})
        return {i: cypher.node_kind(labels) for i, labels in rows}

    def get_nodes(self, ids: Collection[str]) -> dict[str, Node]:
        if not ids:
            return {}
        rows = self._rows(cypher.nodes_query(), {"ids": list(dict.fromkeys(ids))})
        return {props["id"]: node_record(cypher.node_kind(labels), props["id"], props) for labels, props in rows}

    def derived(self, ids: Collection[str]) -> dict[str, dict[str, Any]]:
        if not ids:
            return {}
        rows = self._rows(cypher.nodes_query(), {"ids": list(dict.fromkeys(ids))})
        out: dict[str, dict[str, Any]] = {}
        for labels, props in rows:
            kind = cypher.node_kind(labels)
            out[props["id"]] = {name: _native(props.get(name)) for name in DERIVED[kind]}
        return out

    def edges(
        self,
        ids: Collection[str],
        types: Collection[str] = (),
        direction: Direction = "both",
        limit: int | None = None,
    ) -> list[Edge]:
        if not ids or (limit is not None and limit <= 0):
            return []
        unknown = [t for t in types if t not in REL_KINDS]
        if unknown:
            raise ValueError(f"not relationship kinds: {unknown}")
        query = cypher.edges_query(list(types), direction, limited=limit is not None)
        found = self._edges(query, {"ids": list(dict.fromkeys(ids)), "limit": limit})
        return sorted(found, key=lambda e: (e.type, e.source, e.target, e.id))

    def follow(self, ids: Collection[str], hops: Sequence[Hop], scope: Scope | None = None) -> list[Edge]:
        check_hops(hops)
        if not ids:
            return []
        params: dict[str, Any] = {f"w{i}": list(h.where[1]) for i, h in enumerate(hops) if h.where is not None}
        scoped, more = walk_scope_test("{v}", scope, "{v}:Region", "any(k IN labels({v}) WHERE k IN $kinds)")
        params.update(more)
        query = cypher.walk_query(hops, (scoped,) if scoped else ())
        found = {e.id: e for e in self._edges(query, {"ids": list(dict.fromkeys(ids)), **params})}
        return [found[k] for k in sorted(found)]

    def scan_nodes(self, kind: str, columns: Sequence[str] | None = None) -> Iterator[pa.Table]:
        props = stored_columns(kind) if kind in NODE_KINDS else None
        if props is None:
            raise ValueError(f"not a node kind: {kind!r}")
        names = ["id", *(c for c in (columns if columns is not None else node_columns(kind)) if c != "id")]
        unknown = [c for c in names if c not in props]
        if unknown:
            raise ValueError(f"{kind} has no properties {unknown}")
        schema = pa.schema([(c, arrow_type(props[c])) for c in names])
        yield from _arrow_batches(self._stream(cypher.scan_nodes_query(kind, names)), schema)

    def scan_edges(self, kind: str) -> Iterator[pa.Table]:
        if kind not in REL_KINDS:
            raise ValueError(f"not a relationship kind: {kind!r}")
        props = rel_columns(kind)
        schema = pa.schema(
            [("from", pa.string()), ("to", pa.string()), *((c, arrow_type(p)) for c, p in props.items())]
        )
        yield from _arrow_batches(self._stream(cypher.scan_edges_query(kind, list(props))), schema)

    def count_nodes(self, kind: str | None = None) -> int:
        if kind is not None and kind not in NODE_KINDS:
            raise ValueError(f"not a node kind: {kind!r}")
        return self._count(cypher.count_nodes_query(kind))

    def visibility(self, ids: Collection[str]) -> dict[str, tuple[str, tuple[str, ...] | None]]:
        if not ids:
            return {}
        rows = self._rows(cypher.scopes_query(), {"ids": list(dict.fromkeys(ids))})
        return {i: (cypher.node_kind(labels), tuple(regions) if regions else None) for i, labels, regions in rows}

    def ids_in_regions(self, kind: str, regions: Sequence[str]) -> list[str]:
        test, params = scope_test("n", regions)
        query = f"MATCH (n:{cypher.q(kind)}) WHERE {test} RETURN n.id AS id ORDER BY id"
        return [r["id"] for r in self._read(query, params)]

    def count_in_regions(self, kind: str, regions: Sequence[str]) -> int:
        test, params = scope_test("n", regions)
        return int(self._read(f"MATCH (n:{cypher.q(kind)}) WHERE {test} RETURN count(n) AS n", params)[0]["n"])

    @remembered
    def count_facts(self, query: FactQuery) -> dict[Any, dict[str, int]]:
        queries = fact_count_queries(query, lambda kinds: "f:" + "|".join(cypher.q(k) for k in kinds))
        return collect(query, [(figures, [list(r.values()) for r in self._read(text, params)])
                               for text, params, figures in queries])  # fmt: skip

    @remembered
    def count_study(self, query: StudyQuery) -> dict[str, Any]:
        by_kind, total, params = study_queries(query)
        rows = [list(r.values()) for r in self._read(by_kind, params)]
        return {"by_kind": rows, "attendees": int(self._read(total, params)[0]["n"])}

    @remembered
    def count_duty_reports(self, query: DutyQuery) -> dict[str, Any]:
        groups, reporters, reviewers, params = duty_queries(query)
        return {
            "groups": [list(r.values()) for r in self._read(groups, params)],
            "reporters": int(self._read(reporters, params)[0]["n"]),
            "reviewers": [list(r.values()) for r in self._read(reviewers, params)],
        }

    @remembered
    def page_issues(self, query: IssueQuery) -> tuple[int, list[str]]:
        count, counted, page, params = issue_page_queries(query)
        total = int(self._read(count, counted)[0]["n"])
        return total, [r["id"] for r in self._read(page, params)]

    def count_edges(self, kind: str | None = None) -> int:
        if kind is not None and kind not in REL_KINDS:
            raise ValueError(f"not a relationship kind: {kind!r}")
        return self._count(cypher.count_edges_query(kind))

    def shortest_paths(self, source: str, target: str, max_hops: int, limit: int = 10) -> list[list[Edge]]:
        if not isinstance(max_hops, int) or not 1 <= max_hops <= MAX_PATH_HOPS:
            raise ValueError(f"max_hops must be between 1 and {MAX_PATH_HOPS}")
        if source == target or limit <= 0:
            return []
        records = self._read(cypher.shortest_paths_query(max_hops), {"s": source, "t": target, "limit": limit})
        paths = [[_edge(t, s, e, props) for t, s, e, props in r["rels"]] for r in records]
        return sorted(paths, key=lambda path: [e.id for e in path])


# ---------------------------------------------------------------- rows as port values


def _native(value: Any) -> Any:
    """Driver values as port values: ``neo4j.time.Date`` becomes ``datetime.date``."""
    if isinstance(value, Neo4jDate):
        return value.to_native()
    return value


def _edge(kind: str, source: str, target: str, props: dict[str, Any]) -> Edge:
    return Edge(kind, source, target, {name: _native(props.get(name)) for name in REL_KINDS[kind].properties})


def _arrow_batches(rows: Iterator[list[Any]], schema: pa.Schema) -> Iterator[pa.Table]:
    """Rows (value lists in schema order) as Arrow tables of at most ``_SCAN_BATCH`` rows."""
    chunk: list[list[Any]] = []
    emitted = False
    for row in rows:
        chunk.append(row)
        if len(chunk) == _SCAN_BATCH:
            yield _to_table(chunk, schema)
            chunk, emitted = [], True
    if chunk or not emitted:
        yield _to_table(chunk, schema)


def _to_table(rows: list[list[Any]], schema: pa.Schema) -> pa.Table:
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in schema]
    arrays = []
    for values, f in zip(columns, schema, strict=True):
        if pa.types.is_date(f.type):
            values = tuple(_native(v) for v in values)
        arrays.append(pa.array(values, type=f.type))
    return pa.Table.from_arrays(arrays, schema=schema)
