"""The server backend: Neo4j 5 through the official driver, one driver per store.

    store = Neo4jStore(uri="bolt://localhost:7687", user="neo4j", password="…", database="neo4j")
    store.write(batch)                  # one write transaction, UNWIND $rows batches of 10k
    store.get_nodes(["ISS-1"])
    store.fulltext_candidates("违规", 20)  # ids from the `wenze_search` full-text index (cjk analyzer)

How the graph is stored: every node carries its kind as a label (`Case`, `Official`, …) and the
shared label `Node`; each kind has a uniqueness constraint on `id`, and so does `Node`, which makes
look-ups by id alone index seeks and keeps ids unique across the whole graph (CONTRACT §1).
Relationship types are the relationship kinds; properties are MODEL.md identifiers; dates are Neo4j
DATEs. Labels, types and property names are interpolated into Cypher only after being checked
against schema/ (``_q``); every value is a parameter.

How a write runs (all in one transaction, so a failed or killed write leaves no trace): per node
table, look up which ids are stored (skipped when the store is empty), CREATE the others and SET the
columns given on the stored ones; per relationship table, resolve endpoints to element ids, CREATE
the relationships that touch a node this write created (they cannot exist yet) and MERGE the rest.
Rows go as lists, and chunks are pipelined (the server runs one while the next is encoded). MERGE
on every row made the queries ~1.9x slower (an index seek, locks and a check against the
transaction's own changes per row). The full-text index is eventually consistent, so a commit does
not wait for Lucene; ``fulltext_candidates`` waits for it. Full demo (1.09M relationships, 2 cores,
warm server, neo4j-rust-ext): 38 s, of which the queries take 20 s and the commit, on one thread,
18 s; loading it again takes 17 s and changes nothing.

How a read runs: it starts from ids with ``USING INDEX SEEK`` (never a plan that depends on stale
statistics) and answers with one record of collected rows (Bolt's cost is per record).
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import neo4j
import neo4j.exceptions as nx
import pyarrow as pa
import pyarrow.compute as pc
from neo4j.time import Date as Neo4jDate

from graph.columns import arrow_type, node_columns, rel_columns
from graph.errors import GraphError, QueryFailed, StoreUnavailable, WriteFailed
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
from schema.model import NODE_KINDS, REL_KINDS

NODE_LABEL = "Node"  # shared by every node: a global uniqueness constraint on id, index-backed look-ups
# One bookkeeping node outside the model (no Node label, so no count or scan sees it): a random
# version stamped in the same transaction as every write, so any process can tell the data changed.
_VERSION_CONSTRAINT = (
    "CREATE CONSTRAINT wenze_version_key IF NOT EXISTS FOR (v:`WenzeVersion`) REQUIRE v.key IS UNIQUE"
)
_VERSION_BUMP = "MERGE (v:`WenzeVersion` {key: 'graph'}) SET v.version = toInteger(rand() * 9007199254740991)"
_VERSION_READ = "MATCH (v:`WenzeVersion` {key: 'graph'}) RETURN v.version AS version"
SEARCH_INDEX = "wenze_search"
SEARCH_ANALYZER = "cjk"  # Lucene CJKAnalyzer: bigrams for Han/Kana/Hangul runs, words for the rest
MAX_HOPS = 6  # the same bound as the embedded backend
_BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")  # not the HTTP preview
_WRITE_CHUNK = 10_000
_LOOKUP_CHUNK = 50_000
_SCAN_BATCH = 50_000
_LUCENE_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')
# Edge.id in Cypher, for orderings that must agree with the port's: type|source|target[|start].
_EDGE_ID = (
    "type(x) + '|' + startNode(x).`id` + '|' + endNode(x).`id` + "
    "CASE WHEN type(x) = 'HELD_POST' AND x.`start` IS NOT NULL THEN '|' + toString(x.`start`) ELSE '' END"
)
# Reads answer with one record holding every row as a list: Bolt sends, and the driver builds, one
# record at a time, and that cost ~15 us a record (160 relationships: 4.6 ms as records, 2.3 ms as
# one collected list; 3.4 and 1.1 ms with neo4j-rust-ext).
_EDGE_ROWS = "collect([type(x), startNode(x).`id`, endNode(x).`id`, properties(x)]) AS rows"
_CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003ffff]+")

if NODE_LABEL in NODE_KINDS or NODE_LABEL in REL_KINDS:
    raise ValueError(f"schema/ declares {NODE_LABEL!r}, the label this backend gives every node")


def _q(name: str) -> str:
    """A schema identifier, backticked; refuses anything that is not declared in schema/."""
    if name not in NODE_KINDS and name not in REL_KINDS and name != NODE_LABEL and not _is_property(name):
        raise ValueError(f"not a schema identifier: {name!r}")
    return f"`{name}`"


def _by_ids(label: str) -> str:
    """``n``: one node of ``label`` per id of ``$ids`` (as ``i``), always by a seek of its id index.

    Always: with an index sampled while empty (as after a clear) the planner scans the whole index
    for each id, and keeps that plan in its cache after a large load: 300 ms instead of 2 ms for a
    campaign's four inspections on the full demo. (A plain USING INDEX is satisfied by that scan;
    USING INDEX SEEK is not.)
    """
    return f"UNWIND $ids AS i MATCH (n:{_q(label)} {{`id`: i}}) USING INDEX SEEK n:{_q(label)}(`id`) "


def _is_property(name: str) -> bool:
    return (
        name in ("id", "from", "to")
        or any(name in k.properties for k in NODE_KINDS.values())
        or any(name in r.properties for r in REL_KINDS.values())
    )


def _native(value: Any) -> Any:
    """Driver values as port values: ``neo4j.time.Date`` becomes ``datetime.date``."""
    if isinstance(value, Neo4jDate):
        return value.to_native()
    return value


# ---------------------------------------------------------------- schema (DDL), derived from schema/


def constraint_statements() -> list[str]:
    """One uniqueness constraint on ``id`` per node kind, and one on the shared label."""
    return [
        f"CREATE CONSTRAINT {_constraint_name(label)} IF NOT EXISTS FOR (n:{_q(label)}) REQUIRE n.`id` IS UNIQUE"
        for label in (*NODE_KINDS, NODE_LABEL)
    ]


def _constraint_name(label: str) -> str:
    return f"wenze_{label.lower()}_id"


def search_index_spec() -> tuple[list[str], list[str]]:
    """The labels and properties the full-text index covers (``NodeKind.searchable``)."""
    labels = [k.name for k in NODE_KINDS.values() if k.searchable]
    props = list(dict.fromkeys(p for k in NODE_KINDS.values() for p in k.searchable))
    return labels, props


def search_index_statement() -> str:
    labels, props = search_index_spec()
    return (
        f"CREATE FULLTEXT INDEX {SEARCH_INDEX} IF NOT EXISTS "
        f"FOR (n:{'|'.join(_q(label) for label in labels)}) "
        f"ON EACH [{', '.join(f'n.{_q(p)}' for p in props)}] "
        f"OPTIONS {{indexConfig: {{`fulltext.analyzer`: '{SEARCH_ANALYZER}', `fulltext.eventually_consistent`: true}}}}"
    )


def walk_query(hops: Sequence[Hop]) -> str:
    """``follow``'s query: every start node of ``$ids`` at once, by the id index on the shared label.

    Relationship kinds and property names come from schema/ (check_hops); a MATCH never binds one
    relationship twice, which is the port's rule for walks.
    """
    pattern = f"(s:{_q(NODE_LABEL)} {{`id`: sid}})"
    hint = f" USING INDEX SEEK s:{_q(NODE_LABEL)}(`id`)"
    where = []
    for i, hop in enumerate(hops):
        rel = f"[r{i}:{'|'.join(_q(t) for t in hop.types)}]"
        pattern += f"-{rel}->(n{i})" if hop.direction == "out" else f"<-{rel}-(n{i})"
        if hop.where is not None:
            where.append(f"r{i}.{_q(hop.where[0])} IN $w{i}")
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    return (
        f"UNWIND $ids AS sid MATCH {pattern}{hint}{clause} WITH DISTINCT r{len(hops) - 1} AS x "
        f"RETURN {_EDGE_ROWS}"
    )


# ---------------------------------------------------------------- write queries
#
# Rows travel as lists (``r[0]``, ``r[1]``, …) in the order the query names its columns, and nodes
# the transaction has already found or created are addressed by element id (``elementId(n) = r[0]``
# is a direct record look-up, cheaper than an index seek that must also consult the transaction's
# own index changes).


def node_lookup_query() -> str:
    """Stored nodes among ``$ids`` (any kind): rows ``[id, element id, labels]``, collected."""
    return (
        f"{_by_ids(NODE_LABEL)}RETURN collect([i, elementId(n), labels(n)]) AS rows"
    )


def endpoint_lookup_query(kind: str) -> str:
    """Stored nodes of one kind among ``$ids``: rows ``[id, element id, null]``, collected."""
    return f"{_by_ids(kind)}RETURN collect([i, elementId(n), null]) AS rows"


def node_create_query(kind: str, columns: Sequence[str]) -> str:
    """Create nodes from rows ``[id, *columns]``; returns their element ids in row order.

    Only for ids not stored yet (the uniqueness constraints still guard against any other). A null
    value is not stored, as an absent property would not be.
    """
    props = ", ".join(f"{_q(c)}: r[{i}]" for i, c in enumerate(["id", *columns]))
    return (
        f"UNWIND $rows AS r CREATE (n:{_q(kind)}:{_q(NODE_LABEL)} {{{props}}}) "
        "RETURN collect(elementId(n)) AS created"
    )


def node_update_query(kind: str, columns: Sequence[str]) -> str:
    """Set ``columns`` on stored nodes from rows ``[element id, *columns]`` (null removes a property)."""
    sets = ", ".join(f"n.{_q(c)} = r[{i}]" for i, c in enumerate(columns, start=1))
    return (
        f"UNWIND $rows AS r MATCH (n:{_q(kind)}) WHERE elementId(n) = r[0] SET {sets} RETURN count(*) AS matched"
    )


def _endpoints(from_kind: str, to_kind: str) -> str:
    return (
        f"UNWIND $rows AS r MATCH (a:{_q(from_kind)}) WHERE elementId(a) = r[0] "
        f"MATCH (b:{_q(to_kind)}) WHERE elementId(b) = r[1] "
    )


def rel_create_query(kind: str, from_kind: str, to_kind: str, columns: Sequence[str]) -> str:
    """Create relationships from rows ``[from element id, to element id, *columns]``; returns the count.

    Only for rows with an endpoint created by this transaction: such a relationship cannot exist yet.
    """
    props = ", ".join(f"{_q(c)}: r[{i}]" for i, c in enumerate(columns, start=2))
    return (
        f"{_endpoints(from_kind, to_kind)}CREATE (a)-[:{_q(kind)}{f' {{{props}}}' if props else ''}]->(b) "
        "RETURN count(*) AS matched"
    )


def rel_upsert_query(
    kind: str, from_kind: str, to_kind: str, columns: Sequence[str], *, null_keys: bool = False
) -> str:
    """Upsert relationships between stored nodes from rows ``[from element id, to element id, *columns]``.

    A relationship is identified by kind and endpoints, plus its key properties (``start`` for
    HELD_POST). MERGE on a null property never matches, so rows with a null key (``null_keys``) look
    the relationship up in a per-row subquery and create it where absent. Returns the matched count.
    """
    rk = REL_KINDS[kind]
    col = {c: f"r[{i}]" for i, c in enumerate(columns, start=2)}
    for k in rk.key_properties:
        col.setdefault(k, "null")  # an absent key column means a null key
    head = _endpoints(from_kind, to_kind)
    props = [c for c in columns if c not in rk.key_properties]
    if not rk.key_properties or not null_keys:
        key = ", ".join(f"{_q(k)}: {col[k]}" for k in rk.key_properties)
        sets = f" SET {', '.join(f'x.{_q(c)} = {col[c]}' for c in props)}" if props else ""
        merge = f"MERGE (a)-[x:{_q(kind)}{f' {{{key}}}' if key else ''}]->(b)"
        return f"{head}{merge}{sets} RETURN count(*) AS matched"
    same_key = " AND ".join(
        f"(x.{_q(k)} = {col[k]} OR (x.{_q(k)} IS NULL AND {col[k]} IS NULL))" for k in rk.key_properties
    )
    created = ", ".join(f"{_q(c)}: {col[c]}" for c in [*rk.key_properties, *props])
    sets = ", ".join(f"x.{_q(c)} = {col[c]}" for c in props)
    update = f"FOREACH (x IN found | SET {sets}) " if props else ""
    return (
        f"{head}CALL (a, b, r) {{ "
        f"OPTIONAL MATCH (a)-[x:{_q(kind)}]->(b) WHERE {same_key} "
        f"WITH a, b, r, collect(x) AS found "
        f"FOREACH (_ IN CASE WHEN size(found) = 0 THEN [1] ELSE [] END | "
        f"CREATE (a)-[:{_q(kind)} {{{created}}}]->(b)) "
        f"{update}}} RETURN count(*) AS matched"
    )


# ---------------------------------------------------------------- the store


class Neo4jStore:
    """``graph.port.GraphStore`` on a Neo4j 5 server (Community is enough)."""

    backend = "neo4j"

    def __init__(self, uri: str, user: str = "neo4j", password: str = "", database: str = "neo4j") -> None:
        self._uri = uri
        self._database = database
        self._write_lock = threading.Lock()
        auth = (user, password) if password else None
        hint = (
            f"check that the Neo4j server is running and reachable at {uri} (WENZE_NEO4J_URI), that "
            f"WENZE_NEO4J_USER/WENZE_NEO4J_PASSWORD are right and that database {database!r} exists "
            f"(WENZE_NEO4J_DATABASE); for development run `scripts/neo4j-dev start`"
        )
        if uri.split("://", 1)[0] not in _BOLT_SCHEMES:
            raise StoreUnavailable(
                f"WENZE_NEO4J_URI must be a Bolt URI ({', '.join(s + '://' for s in _BOLT_SCHEMES)}), not {uri!r}"
            )
        try:
            self._driver = neo4j.GraphDatabase.driver(
                uri,
                auth=auth,
                user_agent="wenze",
                # "property does not exist" warnings are normal for optional properties: not sent.
                notifications_disabled_classifications=["UNRECOGNIZED"],
                warn_notification_severity="OFF",
            )
        except (ValueError, nx.ConfigurationError) as e:
            raise StoreUnavailable(f"bad Neo4j URI {uri!r}: {e}; check WENZE_NEO4J_URI") from e
        try:
            self._driver.verify_connectivity()
            self._ensure_schema()
        except (nx.Neo4jError, nx.DriverError, OSError) as e:
            self._driver.close()
            raise StoreUnavailable(f"cannot use Neo4j at {uri}: {e}; {hint}") from e

    # ------------------------------------------------------------ schema

    def _ensure_schema(self) -> None:
        for statement in (*constraint_statements(), _VERSION_CONSTRAINT):
            self._driver.execute_query(statement, database_=self._database)
        labels, props = search_index_spec()
        rows = self._driver.execute_query(
            "SHOW FULLTEXT INDEXES YIELD name, labelsOrTypes, properties, options WHERE name = $name "
            "RETURN labelsOrTypes, properties, options.indexConfig['fulltext.analyzer'] AS analyzer, "
            "options.indexConfig['fulltext.eventually_consistent'] AS eventually_consistent",
            {"name": SEARCH_INDEX},
            database_=self._database,
        ).records
        if rows and (
            sorted(rows[0]["labelsOrTypes"]) != sorted(labels)
            or sorted(rows[0]["properties"]) != sorted(props)
            or rows[0]["analyzer"] != SEARCH_ANALYZER
            or rows[0]["eventually_consistent"] is not True
        ):
            # schema/ changed what is searchable, or the index predates this version: rebuild it (the
            # name is ours).
            self._driver.execute_query(f"DROP INDEX {SEARCH_INDEX} IF EXISTS", database_=self._database)
        self._driver.execute_query(search_index_statement(), database_=self._database)
        self._driver.execute_query("CALL db.awaitIndexes(300)", database_=self._database)

    def close(self) -> None:
        self._driver.close()

    # ------------------------------------------------------------ helpers

    def _read(self, query: str, params: dict[str, Any] | None = None) -> list[neo4j.Record]:
        """One read query, fully fetched; driver errors become graph errors naming the query."""
        try:
            return self._driver.execute_query(
                query, params or {}, database_=self._database, routing_=neo4j.RoutingControl.READ
            ).records
        except (nx.ServiceUnavailable, nx.SessionExpired) as e:
            raise StoreUnavailable(f"Neo4j at {self._uri} is unreachable: {e}") from e
        except (nx.Neo4jError, nx.DriverError) as e:
            raise QueryFailed(f"{e} (query: {query[:200]})") from e

    def _rows(self, query: str, params: dict[str, Any] | None = None) -> list[list[Any]]:
        """The rows of a read query that returns them collected in one record (``… AS rows``)."""
        return list(self._read(query, params)[0]["rows"])

    def _edges(self, query: str, params: dict[str, Any]) -> list[Edge]:
        return [_edge(t, s, e, props) for t, s, e, props in self._rows(query, params)]

    def _stream(self, query: str, params: dict[str, Any] | None = None) -> Iterator[list[Any]]:
        """Rows of one read query as value lists, streamed (for scans)."""
        try:
            with self._driver.session(
                database=self._database, default_access_mode=neo4j.READ_ACCESS, fetch_size=_SCAN_BATCH
            ) as session:
                for record in session.run(query, params or {}):
                    yield list(record.values())
        except (nx.ServiceUnavailable, nx.SessionExpired) as e:
            raise StoreUnavailable(f"Neo4j at {self._uri} is unreachable: {e}") from e
        except (nx.Neo4jError, nx.DriverError) as e:
            raise QueryFailed(f"{e} (query: {query[:200]})") from e

    def _count(self, query: str) -> int:
        return int(self._read(query)[0][0])

    # ------------------------------------------------------------ writes

    def write(self, batch: WriteBatch, progress: Progress | None = None) -> WriteStats:
        check_batch(batch)  # the same refusals as every backend
        plan = _plan(batch)  # validates everything it can before the transaction starts
        with self._write_lock:
            try:
                with self._driver.session(database=self._database) as session:
                    # An explicit transaction rather than execute_write: re-running a bulk write on
                    # a transient error would repeat its progress reports, and the transient error a
                    # bulk write meets (the server's transaction memory limit) recurs on every retry.
                    with session.begin_transaction() as tx:
                        stats = _Writer(tx, progress).run(plan)
                        tx.run(_VERSION_BUMP).consume()
                        tx.commit()
                    return stats
            except _Rejected as e:
                raise WriteFailed(f"the write was rolled back, nothing was written: {e}") from e
            except (nx.ServiceUnavailable, nx.SessionExpired) as e:
                raise StoreUnavailable(
                    f"Neo4j at {self._uri} became unreachable during a write (it was not committed "
                    f"unless the server received the commit): {e}"
                ) from e
            except (nx.Neo4jError, nx.DriverError) as e:
                hint = ""
                if isinstance(e, nx.Neo4jError) and "MemoryPoolOutOfMemoryError" in (e.code or ""):
                    hint = (
                        f" ({batch.row_count} rows in one transaction exceed the server's transaction "
                        "memory: raise db.memory.transaction.max and the heap, or write smaller batches)"
                    )
                raise WriteFailed(f"the write was rolled back, nothing was written: {e}{hint}") from e

    def clear(self) -> None:
        with self._write_lock:
            try:
                with self._driver.session(database=self._database) as session:
                    # Batched: one huge DETACH DELETE would hold the whole graph in transaction state.
                    session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
                    session.run(_VERSION_BUMP).consume()
            except (nx.Neo4jError, nx.DriverError) as e:
                raise WriteFailed(f"clearing the graph failed: {e}") from e

    def data_version(self) -> int:
        records = self._read(_VERSION_READ)
        return int(records[0]["version"]) if records else 0

    # ------------------------------------------------------------ reads

    def kinds_of(self, ids: Collection[str]) -> dict[str, str]:
        if not ids:
            return {}
        rows = self._rows(
            f"{_by_ids(NODE_LABEL)}RETURN collect([n.`id`, labels(n)]) AS rows",
            {"ids": list(dict.fromkeys(ids))},
        )
        return {i: _kind(labels) for i, labels in rows}

    def get_nodes(self, ids: Collection[str]) -> dict[str, Node]:
        if not ids:
            return {}
        rows = self._rows(
            f"{_by_ids(NODE_LABEL)}RETURN collect([labels(n), properties(n)]) AS rows",
            {"ids": list(dict.fromkeys(ids))},
        )
        return {props["id"]: node_record(_kind(labels), props["id"], props) for labels, props in rows}

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
        # Types in the pattern, not in a WHERE on type(x): Neo4j then expands only those
        # relationships (an organisation's 126 posts: 9 ms instead of 108 ms).
        rel = "x:" + "|".join(_q(t) for t in types) if types else "x"
        pattern = {"out": f"(n)-[{rel}]->(m)", "in": f"(n)<-[{rel}]-(m)", "both": f"(n)-[{rel}]-(m)"}[direction]
        # The order only matters to pick the first `limit` (the port's order); the rows are sorted here.
        head = (
            f"ORDER BY type(x), startNode(x).`id`, endNode(x).`id`, {_EDGE_ID} LIMIT $limit "
            if limit is not None
            else ""
        )
        query = (
            f"{_by_ids(NODE_LABEL)}MATCH {pattern} "
            f"WITH DISTINCT x {head}RETURN {_EDGE_ROWS}"
        )
        found = self._edges(query, {"ids": list(dict.fromkeys(ids)), "limit": limit})
        return sorted(found, key=lambda e: (e.type, e.source, e.target, e.id))

    def follow(self, ids: Collection[str], hops: Sequence[Hop]) -> list[Edge]:
        check_hops(hops)
        if not ids:
            return []
        query = walk_query(hops)
        params: dict[str, Any] = {f"w{i}": list(h.where[1]) for i, h in enumerate(hops) if h.where is not None}
        found = {e.id: e for e in self._edges(query, {"ids": list(dict.fromkeys(ids)), **params})}
        return [found[k] for k in sorted(found)]

    def scan_nodes(self, kind: str, columns: Sequence[str] | None = None) -> Iterator[pa.Table]:
        props = node_columns(kind) if kind in NODE_KINDS else None
        if props is None:
            raise ValueError(f"not a node kind: {kind!r}")
        names = ["id", *(c for c in (columns if columns is not None else props) if c != "id")]
        unknown = [c for c in names if c not in props]
        if unknown:
            raise ValueError(f"{kind} has no properties {unknown}")
        schema = pa.schema([(c, arrow_type(props[c])) for c in names])
        ret = ", ".join(f"n.{_q(c)}" for c in names)
        # `id IS NOT NULL` lets the planner read the id index in order: a stable order with no sort.
        query = f"MATCH (n:{_q(kind)}) WHERE n.`id` IS NOT NULL RETURN {ret} ORDER BY n.`id`"
        yield from _arrow_batches(self._stream(query), schema)

    def scan_edges(self, kind: str) -> Iterator[pa.Table]:
        if kind not in REL_KINDS:
            raise ValueError(f"not a relationship kind: {kind!r}")
        props = rel_columns(kind)
        schema = pa.schema(
            [("from", pa.string()), ("to", pa.string()), *((c, arrow_type(p)) for c, p in props.items())]
        )
        ret = ", ".join(["a.`id`", "b.`id`", *(f"x.{_q(c)}" for c in props)])
        yield from _arrow_batches(self._stream(f"MATCH (a)-[x:{_q(kind)}]->(b) RETURN {ret}"), schema)

    def count_nodes(self, kind: str | None = None) -> int:
        if kind is not None and kind not in NODE_KINDS:
            raise ValueError(f"not a node kind: {kind!r}")
        return self._count(f"MATCH (n:{_q(kind if kind is not None else NODE_LABEL)}) RETURN count(n)")

    def count_edges(self, kind: str | None = None) -> int:
        if kind is None:
            return self._count("MATCH ()-[x]->() RETURN count(x)")
        if kind not in REL_KINDS:
            raise ValueError(f"not a relationship kind: {kind!r}")
        return self._count(f"MATCH ()-[x:{_q(kind)}]->() RETURN count(x)")

    def shortest_paths(self, source: str, target: str, max_hops: int, limit: int = 10) -> list[list[Edge]]:
        if not isinstance(max_hops, int) or not 1 <= max_hops <= MAX_HOPS:
            raise ValueError(f"max_hops must be between 1 and {MAX_HOPS}")
        if source == target or limit <= 0:
            return []
        # The hop bound is part of the pattern's syntax and cannot be a parameter; it is a checked int.
        query = (
            f"MATCH (a:{_q(NODE_LABEL)} {{`id`: $s}}), (b:{_q(NODE_LABEL)} {{`id`: $t}}) "
            f"USING INDEX SEEK a:{_q(NODE_LABEL)}(`id`) USING INDEX SEEK b:{_q(NODE_LABEL)}(`id`) "
            f"MATCH p = allShortestPaths((a)-[*..{int(max_hops)}]-(b)) "
            f"WITH p, [x IN relationships(p) | {_EDGE_ID}] AS edge_ids ORDER BY edge_ids LIMIT $limit "
            "RETURN [x IN relationships(p) | "
            "[type(x), startNode(x).`id`, endNode(x).`id`, properties(x)]] AS rels"
        )
        records = self._read(query, {"s": source, "t": target, "limit": limit})
        paths = [[_edge(t, s, e, props) for t, s, e, props in r["rels"]] for r in records]
        return sorted(paths, key=lambda path: [e.id for e in path])

    # ------------------------------------------------------------ port extra: full-text search

    def fulltext_candidates(self, text: str, limit: int) -> list[str]:
        """Ids of nodes whose searchable properties match ``text``, best first (at most ``limit``).

        Uses the `wenze_search` index (cjk analyzer) with ``text`` as one phrase, so a Chinese query
        matches where its characters appear together. The index only holds CJK bigrams, so a query
        with a lone CJK character (or of one character) is answered by a CONTAINS scan instead.
        Candidates only: a search layer ranks and filters them.

            store.fulltext_candidates("违规吃喝", 20)   # ['ISS-17', 'CASE-3', …]
        """
        text = text.strip()
        if not text or limit <= 0:
            return []
        if len(text) < 2 or any(len(run) == 1 for run in _CJK_RUN.findall(text)):
            return self._contains_candidates(text, limit)
        phrase = '"' + _LUCENE_SPECIAL.sub(r"\\\1", text) + '"'
        # The index is eventually consistent (a bulk write commits without waiting for Lucene): wait
        # until every committed write is in it, so a search sees what was written, as before.
        self._read("CALL db.index.fulltext.awaitEventuallyConsistentIndexRefresh()")
        records = self._read(
            "CALL db.index.fulltext.queryNodes($index, $query, {limit: $limit}) YIELD node, score "
            "RETURN node.`id` AS id ORDER BY score DESC, id",
            {"index": SEARCH_INDEX, "query": phrase, "limit": limit},
        )
        return [r["id"] for r in records]

    def _contains_candidates(self, text: str, limit: int) -> list[str]:
        matches = " OR ".join(
            f"(n:{_q(k.name)} AND ({' OR '.join(f'n.{_q(p)} CONTAINS $text' for p in k.searchable)}))"
            for k in NODE_KINDS.values()
            if k.searchable
        )
        records = self._read(
            f"MATCH (n:{_q(NODE_LABEL)}) WHERE {matches} RETURN n.`id` AS id ORDER BY id LIMIT $limit",
            {"text": text, "limit": limit},
        )
        return [r["id"] for r in records]


# ---------------------------------------------------------------- write plan and transaction


class _Rejected(GraphError):
    """A batch the store refuses (raised inside the transaction, so it rolls back)."""


@dataclass
class _NodeStep:
    kind: str
    table: pa.Table  # id, then the columns given, typed and sorted by id
    columns: list[str]  # the property columns (without id)


@dataclass
class _RelStep:
    kind: str
    from_kind: str
    to_kind: str
    table: pa.Table  # from, to, then the columns given, typed and sorted by (from, to)
    columns: list[str]

    @property
    def label(self) -> str:  # for messages
        return f"{self.kind} ({self.from_kind} → {self.to_kind})"


def _plan(batch: WriteBatch) -> list[_NodeStep | _RelStep]:
    """Check a batch against schema/ and type its tables; raises WriteFailed before any write."""
    steps: list[_NodeStep | _RelStep] = []
    try:
        for nodes in batch.nodes:
            steps.extend(_node_steps(nodes.kind, nodes.table))
        for rels in batch.rels:
            steps.extend(_rel_steps(rels.kind, rels.table))
    except (ValueError, KeyError, pa.ArrowInvalid, pa.ArrowNotImplementedError) as e:
        raise WriteFailed(f"the write was refused, nothing was written: {e}") from e
    return steps


def _node_steps(kind: str, table: pa.Table) -> list[_NodeStep]:
    if kind not in NODE_KINDS:
        raise ValueError(f"not a node kind: {kind!r}")
    if table.num_rows == 0:
        return []
    declared = node_columns(kind)
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
    return [_NodeStep(kind, table.select(["id", *columns]), columns)]


def _rel_steps(kind: str, table: pa.Table) -> list[_RelStep]:
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
        steps.append(_RelStep(kind, from_kind, to_kind, part, columns))
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


class _Writer:
    """One write transaction: nodes first (create the new, update the stored), then relationships."""

    def __init__(self, tx: neo4j.Transaction, progress: Progress | None) -> None:
        self.tx = tx
        self.progress = progress
        self.stats = WriteStats()
        self.known: dict[str, _Known] = {}
        # (kind, from kind, to kind) of the relationship tables written so far: ids are unique across
        # kinds, so relationships between other endpoint kinds can never be the same relationship.
        self.rel_tables: set[tuple[str, str, str]] = set()
        # An empty store (the first load) needs no look-ups: only this write's own nodes exist.
        self.empty = self._single(f"MATCH (n:{_q(NODE_LABEL)}) RETURN count(n) AS n")["n"] == 0

    def _single(self, query: str, params: dict[str, Any] | None = None) -> neo4j.Record:
        return self.tx.run(query, params or {}).single(strict=True)

    def _done(self, rows: int) -> None:
        if self.progress:
            self.progress(rows)

    def _run_chunks(self, query: str, table: pa.Table) -> Iterator[tuple[int, neo4j.Result]]:
        """Run ``query`` over the table in chunks; yields (rows, result) of each chunk in order.

        Pipelined: a chunk's result is yielded once the next chunk is sent, so the server executes
        one chunk while this process encodes the next (one at a time, this side's share was ~30%).
        """
        pending: tuple[int, neo4j.Result] | None = None
        for offset in range(0, table.num_rows, _WRITE_CHUNK):
            rows = _rows(table.slice(offset, _WRITE_CHUNK))
            result = self.tx.run(query, {"rows": rows})
            if pending is not None:
                yield pending
            pending = (len(rows), result)
        if pending is not None:
            yield pending

    def run(self, steps: list[_NodeStep | _RelStep]) -> WriteStats:
        for step in steps:
            if isinstance(step, _NodeStep):
                self.nodes(step)
            else:
                self.rels(step)
        return self.stats

    # ------------------------------------------------------------ nodes

    def nodes(self, step: _NodeStep) -> None:
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
                    raise _Rejected(f"{step.kind}: created {len(created)} nodes for {n} rows")
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
                    raise _Rejected(f"{step.kind}: nodes changed while this write ran; try again")
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
        for offset in range(0, len(ids), _LOOKUP_CHUNK):
            rows = self._single(query, {"ids": ids.slice(offset, _LOOKUP_CHUNK).to_pylist()})["rows"]
            for i, eid, labels in rows:
                if labels is not None and (other := _kind(labels)) != kind:
                    raise _Rejected(f"id {i!r} already belongs to a {other} in the store, not a {kind}")
                found_ids.append(i)
                found_eids.append(eid)
        return pa.array(found_ids, pa.string()), pa.array(found_eids, pa.string())

    # ------------------------------------------------------------ relationships

    def rels(self, step: _RelStep) -> None:
        table = step.table
        from_eid, from_new = self._resolve(step.from_kind, table.column("from").combine_chunks())
        to_eid, to_new = self._resolve(step.to_kind, table.column("to").combine_chunks())
        missing = pc.or_(pc.is_null(from_eid), pc.is_null(to_eid))
        if pc.any(missing).as_py():
            bad = table.filter(missing)
            examples = ", ".join(f"{r['from']} → {r['to']}" for r in bad.slice(0, 5).select(["from", "to"]).to_pylist())
            raise _Rejected(f"{step.label}: {bad.num_rows} rows name a missing endpoint, e.g. {examples}")
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
                    raise _Rejected(f"{step.label}: endpoints changed while this write ran; try again")
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


# ---------------------------------------------------------------- read conversions


def _kind(labels: Iterable[str]) -> str:
    for label in labels:
        if label in NODE_KINDS:
            return label
    raise QueryFailed(f"a node has no kind label among {list(labels)}")


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
