"""``Neo4jStore``: the storage port on a Neo4j 5 server, through the official driver (one per store).

    store = Neo4jStore(uri="bolt://localhost:7687", user="neo4j", password="…", database="neo4j")
    store.write(batch)                  # one write transaction (graph.neo4j.writer)
    store.get_nodes(["ISS-1"])

The store runs what graph.neo4j.cypher builds and turns rows into port values; every driver call
runs inside ``neo4j_errors``, so callers only ever see ``graph.errors``.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Collection, Iterator, Sequence
from typing import Any

import neo4j
import pyarrow as pa
from neo4j.time import Date as Neo4jDate

from graph.columns import arrow_type, node_columns, rel_columns, stored_columns
from graph.derived import derive, rederive
from graph.errors import StoreUnavailable
from graph.fact_counts import FactQuery, collect, fact_count_queries, scope_test
from graph.issue_pages import IssueQuery, issue_page_queries
from graph.neo4j import cypher
from graph.neo4j.ddl import schema_statements
from graph.neo4j.errors import neo4j_errors
from graph.neo4j.writer import Writer, plan
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

_BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")  # not the HTTP preview
_SCAN_BATCH = 50_000

log = logging.getLogger("wenze.store")


class Neo4jStore:
    """``graph.port.GraphStore`` on a Neo4j 5 server (Community is enough)."""

    backend = "neo4j"

    def __init__(self, uri: str, user: str = "neo4j", password: str = "", database: str = "neo4j") -> None:
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
        # A graph written before its derived values existed (or under other rules) is derived afresh.
        marker = self._read(cypher.DERIVED_READ)
        if not marker or marker[0]["derived"] != DERIVED_VERSION:
            if self.count_nodes() > 0:
                log.warning("deriving jurisdiction and fact placement for the stored graph (rules %s)", DERIVED_VERSION)
                self.write(rederive(self))
            self._driver.execute_query(cypher.DERIVED_SET, {"v": DERIVED_VERSION}, database_=self._database)

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
        with self._write_lock, self._errors("write", rows=batch.row_count):
            # Derived over the store as it is now: another process writing meanwhile could leave
            # them stale (run loads one at a time, as the embedded engine enforces).
            batch = batch if batch.derived else derive(self, batch)
            steps = plan(batch)  # validates everything it can before the transaction starts
            with self._driver.session(database=self._database) as session:
                # An explicit transaction rather than execute_write: re-running a bulk write on a
                # transient error would repeat its progress reports, and the transient error a bulk
                # write meets (the server's transaction memory limit) recurs on every retry.
                with session.begin_transaction() as tx:
                    stats = Writer(tx, progress).run(steps)
                    tx.run(cypher.VERSION_BUMP).consume()
                    tx.commit()
                return stats

    def clear(self) -> None:
        with self._write_lock, self._errors("clear"):
            with self._driver.session(database=self._database) as session:
                session.run(cypher.CLEAR).consume()
                session.run(cypher.VERSION_BUMP).consume()

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

    def follow(self, ids: Collection[str], hops: Sequence[Hop]) -> list[Edge]:
        check_hops(hops)
        if not ids:
            return []
        params: dict[str, Any] = {f"w{i}": list(h.where[1]) for i, h in enumerate(hops) if h.where is not None}
        found = {e.id: e for e in self._edges(cypher.walk_query(hops), {"ids": list(dict.fromkeys(ids)), **params})}
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

    def count_facts(self, query: FactQuery) -> dict[Any, dict[str, int]]:
        queries = fact_count_queries(query, lambda kinds: "f:" + "|".join(cypher.q(k) for k in kinds))
        return collect(query, [(figures, [list(r.values()) for r in self._read(text, params)])
                               for text, params, figures in queries])  # fmt: skip

    def page_issues(self, query: IssueQuery) -> tuple[int, list[str]]:
        count, page, params = issue_page_queries(query)
        counted = {k: v for k, v in params.items() if k not in ("skip", "limit")}
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
