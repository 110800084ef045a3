"""The in-memory backend: the whole graph in Python dicts, for unit tests and demos (nothing is saved).

    store = MemoryStore()
    store.write(batch)                  # all or nothing, upsert by id: as on LadybugDB and Neo4j
    store.get_nodes(["ISS-1"])
    store.follow(["ISS-1"], [Hop(("LED_TO",), "out"), Hop(("DECIDED",), "out")])

The contract suite (tests/contract) runs on it beside the two real backends, so domain queries
(graph.queries) can be tested in milliseconds with the answers the real stores give.

How the graph is held: one ``_State`` that is never changed once published — each node's properties
by kind and id (MODEL.md names, None where unset), the kind of every id, each relationship's
properties by kind and key (source, target and the kind's key properties, ``start`` for HELD_POST),
and the relationships at each node by (kind, direction). A read takes the current state and works
on it alone; a write builds the next state beside it (copying only the tables and adjacency lists it
touches) and swaps it in under the write lock. So a refused write leaves nothing behind, and a
reader sees the graph before a write or after it, never in between.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from graph.answers import remembered
from graph.columns import arrow_type, node_columns, rel_schema, stored_columns
from graph.derived import derive
from graph.errors import WriteFailed
from graph.fact_counts import FactQuery, count_rows
from graph.figure_counts import DutyQuery, StudyQuery, duty_rows, study_rows
from graph.issue_pages import IssueQuery, issue_rows
from graph.port import (
    Direction,
    Edge,
    Hop,
    Node,
    NodeRows,
    Progress,
    RelRows,
    WriteBatch,
    WriteStats,
    check_batch,
    check_hops,
    node_record,
)
from schema.derived import DERIVED, FACT_KINDS, SCOPE
from schema.model import MAX_PATH_HOPS, NODE_KINDS, REL_KINDS

if TYPE_CHECKING:
    from graph.scope import Scope

_SCAN_BATCH = 50_000  # rows per Arrow table a scan yields (as the Neo4j backend)
_ENDPOINTS = ("from", "to", "from_kind", "to_kind")

Props = dict[str, Any]
RelKey = tuple[str, str, str, tuple[Any, ...]]  # (kind, source id, target id, key property values)
Adjacency = dict[tuple[str, str], list[RelKey]]  # (relationship kind, "out" | "in") -> relationships


@dataclass(frozen=True)
class _State:
    """One version of the graph. Published states, and every dict and list in them, are never changed."""

    kind_of: dict[str, str]  # id -> node kind
    nodes: dict[str, dict[str, Props]]  # node kind -> id -> declared properties (without id)
    rels: dict[str, dict[RelKey, Props]]  # relationship kind -> key -> declared properties
    adj: dict[str, Adjacency]  # node id -> the relationships at it, by (kind, direction)
    version: int


def _empty(version: int) -> _State:
    return _State({}, {k: {} for k in NODE_KINDS}, {k: {} for k in REL_KINDS}, {}, version)


class _Draft:
    """The next state, built from ``base`` by copy on first change: ``base`` itself is never touched."""

    def __init__(self, base: _State) -> None:
        self.kind_of = base.kind_of
        self.nodes = dict(base.nodes)
        self.rels = dict(base.rels)
        self.adj = base.adj
        self._owned: set[str] = set()  # tables copied into this draft ("kind_of", "adj", "n:Kind", "r:KIND")
        self._owned_adj: set[str] = set()  # node ids whose adjacency this draft has copied

    def _own(self, name: str) -> bool:
        """True the first time ``name`` is asked for: the caller then copies it."""
        if name in self._owned:
            return False
        self._owned.add(name)
        return True

    def node_table(self, kind: str) -> dict[str, Props]:
        if self._own(f"n:{kind}"):
            self.nodes[kind] = dict(self.nodes[kind])
        return self.nodes[kind]

    def rel_table(self, kind: str) -> dict[RelKey, Props]:
        if self._own(f"r:{kind}"):
            self.rels[kind] = dict(self.rels[kind])
        return self.rels[kind]

    def add_id(self, node_id: str, kind: str) -> None:
        if self._own("kind_of"):
            self.kind_of = dict(self.kind_of)
        self.kind_of[node_id] = kind

    def link(self, key: RelKey) -> None:
        """Add a new relationship to the adjacency of both its ends."""
        if self._own("adj"):
            self.adj = dict(self.adj)
        for node_id, side in ((key[1], "out"), (key[2], "in")):
            if node_id not in self._owned_adj:
                self._owned_adj.add(node_id)
                self.adj[node_id] = {k: list(v) for k, v in self.adj.get(node_id, {}).items()}
            self.adj[node_id].setdefault((key[0], side), []).append(key)

    def state(self, version: int) -> _State:
        return _State(self.kind_of, self.nodes, self.rels, self.adj, version)


def _refused(message: str) -> WriteFailed:
    return WriteFailed(f"the write was refused, nothing was written: {message}")


def _write_nodes(draft: _Draft, rows: NodeRows, stats: WriteStats, progress: Progress | None) -> None:
    kind, table = rows.kind, rows.table
    if kind not in NODE_KINDS:
        raise _refused(f"not a node kind: {kind!r}")
    if table.num_rows == 0:
        return
    declared = stored_columns(kind)
    unknown = [c for c in table.column_names if c not in declared]
    if "id" not in table.column_names or unknown:
        raise _refused(f"{kind}: needs an id column and only declared properties (unknown: {unknown})")
    columns = {c: table.column(c).cast(arrow_type(declared[c])).to_pylist() for c in table.column_names}
    ids = columns.pop("id")
    if None in ids:
        raise _refused(f"{kind}: {ids.count(None)} rows without an id")
    names = list(columns)
    values = list(zip(*columns.values(), strict=True)) if names else [()] * len(ids)
    stored = draft.node_table(kind)
    blank = dict.fromkeys(c for c in declared if c != "id")
    for node_id, row in zip(ids, values, strict=True):
        given = dict(zip(names, row, strict=True))
        old = stored.get(node_id)
        if old is not None:  # absent columns keep their values; a null clears one
            stored[node_id] = {**old, **given}
            stats.nodes_updated += 1
            continue
        other = draft.kind_of.get(node_id)
        if other is not None:
            raise _refused(f"id {node_id!r} already belongs to a {other} in the store, not a {kind}")
        stored[node_id] = {**blank, **given}
        draft.add_id(node_id, kind)
        stats.nodes_created += 1
    if progress:
        progress(table.num_rows)


def _write_rels(draft: _Draft, rows: RelRows, stats: WriteStats, progress: Progress | None) -> None:
    kind, table = rows.kind, rows.table
    if kind not in REL_KINDS:
        raise _refused(f"not a relationship kind: {kind!r}")
    if table.num_rows == 0:
        return
    rk = REL_KINDS[kind]
    missing = [c for c in _ENDPOINTS if c not in table.column_names]
    unknown = [c for c in table.column_names if c not in _ENDPOINTS and c not in rk.properties]
    if missing or unknown:
        raise _refused(f"{kind}: missing columns {missing}, undeclared columns {unknown}")
    columns = {
        c: table.column(c).cast(pa.string() if c in _ENDPOINTS else arrow_type(rk.properties[c])).to_pylist()
        for c in table.column_names
    }
    for c in _ENDPOINTS:
        if None in columns[c]:
            raise _refused(f"{kind}: {columns[c].count(None)} rows with a null {c!r}")
    sources, targets, from_kinds, to_kinds = (columns.pop(c) for c in _ENDPOINTS)
    names = list(columns)
    key_at = [names.index(k) if k in names else None for k in rk.key_properties]  # absent: a null key
    setters = [i for i, n in enumerate(names) if n not in rk.key_properties]
    values = list(zip(*columns.values(), strict=True)) if names else [()] * len(sources)
    stored = draft.rel_table(kind)
    blank = dict.fromkeys(rk.properties)
    dangling: list[str] = []
    for source, target, from_kind, to_kind, row in zip(sources, targets, from_kinds, to_kinds, values, strict=True):
        # Endpoints must be stored (or written before, in this batch) as the kinds the row names.
        if draft.kind_of.get(source) != from_kind or draft.kind_of.get(target) != to_kind:
            dangling.append(f"{source} → {target}")
            continue
        key: RelKey = (kind, source, target, tuple(None if i is None else row[i] for i in key_at))
        old = stored.get(key)
        if old is not None:
            if setters:
                stored[key] = {**old, **{names[i]: row[i] for i in setters}}
            stats.rels_updated += 1
        else:
            stored[key] = {**blank, **dict(zip(names, row, strict=True))}
            draft.link(key)
            stats.rels_created += 1
    if dangling:
        raise _refused(f"{kind}: {len(dangling)} rows name a missing endpoint, e.g. {', '.join(dangling[:5])}")
    if progress:
        progress(table.num_rows)


def _matches(value: Any, wanted: tuple[Any, ...]) -> bool:
    """Cypher's ``value IN wanted``, as the real backends evaluate it: null matches nothing, and a
    boolean equals only a boolean (Python would take True for 1)."""
    if value is None:
        return False
    return any(w is not None and isinstance(w, bool) == isinstance(value, bool) and w == value for w in wanted)


class MemoryStore:
    """``graph.port.GraphStore`` in this process's memory: exact, thread-safe, gone when the process ends."""

    backend = "memory"

    def __init__(self) -> None:
        self._write_lock = threading.Lock()
        self._state = _empty(0)

    def close(self) -> None:
        """Nothing to release: the graph lives as long as this object."""

    # ------------------------------------------------------------ writes

    def write(self, batch: WriteBatch, progress: Progress | None = None) -> WriteStats:
        check_batch(batch)  # the same refusals as every backend
        with self._write_lock:
            batch = batch if batch.derived else derive(self, batch)
            draft = _Draft(self._state)
            stats = WriteStats()
            try:
                for nodes in batch.nodes:
                    _write_nodes(draft, nodes, stats, progress)
                for rels in batch.rels:
                    _write_rels(draft, rels, stats, progress)
            except WriteFailed:
                raise
            except Exception as e:  # a bad cast, a failing progress callback, …: the draft is dropped
                raise _refused(str(e)) from e
            self._state = draft.state(self._state.version + 1)
            return stats

    def clear(self) -> None:
        with self._write_lock:
            self._state = _empty(self._state.version + 1)

    def data_version(self) -> int:
        return self._state.version

    # ------------------------------------------------------------ reads

    def kinds_of(self, ids: Collection[str]) -> dict[str, str]:
        known = self._state.kind_of
        return {i: known[i] for i in ids if i in known}

    def get_nodes(self, ids: Collection[str]) -> dict[str, Node]:
        state = self._state
        found: dict[str, Node] = {}
        for node_id in dict.fromkeys(ids):
            kind = state.kind_of.get(node_id)
            if kind is not None:  # node_record builds a new dict: the caller's copy is its own
                found[node_id] = node_record(kind, node_id, state.nodes[kind][node_id])
        return found

    def derived(self, ids: Collection[str]) -> dict[str, dict[str, Any]]:
        state = self._state
        found: dict[str, dict[str, Any]] = {}
        for node_id in dict.fromkeys(ids):
            kind = state.kind_of.get(node_id)
            if kind is not None:
                props = state.nodes[kind][node_id]
                found[node_id] = {name: props.get(name) for name in DERIVED[kind]}
        return found

    def edges(
        self,
        ids: Collection[str],
        types: Collection[str] = (),
        direction: Direction = "both",
        limit: int | None = None,
    ) -> list[Edge]:
        unknown = [t for t in types if t not in REL_KINDS]
        if unknown:
            raise ValueError(f"not relationship kinds: {unknown}")
        if direction not in ("out", "in", "both"):
            raise ValueError(f"direction is 'out', 'in' or 'both', not {direction!r}")
        if limit is not None and limit <= 0:
            return []
        state = self._state
        wanted = tuple(dict.fromkeys(types)) if types else tuple(REL_KINDS)
        sides = ("out", "in") if direction == "both" else (direction,)
        found: dict[RelKey, None] = {}  # a relationship with both ends among ids: once
        for node_id in dict.fromkeys(ids):
            at = state.adj.get(node_id)
            if at:
                for t in wanted:
                    for side in sides:
                        found.update(dict.fromkeys(at.get((t, side), ())))
        result = sorted((_edge(state, key) for key in found), key=lambda e: (e.type, e.source, e.target, e.id))
        return result[:limit] if limit is not None else result

    def follow(self, ids: Collection[str], hops: Sequence[Hop], scope: Scope | None = None) -> list[Edge]:
        check_hops(hops)
        state = self._state

        def sees(node_id: str) -> bool:
            if scope is None:
                return True
            kind = state.kind_of.get(node_id)
            return scope.sees(kind, state.nodes[kind][node_id].get(SCOPE) if kind is not None else None)

        last = len(hops) - 1
        # What a walk's remaining hops can still meet among the relationships it has used: only those
        # of the kinds they take. A (node, hop, such relationships) already explored adds nothing new.
        kinds_ahead = [frozenset(t for h in hops[i:] for t in h.types) for i in range(len(hops))]
        found: set[RelKey] = set()
        seen: set[tuple[str, int, frozenset[RelKey]]] = set()

        def walk(node_id: str, i: int, used: frozenset[RelKey]) -> None:
            relevant = frozenset(k for k in used if k[0] in kinds_ahead[i])
            if (node_id, i, relevant) in seen:
                return
            seen.add((node_id, i, relevant))
            at = state.adj.get(node_id)
            if not at:
                return
            hop = hops[i]
            for t in hop.types:
                for key in at.get((t, hop.direction), ()):
                    if key in used:
                        continue  # a walk never uses one relationship twice
                    if hop.where is not None and not _matches(state.rels[t][key][hop.where[0]], hop.where[1]):
                        continue
                    if i == last:
                        found.add(key)
                    elif sees(key[2] if hop.direction == "out" else key[1]):  # never through a hidden node
                        walk(key[2] if hop.direction == "out" else key[1], i + 1, used | {key})

        for start in dict.fromkeys(ids):
            if start in state.kind_of:
                walk(start, 0, frozenset())
        return sorted((_edge(state, key) for key in found), key=lambda e: e.id)

    def scan_nodes(self, kind: str, columns: Sequence[str] | None = None) -> Iterator[pa.Table]:
        if kind not in NODE_KINDS:
            raise ValueError(f"not a node kind: {kind!r}")
        props = stored_columns(kind)
        names = ["id", *(c for c in (columns if columns is not None else node_columns(kind)) if c != "id")]
        unknown = [c for c in names if c not in props]
        if unknown:
            raise ValueError(f"{kind} has no properties {unknown}")
        schema = pa.schema([(c, arrow_type(props[c])) for c in names])
        return self._scan_nodes(self._state.nodes[kind], schema)

    @staticmethod
    def _scan_nodes(table: dict[str, Props], schema: pa.Schema) -> Iterator[pa.Table]:
        order = sorted(table)  # by id, as the Neo4j backend
        for start in range(0, max(len(order), 1), _SCAN_BATCH):
            chunk = order[start : start + _SCAN_BATCH]
            arrays = [pa.array(chunk, pa.string())]
            arrays += [pa.array([table[i][f.name] for i in chunk], f.type) for f in list(schema)[1:]]
            yield pa.Table.from_arrays(arrays, schema=schema)

    def scan_edges(self, kind: str) -> Iterator[pa.Table]:
        if kind not in REL_KINDS:
            raise ValueError(f"not a relationship kind: {kind!r}")
        return self._scan_edges(self._state.rels[kind], rel_schema(kind))

    @staticmethod
    def _scan_edges(table: dict[RelKey, Props], schema: pa.Schema) -> Iterator[pa.Table]:
        order = sorted(table, key=lambda k: (k[1], k[2], tuple((v is not None, str(v)) for v in k[3])))
        for start in range(0, max(len(order), 1), _SCAN_BATCH):
            chunk = order[start : start + _SCAN_BATCH]
            arrays = [pa.array([k[1] for k in chunk], pa.string()), pa.array([k[2] for k in chunk], pa.string())]
            arrays += [pa.array([table[k][f.name] for k in chunk], f.type) for f in list(schema)[2:]]
            yield pa.Table.from_arrays(arrays, schema=schema)

    def count_nodes(self, kind: str | None = None) -> int:
        if kind is None:
            return len(self._state.kind_of)
        if kind not in NODE_KINDS:
            raise ValueError(f"not a node kind: {kind!r}")
        return len(self._state.nodes[kind])

    def visibility(self, ids: Collection[str]) -> dict[str, tuple[str, tuple[str, ...] | None]]:
        state = self._state
        out: dict[str, tuple[str, tuple[str, ...] | None]] = {}
        for i in ids:
            kind = state.kind_of.get(i)
            if kind is not None:
                regions = state.nodes[kind][i].get(SCOPE)
                out[i] = (kind, tuple(regions) if regions else None)
        return out

    def ids_in_regions(self, kind: str, regions: Sequence[str]) -> list[str]:
        wanted = set(regions)
        return sorted(i for i, props in self._state.nodes[kind].items() if wanted.intersection(props.get(SCOPE) or ()))

    def count_in_regions(self, kind: str, regions: Sequence[str]) -> int:
        return sum(1 for props in self._state.nodes[kind].values() if set(props.get(SCOPE) or ()) & set(regions))

    @remembered
    def count_facts(self, query: FactQuery) -> dict[Any, dict[str, int]]:
        state = self._state
        return count_rows(query, {k: list(state.nodes[k].values()) for k in FACT_KINDS})

    @remembered
    def count_study(self, query: StudyQuery) -> dict[str, Any]:
        state = self._state
        attended = [(source, target) for _, source, target, _ in state.rels["ATTENDED"]]
        return study_rows(query, state.nodes["StudyEvent"], state.nodes["Official"], attended)

    @remembered
    def count_duty_reports(self, query: DutyQuery) -> dict[str, Any]:
        state = self._state
        submitted = [(source, target) for _, source, target, _ in state.rels["SUBMITTED"]]
        reviewed = [(source, target) for _, source, target, _ in state.rels["REVIEWED_BY"]]
        nodes = state.nodes
        return duty_rows(query, nodes["DutyReport"], nodes["Official"], nodes["Organisation"], submitted, reviewed)

    @remembered
    def page_issues(self, query: IssueQuery) -> tuple[int, list[str]]:
        state = self._state
        at = {source: target for _, source, target, _ in state.rels["AT"]}
        return issue_rows(query, ({"id": i, **p} for i, p in state.nodes["Issue"].items()), at)

    def count_edges(self, kind: str | None = None) -> int:
        if kind is None:
            return sum(len(table) for table in self._state.rels.values())
        if kind not in REL_KINDS:
            raise ValueError(f"not a relationship kind: {kind!r}")
        return len(self._state.rels[kind])

    def shortest_paths(self, source: str, target: str, max_hops: int, limit: int = 10) -> list[list[Edge]]:
        if not isinstance(max_hops, int) or not 1 <= max_hops <= MAX_PATH_HOPS:
            raise ValueError(f"max_hops must be between 1 and {MAX_PATH_HOPS}")
        state = self._state
        if source == target or limit <= 0 or source not in state.kind_of or target not in state.kind_of:
            return []
        distance = _distances(state, source, target, max_hops)
        if target not in distance:
            return []
        # The nodes on some shortest path: back from the target, one level nearer the source each step.
        on_path, level = {target}, {target}
        for d in range(distance[target], 0, -1):
            level = {n for v in level for _, n in _neighbours(state, v) if distance.get(n) == d - 1}
            on_path |= level
        # Depth first from the source, each step in edge-id order: paths come in the port's order
        # (lists of edge ids, all of one length), so the walk stops after ``limit`` of them.
        paths: list[list[Edge]] = []
        path: list[Edge] = []

        def extend(node_id: str) -> bool:
            if node_id == target:
                paths.append(list(path))
                return len(paths) >= limit
            steps = [
                (_edge(state, key), n)
                for key, n in _neighbours(state, node_id)
                if n in on_path and distance[n] == distance[node_id] + 1
            ]
            for edge, n in sorted(steps, key=lambda s: s[0].id):
                path.append(edge)
                if extend(n):
                    return True
                path.pop()
            return False

        extend(source)
        return paths


def _edge(state: _State, key: RelKey) -> Edge:
    """The port's edge for a stored relationship, with its own copy of the properties."""
    return Edge(key[0], key[1], key[2], dict(state.rels[key[0]][key]))


def _neighbours(state: _State, node_id: str) -> Iterator[tuple[RelKey, str]]:
    """Every relationship at a node, either direction, with the node at its other end."""
    for (_, side), keys in state.adj.get(node_id, {}).items():
        for key in keys:
            yield key, key[2] if side == "out" else key[1]


def _distances(state: _State, source: str, target: str, max_hops: int) -> dict[str, int]:
    """Hops from ``source`` (undirected), breadth first, up to the level where ``target`` is found."""
    distance = {source: 0}
    frontier = [source]
    for d in range(1, max_hops + 1):
        reached = []
        for node_id in frontier:
            for _, n in _neighbours(state, node_id):
                if n not in distance:
                    distance[n] = d
                    reached.append(n)
        if target in distance or not reached:
            break
        frontier = reached
    return distance
