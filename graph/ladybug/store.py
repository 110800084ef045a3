"""``LadybugStore``: the storage port on an embedded LadybugDB database (the maintained continuation
of Kùzu), on disk, no server.

    store = LadybugStore(Path("wenze-data"))
    store.write(batch)                  # one transaction: COPY for new rows, LOAD FROM … SET for changed ones
    store.get_nodes(["ISS-1"])

Facts this module relies on (../shared/engines/EMBEDDED.md): one writer per process (writes are
serialised by a lock), COPY is not an upsert (so rows are split into new and existing), a COPY
after a rolled-back COPY in the same process can crash the engine (so the database is reopened
after any rollback), dates travel as parameters, no engine extension is ever loaded.

Reads stay on the primary-key index: Ladybug uses it only for a labelled pattern from one id (or an
UNWIND of ids into one), so the store keeps every id's kind in memory and asks per kind and id.
Every engine call runs inside ``engine_errors``, so callers only ever see ``graph.errors``.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections import OrderedDict
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ladybug
import pyarrow as pa
import pyarrow.compute as pc

from graph.answers import remembered
from graph.columns import conform, node_columns, rel_columns, rel_schema, stored_columns, stored_schema
from graph.derived import READ_RELS, derive, rederive
from graph.errors import StoreUnavailable, WriteFailed
from graph.fact_counts import FactQuery, collect, fact_count_queries, scope_test
from graph.figure_counts import DutyQuery, StudyQuery, duty_queries, study_queries
from graph.issue_pages import IssueQuery, issue_page_queries
from graph.ladybug import updates, version
from graph.ladybug.cypher import (
    DDL_TYPES,
    limit_clause,
    lit,
    node_ddl,
    q,
    rel_ddl,
    shortest_paths_query,
    walk_query,
)
from graph.ladybug.errors import engine_errors
from graph.ladybug.id_map import IdMap
from graph.ladybug.recovery import (
    Recovery,
    after_failed_write,
    check_space,
    open_database,
    release_reserve,
    unopened_after_failed_write,
)
from graph.port import (
    Direction,
    Edge,
    Hop,
    Node,
    NodeRows,
    Progress,
    WriteBatch,
    WriteStats,
    check_batch,
    check_hops,
    node_record,
)
from graph.whole import NOTHING_STORED
from schema.derived import DERIVED
from schema.model import MAX_PATH_HOPS, NODE_KINDS, REL_KINDS

if TYPE_CHECKING:
    from graph.scope import Scope

log = logging.getLogger("wenze.store")
_COPY_CHUNK = 250_000
# Node records kept in memory by get_nodes (about 1 KB each): a chain reads 10-30 nodes, and the
# officials, organisations and campaigns it names recur across chains. A hit saves a query.
_RECORDS_KEPT = 50_000
_TIE_SLACK = 16
# edges(): one `WHERE a.id IN $ids` query for a group of ids instead of one query per id, when the
# kind's table is small enough. The list form scans the table and tests each row against the list,
# a primary-key query has a fixed cost per id: the list form is taken while size × (ids + 20) ≤
# _LIST_BUDGET × ids, the budget being about the ratio of the two costs (bench/FIGURES.md).
_LIST_BUDGET = 40_000
_PATHS_FETCHED = 1000


class LadybugStore:
    """``graph.port.GraphStore`` on an embedded LadybugDB database under ``data_dir``."""

    backend = "embedded"

    def __init__(self, data_dir: Path | str, read_only: bool = False, warm_later: bool = False) -> None:
        self._dir = Path(data_dir)
        self._read_only = read_only
        self._write_lock = threading.Lock()
        self._local = threading.local()
        self._generation = 0
        self._ids = IdMap(self._run)  # every id's kind and regions (graph/ladybug/id_map.py)
        self._version = 0  # bumped by every committed write or clear: one process holds the database
        # Node records recently read, by id (least recently used first). The engine admits one process
        # and every write goes through this object, so clearing it on each commit keeps it exact.
        self._records: OrderedDict[str, Node] = OrderedDict()
        self._records_lock = threading.Lock()
        self.recovery: Recovery | None = None  # set when the open had to set a torn log aside
        self._connections: weakref.WeakSet[ladybug.Connection] = weakref.WeakSet()
        if not read_only:
            self._dir.mkdir(parents=True, exist_ok=True)
        self._open()
        if not read_only:
            self._ensure_schema()
            version.after_open(self._dir)
        if not warm_later:
            self._ids.start()  # beside the first requests, which the engine answers meanwhile

    def warm(self) -> None:
        """Build the id map now if it is not (``warm_later``: a server asks once its search index is in,
        so the two builds do not share the interpreter with the first requests at once)."""
        self._ids.full()

    # ------------------------------------------------------------ connection handling

    @property
    def path(self) -> Path:
        return self._dir / "graph.lbug"

    def _open(self) -> None:
        # A log torn by an interrupted write is set aside there (graph/ladybug/recovery.py).
        self._db, recovery = open_database(self.path, read_only=self._read_only)
        self.recovery = recovery or self.recovery
        self._generation += 1

    def _conn(self, point: bool = False) -> ladybug.Connection:
        """This thread's connection. ``point``: one for small anchored reads, on one thread — the
        engine's task scheduling across threads costs more than such a query; scans, aggregations
        and writes keep every core."""
        if getattr(self._local, "generation", 0) != self._generation:
            self._local.conn = self._local.point = None
            self._local.generation = self._generation
        attr = "point" if point else "conn"
        conn = getattr(self._local, attr, None)
        if conn is None:
            conn = ladybug.Connection(self._db, num_threads=1) if point else ladybug.Connection(self._db)
            setattr(self._local, attr, conn)
            self._connections.add(conn)
        return conn

    def _reopen(self) -> None:
        self._local = threading.local()
        # Every connection first: the engine finishes closing (and tidies its log) only when the last is gone.
        for conn in list(self._connections):
            conn.close()
        self._db.close()
        self._open()

    def _run(self, query: str, params: dict[str, Any] | None = None, point: bool = False) -> Any:
        with engine_errors("query", query):
            return self._conn(point).execute(query, params or {})

    def _rows(self, query: str, params: dict[str, Any] | None = None, point: bool = False) -> list[list[Any]]:
        return self._run(query, params, point).get_all()  # type: ignore[no-any-return]

    def _ensure_schema(self) -> None:
        for kind in NODE_KINDS:
            self._run(node_ddl(kind))
        for kind in REL_KINDS:
            self._run(rel_ddl(kind))
        # A store written before a derived property existed: add its column, then derive every value.
        added = False
        for kind in NODE_KINDS:
            have = {row[1] for row in self._rows(f"CALL table_info({lit(kind)}) RETURN *")}
            for name, prop in DERIVED[kind].items():
                if name not in have:
                    self._run(f"ALTER TABLE {q(kind)} ADD {q(name)} {DDL_TYPES[prop.type]}")
                    added = True
        if added and self.count_nodes() > 0:
            log.warning("adding the derived properties (jurisdiction, fact placement) to a stored graph")
            self.write(rederive(self))

    def close(self) -> None:
        self._ids.join()
        self._local = threading.local()
        self._db.close()

    @contextmanager
    def at_rest(self) -> Iterator[Path]:
        """Hold every write and fold the log into the data file: until the block ends the engine's files
        under the yielded folder do not change (graph/ladybug/backup.py copies them)."""
        with self._write_lock:
            # The id map's build (a thread from open) reads every kind; a CHECKPOINT beside its reads
            # left the log in place (7 of 10 opens followed by a backup): let it finish first.
            self._ids.join()
            self._run("CHECKPOINT")
            yield self._dir

    # ------------------------------------------------------------ writes

    def write(self, batch: WriteBatch, progress: Progress | None = None) -> WriteStats:
        with self._write_lock:
            conn = self._conn()
            stats = WriteStats()
            check_batch(batch)
            if not batch.derived:  # a re-import of the whole store: derived from the batch alone (updates.py)
                whole = updates.holds_the_store(self._execute, batch, self._ids.full(), READ_RELS)
                batch = derive(NOTHING_STORED if whole else self, batch)
            check_space(self._dir, batch)
            before = {n.kind: (self._size(n.kind), self._size(n.kind) + self._new_ids(n)) for n in batch.nodes}
            version.begin_write(self._dir)  # caches beside the store (the search index's file) are void
            conn.execute("BEGIN TRANSACTION")
            try:
                for nodes in batch.nodes:
                    self._write_nodes(nodes.kind, nodes.table, stats, progress)
                for rels in batch.rels:
                    self._write_rels(rels.kind, rels.table, stats, progress)
                conn.execute("COMMIT")
                self._changed()
                self._ids.after_write(batch)
            except Exception as e:
                self._after_failed_write(e, before)  # raises WriteFailed unless it was committed after all
            finally:
                version.end_write(self._dir)
            return stats

    def _after_failed_write(self, error: Exception, before: dict[str, tuple[int, int]]) -> None:
        """Undo, reopen, and say what is stored: ``before`` is kind → (count before, count if committed)."""
        try:
            self._conn().execute("ROLLBACK")
        except RuntimeError:
            pass
        # A COPY after a rolled-back COPY can crash the engine in the same process: reopen (with the
        # space reserve released: after a full disk the engine cannot close without room to write).
        release_reserve(self._dir)
        try:
            self._reopen()
        except StoreUnavailable as closed:
            raise WriteFailed(unopened_after_failed_write(error, self._dir, closed)) from error
        kept = {kind: (b, w, self.count_nodes(kind)) for kind, (b, w) in before.items()}
        committed, message = after_failed_write(error, self._dir, kept)
        if any(b != a for b, _, a in kept.values()):  # some or all of it was kept after all
            self._ids.forget()
            self._changed()
        if not committed:
            raise WriteFailed(message) from error
        log.warning(message)

    def _new_ids(self, nodes: NodeRows) -> int:
        known = self._ids.full()
        return sum(1 for i in nodes.table.column("id").to_pylist() if i not in known)

    def _write_nodes(self, kind: str, table: pa.Table, stats: WriteStats, progress: Progress | None) -> None:
        if table.num_rows == 0:
            return
        columns = [c for c in table.column_names if c != "id" and c in stored_columns(kind)]
        stored = updates.stored_nodes(self._execute, kind, columns)  # inside the transaction: sees this batch
        incoming = updates.with_key(updates.typed(table, stored_schema(kind), ["id", *columns]), ["id"])
        is_old = updates.is_stored(incoming, stored)
        full = conform(table.filter(pc.invert(is_old)), stored_schema(kind))
        for start in range(0, full.num_rows, _COPY_CHUNK):
            chunk = full.slice(start, _COPY_CHUNK)
            self._conn().execute(f"COPY {q(kind)} FROM $rows", {"rows": chunk})
            if progress:
                progress(chunk.num_rows)
        stats.nodes_created += full.num_rows
        old = incoming.filter(is_old)
        # Only the stored rows whose values differ are written (graph/ladybug/updates.py).
        updates.set_nodes(self._execute, kind, *updates.changes(old, stored, columns))
        if progress and old.num_rows:
            progress(old.num_rows)
        stats.nodes_updated += old.num_rows

    def _execute(self, query: str, params: dict[str, Any]) -> Any:
        return self._conn().execute(query, params)

    def _write_rels(self, kind: str, table: pa.Table, stats: WriteStats, progress: Progress | None) -> None:
        if table.num_rows == 0:
            return
        rk = REL_KINDS[kind]
        for key in rk.key_properties:  # an absent key column means null keys
            if key not in table.column_names:
                table = table.append_column(key, pa.nulls(table.num_rows, rel_schema(kind).field(key).type))
        columns = [c for c in table.column_names if c in rk.properties and c not in rk.key_properties]
        keys = updates.rel_keys(kind)
        stored = updates.stored_rels(self._execute, kind, columns)
        incoming = updates.typed(table, rel_schema(kind), [*keys, *columns])
        incoming = updates.with_key(
            incoming.append_column("from_kind", table.column("from_kind")).append_column(
                "to_kind", table.column("to_kind")
            ),
            keys,
        )
        is_old = updates.is_stored(incoming, stored)
        new = table.filter(pc.invert(is_old))
        schema = rel_schema(kind)
        for from_kind, to_kind in rk.endpoints:
            mask = pc.and_(pc.equal(new.column("from_kind"), from_kind), pc.equal(new.column("to_kind"), to_kind))
            part = conform(new.filter(mask), schema)
            for start in range(0, part.num_rows, _COPY_CHUNK):
                chunk = part.slice(start, _COPY_CHUNK)
                self._conn().execute(
                    f"COPY {q(kind)} FROM $rows (from={lit(from_kind)}, to={lit(to_kind)})", {"rows": chunk}
                )
                if progress:
                    progress(chunk.num_rows)
        stats.rels_created += new.num_rows
        old = incoming.filter(is_old)
        updates.set_rels(self._execute, kind, *updates.changes(old, stored, columns))
        if progress and old.num_rows:
            progress(old.num_rows)
        stats.rels_updated += old.num_rows

    # ------------------------------------------------------------ reads

    def _count(self, query: str, params: dict[str, Any] | None = None) -> int:
        return int(self._rows(query, params)[0][0])

    def _id_kinds(self) -> dict[str, str]:
        """Every stored id with its kind (the whole map: graph/ladybug/id_map.py)."""
        return self._ids.full()

    def _size(self, kind: str) -> int:
        return self._ids.size(kind)

    def _by_kind(self, ids: Collection[str]) -> dict[str, list[str]]:
        return self._ids.by_kind(ids)

    def visibility(self, ids: Collection[str]) -> dict[str, tuple[str, tuple[str, ...] | None]]:
        return self._ids.lookup(ids)

    def ids_in_regions(self, kind: str, regions: Sequence[str]) -> list[str]:
        return self._ids.in_regions(kind, regions)

    def count_in_regions(self, kind: str, regions: Sequence[str]) -> int:
        test, params = scope_test("n", regions)
        return self._count(f"MATCH (n:{q(kind)}) WHERE {test} RETURN count(n)", params)

    def kinds_of(self, ids: Collection[str]) -> dict[str, str]:
        return {i: kind for i, (kind, _) in self._ids.lookup(ids).items()}

    def get_nodes(self, ids: Collection[str]) -> dict[str, Node]:
        groups = self._by_kind(ids)
        cached: dict[str, Node] = {}
        with self._records_lock:
            version = self._version
            for group in groups.values():
                for node_id in group:
                    record = self._records.get(node_id)
                    if record is not None:
                        self._records.move_to_end(node_id)
                        cached[node_id] = record
        fetched: dict[str, Node] = {}
        for kind, group in groups.items():
            missing = [i for i in group if i not in cached]
            if missing:
                query = f"UNWIND $ids AS i MATCH (n:{q(kind)} {{id: i}}) RETURN n"
                for (raw,) in self._rows(query, {"ids": missing}, point=True):
                    fetched[raw["id"]] = node_record(kind, raw["id"], raw)
        if fetched:
            with self._records_lock:
                if self._version == version:  # no write committed meanwhile: the records are current
                    self._records.update(fetched)
                    while len(self._records) > _RECORDS_KEPT:
                        self._records.popitem(last=False)
        # Copies in the order of the kinds' groups (callers may change what they get).
        return {i: dict(cached.get(i) or fetched[i]) for g in groups.values() for i in g if i in cached or i in fetched}

    def edges(
        self, ids: Collection[str], types: Collection[str] = (), direction: Direction = "both", limit: int | None = None
    ) -> list[Edge]:
        wanted = tuple(types) if types else tuple(REL_KINDS)
        for t in wanted:
            q(t)
        # With a limit, each id's edges are first read unordered, up to one of the fixed limits (an
        # ORDER BY costs the engine 0.4 ms a query); only an id with more than that many is read again
        # ordered by (type, source, target), past the limit so that parallel relationships
        # (HELD_POSTs with different starts) are cut by id.
        fetch = limit + _TIE_SLACK if limit is not None else 0
        first_read = limit_clause(fetch + 1) if limit is not None else ""
        found: dict[str, Edge] = {}
        # One labelled query per id and direction: Ladybug plans these on the primary-key index, while
        # list or UNWIND forms of the same traversal scan the edge table (but see _LIST_BUDGET).
        for kind, group in self._by_kind(ids).items():
            sides: dict[str, list[str]] = {}
            for side in ("out", "in") if direction == "both" else (direction,):
                ends = "from_kinds" if side == "out" else "to_kinds"
                rels = [t for t in wanted if kind in getattr(REL_KINDS[t], ends)]
                if rels:
                    sides[side] = rels
            if limit is None and self._size(kind) * (len(group) + 20) <= _LIST_BUDGET * len(group):
                for side, rels in sides.items():
                    rel = "|".join(q(t) for t in rels)
                    src, dst = (f"a:{q(kind)}", "b") if side == "out" else ("a", f"b:{q(kind)}")
                    node = "a" if side == "out" else "b"
                    query = f"MATCH ({src})-[r:{rel}]->({dst}) WHERE {node}.id IN $ids RETURN r, a.id, b.id"
                    for raw, source, target in self._rows(query, {"ids": group}):
                        edge = _edge(raw, source, target)
                        found[edge.id] = edge
                continue
            if len(sides) == 2:
                # Both directions in one undirected query (0.69 ms a node against 0.97 for two, full
                # demo); the relationship's _SRC tells which end is the source. A node with more edges
                # than the first read takes is read again side by side, below, as before.
                rels = [*dict.fromkeys(sides["out"] + sides["in"])]
                group = self._both_ways(kind, group, rels, first_read, fetch, found)
            for side, rels in sides.items():
                rel = "|".join(q(t) for t in rels)
                if side == "out":
                    query = f"MATCH (a:{q(kind)} {{id: $id}})-[r:{rel}]->(b) RETURN r, a.id, b.id"
                else:
                    query = f"MATCH (a)-[r:{rel}]->(b:{q(kind)} {{id: $id}}) RETURN r, a.id, b.id"
                for node_id in group:
                    # ($limit is used only past the table of constants; the engine ignores it otherwise)
                    rows = self._rows(query + first_read, {"id": node_id, "limit": fetch + 1}, True)
                    if first_read and len(rows) > fetch:  # more than the limit: the first ones in order
                        ordered = " ORDER BY label(r), a.id, b.id" + limit_clause(fetch)
                        rows = self._rows(query + ordered, {"id": node_id, "limit": fetch}, True)
                    for raw, source, target in rows:
                        edge = _edge(raw, source, target)
                        found[edge.id] = edge
        result = sorted(found.values(), key=lambda e: (e.type, e.source, e.target, e.id))
        return result[:limit] if limit is not None else result

    def _both_ways(
        self, kind: str, group: list[str], rels: list[str], first_read: str, fetch: int, found: dict[str, Edge]
    ) -> list[str]:
        """Each node's edges of ``rels`` either way, into ``found`` (``first_read``, ``fetch``: as in
        ``edges``); returns the nodes with more than ``fetch``, whose edges are left to the side-by-side
        reads (none without a limit)."""
        rel = "|".join(q(t) for t in rels)
        query = f"MATCH (a:{q(kind)} {{id: $id}})-[r:{rel}]-(b) RETURN r, a.id, b.id, id(a)"
        more = []
        for node_id in group:
            rows = self._rows(query + first_read, {"id": node_id, "limit": fetch + 1}, True)
            if first_read and len(rows) > fetch:
                more.append(node_id)
                continue
            for raw, near, far, near_id in rows:
                edge = _edge(raw, near, far) if raw["_SRC"] == near_id else _edge(raw, far, near)
                found[edge.id] = edge
        return more

    def follow(self, ids: Collection[str], hops: Sequence[Hop], scope: Scope | None = None) -> list[Edge]:
        check_hops(hops)
        found: dict[str, Edge] = {}
        params: dict[str, Any] = {f"w{i}": list(h.where[1]) for i, h in enumerate(hops) if h.where is not None}
        # A scope checks the nodes each walk passes through here, in the id map (walk_query's docstring)
        through = scope if scope is not None and not scope.unrestricted and len(hops) > 1 else None
        out = hops[-1].direction == "out"
        # As with edges(): one query per start id, anchored on the labelled primary key, then a
        # fixed-length pattern returning the far node's id (a variable-length pattern, or returning
        # the far node itself, is several times slower).
        for kind, group in self._by_kind(ids).items():
            first = hops[0]
            ends = "from_kinds" if first.direction == "out" else "to_kinds"
            if not any(kind in getattr(REL_KINDS[t], ends) for t in first.types):
                continue
            query, shared = walk_query(kind, tuple(hops), through is not None)
            for node_id in group:
                params["id"] = node_id
                rows = self._rows(query, params, point=True)
                if through is not None and rows:
                    rows = self._through_visible(rows, 3 + shared, through)
                for raw, near, far, *rest in rows:
                    used = rest[:shared]
                    if shared > 1 and len({(u["table"], u["offset"]) for u in used}) < shared:
                        continue  # the walk used one relationship twice
                    edge = _edge(raw, near, far) if out else _edge(raw, far, near)
                    found[edge.id] = edge
        return [found[k] for k in sorted(found)]

    def _through_visible(self, rows: list[list[Any]], inner_from: int, scope: Scope) -> list[list[Any]]:
        """The rows of a walk (walk_query with ``inner``) that pass only through nodes ``scope`` sees: the
        near end (row[1]) and the inner ids from ``inner_from`` on, looked up all at once."""
        ok = scope.visible_among(self.visibility({i for row in rows for i in (row[1], *row[inner_from:])}))
        return [row for row in rows if row[1] in ok and all(i in ok for i in row[inner_from:])]

    def derived(self, ids: Collection[str]) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for kind, group in self._by_kind(ids).items():
            names = list(DERIVED[kind])
            if not names:
                out.update({i: {} for i in group})
                continue
            ret = ", ".join(f"n.{q(c)}" for c in names)
            query = f"UNWIND $ids AS i MATCH (n:{q(kind)} {{id: i}}) RETURN n.id, {ret}"
            for node_id, *values in self._rows(query, {"ids": group}):
                out[node_id] = dict(zip(names, values, strict=True))
        return out

    def scan_nodes(self, kind: str, columns: Sequence[str] | None = None) -> Iterator[pa.Table]:
        props = node_columns(kind)
        names = ["id", *(c for c in (columns if columns is not None else props) if c != "id")]
        ret = ", ".join(f"n.{q(c)} AS {q(c)}" for c in names)
        table = self._run(f"MATCH (n:{q(kind)}) RETURN {ret}").get_as_arrow()
        schema = pa.schema([(c, stored_schema(kind).field(c).type) for c in names])
        yield conform(table, schema)

    def scan_edges(self, kind: str) -> Iterator[pa.Table]:
        props = list(rel_columns(kind))
        ret = ", ".join(["a.id AS src", "b.id AS dst", *(f"r.{q(c)} AS {q(c)}" for c in props)])
        table = self._run(f"MATCH (a)-[r:{q(kind)}]->(b) RETURN {ret}").get_as_arrow()
        table = table.rename_columns(["from", "to", *props])
        yield conform(table, rel_schema(kind))

    def count_nodes(self, kind: str | None = None) -> int:
        if kind is None:
            return self._count("MATCH (n) RETURN count(n)")
        return self._count(f"MATCH (n:{q(kind)}) RETURN count(n)")

    @remembered
    def count_facts(self, query: FactQuery) -> dict[Any, dict[str, int]]:
        queries = fact_count_queries(query, lambda kinds: "f:" + ":".join(q(k) for k in kinds))
        return collect(query, [(figures, self._rows(text, params)) for text, params, figures in queries])

    @remembered
    def count_study(self, query: StudyQuery) -> dict[str, Any]:
        by_kind, total, params = study_queries(query)
        return {"by_kind": self._rows(by_kind, params), "attendees": self._count(total, params)}

    @remembered
    def count_duty_reports(self, query: DutyQuery) -> dict[str, Any]:
        groups, reporters, reviewers, params = duty_queries(query)
        return {
            "groups": self._rows(groups, params),
            "reporters": self._count(reporters, params),
            "reviewers": self._rows(reviewers, params),
        }

    @remembered
    def page_issues(self, query: IssueQuery) -> tuple[int, list[str]]:
        count, counted, page, params = issue_page_queries(query)
        total = self._count(count, counted)
        if query.skip >= total or query.limit == 0:
            return total, []  # LadybugDB 0.x crashes (SIGSEGV) on SKIP past the end with LIMIT
        return total, [row[0] for row in self._rows(page, params)]

    def count_edges(self, kind: str | None = None) -> int:
        if kind is None:
            return self._count("MATCH ()-[r]->() RETURN count(r)")
        return self._count(f"MATCH ()-[r:{q(kind)}]->() RETURN count(r)")

    def shortest_paths(self, source: str, target: str, max_hops: int, limit: int = 10) -> list[list[Edge]]:
        if not isinstance(max_hops, int) or not 1 <= max_hops <= MAX_PATH_HOPS:
            raise ValueError(f"max_hops must be between 1 and {MAX_PATH_HOPS}")
        if source == target or limit <= 0:
            return []
        # Paths come in no fixed order: fetch a generous number, order by edge ids, then cut.
        params = {"s": source, "t": target, "limit": max(limit, _PATHS_FETCHED)}
        rows = self._rows(shortest_paths_query(max_hops), params)
        paths = []
        for (path,) in rows:
            ids = {_internal(n["_ID"]): n["id"] for n in path["_NODES"]}
            paths.append([_edge(r, ids[_internal(r["_SRC"])], ids[_internal(r["_DST"])]) for r in path["_RELS"]])
        return sorted(paths, key=lambda p: [e.id for e in p])[:limit]

    def clear(self) -> None:
        with self._write_lock:
            version.begin_write(self._dir)
            try:
                for kind in NODE_KINDS:
                    self._run(f"MATCH (n:{q(kind)}) DETACH DELETE n")
                self._ids.empty()
                self._changed()
            finally:
                version.end_write(self._dir)

    def cache_file(self, name: str) -> tuple[Path, str | None]:
        """A file beside the store for a cache of its data (the search index's), and the data version
        the cache must carry to be used: None while a write is under way (keep nothing made then)."""
        return self._dir / name, None if self._read_only else version.on_disk(self._dir)

    def _changed(self) -> None:
        """After a commit: a new data version, and no cached record may outlive it."""
        with self._records_lock:
            self._version += 1
            self._records.clear()
        self._ids.changed()

    def data_version(self) -> int:
        return self._version


def _internal(ref: dict[str, int]) -> tuple[int, int]:
    return ref["table"], ref["offset"]


def _edge(raw: dict[str, Any], source: str, target: str) -> Edge:
    kind = raw["_LABEL"]
    return Edge(kind, source, target, {name: raw.get(name) for name in REL_KINDS[kind].properties})
