"""Jurisdiction on every read: a caller's ``Scope`` and ``ScopedStore``, the port as that caller may see it.

    scope = Scope(regions=("620102",), kinds=frozenset(NODE_KINDS) - {"Clue"})
    store = ScopedStore(backend, scope)          # a GraphStore: every graph.queries function works on it
    store.get_nodes(["ISS-9"])                   # {} when ISS-9 lies outside 城关区: as if it did not exist

A node is visible when its kind is one the caller's roles read and (unless ``regions`` is None, the
province) one of the caller's regions is in its derived ``scope_regions`` (CONTRACT §4, written by
``graph.derived``; Regions are public). A relationship is visible when both its ends are. Each read
of the port answers over visible nodes only — ids in, ids out, walks hop by hop so that none passes
through a hidden node, paths among visible nodes, statistics in the engine with the scope as a filter —
so a hidden id gets exactly the answer an absent id gets.

Visibility is looked up through ``GraphStore.visibility`` (the embedded backend keeps every id's
regions in memory beside its kind; Neo4j reads them with the nodes).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from graph.fact_counts import FactQuery
from graph.figure_counts import DutyQuery, StudyQuery
from graph.issue_pages import IssueQuery
from graph.port import Direction, Edge, GraphStore, Hop, Node, Progress, WriteBatch, WriteStats
from schema.model import MAX_PATH_HOPS, NODE_KINDS, REL_KINDS

_FRONTIER_CAP = 20_000  # nodes a scoped path search may hold per side before it gives up


# Up to this many ids are checked one by one; longer lists against the caller's whole list.
_PER_ID_LIMIT = 5_000


@dataclass(frozen=True)
class Scope:
    """What a caller may see. ``regions`` None: every region; ``kinds`` None: every kind."""

    regions: tuple[str, ...] | None = None
    kinds: frozenset[str] | None = None

    @property
    def unrestricted(self) -> bool:
        return self.regions is None and self.kinds is None

    def sees(self, kind: str | None, regions: Collection[str] | None) -> bool:
        """Whether a node of ``kind`` whose derived regions are ``regions`` is visible."""
        if kind is None:
            return False
        if self.kinds is not None and kind not in self.kinds:
            return False
        if kind == "Region" or self.regions is None:
            return True
        return regions is not None and any(r in regions for r in self.regions)

    def visible_among(self, seen: Mapping[str, tuple[str | None, Collection[str] | None]]) -> set[str]:
        """The ids of ``seen`` (id -> kind and derived regions, ``GraphStore.visibility``) this scope sees."""
        return {i for i, (kind, regions) in seen.items() if self.sees(kind, regions)}


class ScopedStore:
    """``GraphStore`` over what ``scope`` sees of ``inner`` (reads only: writes go to the unscoped store)."""

    def __init__(self, inner: GraphStore, scope: Scope) -> None:
        self.inner = inner
        self.scope = scope
        self.backend = inner.backend

    # ------------------------------------------------------------ visibility

    def visible(self, ids: Collection[str]) -> set[str]:
        """The ids among ``ids`` the scope sees (absent ids are not visible)."""
        if not ids:
            return set()
        return self.scope.visible_among(self.inner.visibility(ids))

    def visible_of_kind(self, kind: str, ids: Sequence[str]) -> list[str]:
        """``ids``, all of ``kind`` (in their order), that the scope sees: for long lists (a whole
        kind from the search index) from the ids the caller's regions hold, not id by id."""
        if self.scope.kinds is not None and kind not in self.scope.kinds:
            return []
        if kind == "Region" or self.scope.regions is None:
            return list(ids)
        if len(ids) < _PER_ID_LIMIT:
            ok = self.visible(ids)
            return [i for i in ids if i in ok]
        held = set(self.inner.ids_in_regions(kind, self.scope.regions))
        return [i for i in ids if i in held]

    def ids_of_kind(self, kind: str) -> list[str] | None:
        """Every id of ``kind`` the scope sees, sorted; None when the scope keeps every one of them."""
        if self.scope.kinds is not None and kind not in self.scope.kinds:
            return []
        if kind == "Region" or self.scope.regions is None:
            return None
        return self.inner.ids_in_regions(kind, self.scope.regions)

    def _edges_visible(self, edges: list[Edge]) -> list[Edge]:
        ok = self.visible({x for e in edges for x in (e.source, e.target)})
        return [e for e in edges if e.source in ok and e.target in ok]

    # ------------------------------------------------------------ reads

    def kinds_of(self, ids: Collection[str]) -> dict[str, str]:
        seen = self.inner.visibility(ids) if ids else {}
        return {i: kind for i, (kind, regions) in seen.items() if self.scope.sees(kind, regions)}

    def get_nodes(self, ids: Collection[str]) -> dict[str, Node]:
        ok = self.visible(ids)
        return self.inner.get_nodes([i for i in ids if i in ok])

    def derived(self, ids: Collection[str]) -> dict[str, dict[str, Any]]:
        ok = self.visible(ids)
        return self.inner.derived([i for i in ids if i in ok])

    def visibility(self, ids: Collection[str]) -> dict[str, tuple[str, tuple[str, ...] | None]]:
        ok = self.visible(ids)
        return self.inner.visibility([i for i in ids if i in ok])

    def edges(
        self, ids: Collection[str], types: Collection[str] = (), direction: Direction = "both", limit: int | None = None
    ) -> list[Edge]:
        ok = self.visible(ids)
        start = [i for i in ids if i in ok]
        if not start:
            return []
        if limit is None:
            return self._edges_visible(self.inner.edges(start, types, direction))
        # Ranking and the cap apply after the scope: ask for more until enough are visible.
        ask = limit * 2 + 8
        while True:
            got = self.inner.edges(start, types, direction, ask)
            kept = self._edges_visible(got)
            if len(kept) >= limit or len(got) < ask:
                return kept[:limit]
            ask *= 4

    def follow(self, ids: Collection[str], hops: Sequence[Hop], scope: Scope | None = None) -> list[Edge]:
        """One walk in the engine that passes only through nodes the scope sees (``GraphStore.follow``'s
        ``scope``); the ends of what it returns are checked again here, as every read's are."""
        if scope is not None and scope != self.scope:
            raise ValueError("a scoped store walks in its own scope")
        starts = sorted(self.visible(ids))
        if not starts:
            return []
        return self._edges_visible(self.inner.follow(starts, hops, self.scope))

    def scan_nodes(self, kind: str, columns: Sequence[str] | None = None) -> Iterator[pa.Table]:
        if self.scope.kinds is not None and kind not in self.scope.kinds:
            return
        for table in self.inner.scan_nodes(kind, columns):
            if self.scope.regions is None or kind == "Region":
                yield table
                continue
            ok = self.visible(table.column("id").to_pylist())
            yield table.filter(pc.is_in(table.column("id"), value_set=pa.array(sorted(ok), pa.string())))

    def scan_edges(self, kind: str) -> Iterator[pa.Table]:
        for table in self.inner.scan_edges(kind):
            if self.scope.unrestricted:
                yield table
                continue
            ok = pa.array(sorted(self.visible({*table.column("from").to_pylist(), *table.column("to").to_pylist()})))
            keep = pc.and_(pc.is_in(table.column("from"), value_set=ok), pc.is_in(table.column("to"), value_set=ok))
            yield table.filter(keep)

    def count_nodes(self, kind: str | None = None) -> int:
        if self.scope.unrestricted:
            return self.inner.count_nodes(kind)
        total = 0
        for k in [kind] if kind is not None else list(NODE_KINDS):
            if self.scope.kinds is not None and k not in self.scope.kinds:
                continue
            if k == "Region" or self.scope.regions is None:
                total += self.inner.count_nodes(k)
            else:
                total += self.inner.count_in_regions(k, self.scope.regions)
        return total

    def count_edges(self, kind: str | None = None) -> int:
        if self.scope.unrestricted:
            return self.inner.count_edges(kind)
        return sum(t.num_rows for k in ([kind] if kind is not None else list(REL_KINDS)) for t in self.scan_edges(k))

    def count_facts(self, query: FactQuery) -> dict[Any, dict[str, int]]:
        if self.scope.kinds is not None and not {"Measure", "Transfer", "Exposure"} <= self.scope.kinds:
            raise ValueError("a scope that hides fact kinds cannot count four forms")
        return self.inner.count_facts(replace(query, scope=self.scope.regions))

    def count_study(self, query: StudyQuery) -> dict[str, Any]:
        if self.scope.kinds is not None and not {"StudyEvent", "Official"} <= self.scope.kinds:
            raise ValueError("a scope that hides officials or study events cannot count study")
        return self.inner.count_study(replace(query, scope=self.scope.regions))

    def count_duty_reports(self, query: DutyQuery) -> dict[str, Any]:
        if self.scope.kinds is not None and not {"DutyReport", "Official", "Organisation"} <= self.scope.kinds:
            raise ValueError("a scope that hides officials, organisations or reports cannot count 述法")
        return self.inner.count_duty_reports(replace(query, scope=self.scope.regions))

    def page_issues(self, query: IssueQuery) -> tuple[int, list[str]]:
        if self.scope.kinds is not None and "Issue" not in self.scope.kinds:
            return 0, []
        return self.inner.page_issues(replace(query, scope=self.scope.regions))

    def shortest_paths(self, source: str, target: str, max_hops: int, limit: int = 10) -> list[list[Edge]]:
        """Shortest paths through visible nodes only: the store's own when they qualify, else a
        breadth-first search over visible relationships, level by level from both ends."""
        if not {source, target} <= self.visible({source, target}):
            return []
        paths = self.inner.shortest_paths(source, target, max_hops, limit)
        if paths:
            ok = self.visible({x for p in paths for e in p for x in (e.source, e.target)})
            kept = [p for p in paths if all(e.source in ok and e.target in ok for e in p)]
            if kept:
                return kept
        return self._bfs_paths(source, target, min(max_hops, MAX_PATH_HOPS), limit)

    def _bfs_paths(self, source: str, target: str, max_hops: int, limit: int) -> list[list[Edge]]:
        # parents[node] = the edges reaching it from the previous level (from the source side).
        parents: dict[str, list[Edge]] = {source: []}
        level = [source]
        for _ in range(max_hops):
            nxt: dict[str, list[Edge]] = {}
            for e in self.edges(level, (), "both"):
                for near, far in ((e.source, e.target), (e.target, e.source)):
                    if near in level and far not in parents:
                        nxt.setdefault(far, []).append(e)
            if not nxt:
                return []
            parents.update(nxt)
            if target in nxt:
                return self._unwind(parents, source, target, limit)
            level = list(nxt)
            if len(level) > _FRONTIER_CAP:
                return []
        return []

    @staticmethod
    def _unwind(parents: dict[str, list[Edge]], source: str, target: str, limit: int) -> list[list[Edge]]:
        out: list[list[Edge]] = []

        def walk(node: str, tail: list[Edge]) -> None:
            if len(out) >= limit * 4:
                return
            if node == source:
                out.append(list(reversed(tail)))
                return
            for e in parents[node]:
                walk(e.source if e.target == node else e.target, [*tail, e])

        walk(target, [])
        out.sort(key=lambda p: [e.id for e in p])
        return out[:limit]

    # ------------------------------------------------------------ pass-through

    def data_version(self) -> int:
        return self.inner.data_version()

    def write(self, batch: WriteBatch, progress: Progress | None = None) -> WriteStats:
        raise PermissionError("a scoped view of the store does not write")

    def clear(self) -> None:
        raise PermissionError("a scoped view of the store does not write")

    def close(self) -> None:
        """The inner store belongs to the server, not to a request's view of it."""
