"""Every stored id's kind and derived regions, in memory: what keeps the embedded store's reads on
the primary-key index (graph/ladybug/store.py).

    ids = IdMap(run)              # run(query, params, point) -> an engine result
    ids.start()                   # builds the map in a thread (seconds at a province's size)
    ids.lookup(["OFF-1"])         # {"OFF-1": ("Official", ("620000", …))}: from the map, or the engine
    ids.full()                    # the whole map (waits for the build)

Ladybug only uses its primary-key index for a labelled lookup of one id (or an UNWIND of ids into a
labelled pattern); ``WHERE n.id IN $list`` and unlabelled patterns scan every table. Knowing each
id's kind keeps every read on the index.

Building the map reads every table's ids: 2.9 s of a restart's 5.5 s on the full demo (1.18 M ids),
before the server could answer anything. So it is built beside the server: until it is done,
``lookup`` asks the engine for the ids it is given (one labelled UNWIND per kind, a few ms), and
``size`` counts in the engine; what needs the whole map (a write, a scoped caller's full list) waits
for it. Both ways give the same answer: the engine is what the map is made from. A server opens its
store with ``warm_later`` and builds the map once its search index is in (api/search.py), so the
first requests share the interpreter with one build at a time. A write keeps the
map current (``after_write``); one that failed half-way drops it (``forget``: rebuilt in a thread).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Collection, Sequence
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from graph.ladybug.cypher import q
from graph.port import WriteBatch
from schema.derived import SCOPE
from schema.model import NODE_KINDS

Regions = tuple[str, ...] | None
_PIECE = 20_000  # ids converted at a time while building
Run = Callable[..., Any]


class IdMap:
    def __init__(self, run: Run) -> None:
        self._run = run
        self._kinds: dict[str, str] | None = None  # id -> kind; None until built
        self._scopes: dict[str, Regions] = {}  # id -> derived regions (Region nodes have none)
        self._sizes: dict[str, int] | None = None  # kind -> node count
        self._writes = 0  # committed writes seen (changed): counts begun before one are not kept
        # kind -> derived regions -> the ids with exactly those (see members); None until asked
        self._members: dict[str, dict[Regions, list[str]]] | None = None
        self._lock = threading.Lock()  # held by a build: forget/empty wait for it
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------ building

    def start(self) -> None:
        """Build the map in a thread; readers meanwhile get their answers from the engine."""
        thread = threading.Thread(target=self.full, name="wenze-id-map", daemon=True)
        self._thread = thread
        thread.start()

    def join(self) -> None:
        """Wait for a build under way (before the database closes under it)."""
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join()

    @property
    def built(self) -> bool:
        return self._kinds is not None

    def full(self) -> dict[str, str]:
        """Every stored id with its kind (built now if it is not, or waited for if being built)."""
        kinds = self._kinds
        if kinds is not None:
            return kinds
        with self._lock:
            if self._kinds is None:
                kinds, scopes = self._read()
                self._scopes = scopes  # first: a reader that finds the kinds finds their regions too
                self._kinds = kinds
            return self._kinds

    def _read(self) -> tuple[dict[str, str], dict[str, Regions]]:
        kinds: dict[str, str] = {}
        scopes: dict[str, Regions] = {}
        for kind in NODE_KINDS:
            if kind == "Region":
                table = self._run(f"MATCH (n:{q(kind)}) RETURN n.id").get_as_arrow()
            else:
                table = self._run(f"MATCH (n:{q(kind)}) RETURN n.id, n.{q(SCOPE)}").get_as_arrow()
            # In pieces, the interpreter let go between them: converting a million ids in one call
            # held it for seconds, and the requests answered meanwhile with it.
            for start in range(0, table.num_rows, _PIECE):
                piece = table.slice(start, _PIECE)
                ids = piece.column(0).to_pylist()
                kinds.update(dict.fromkeys(ids, kind))
                if kind != "Region":
                    scopes.update(zip(ids, region_lists(piece.column(1)), strict=True))
                time.sleep(0)
        return kinds, scopes

    def forget(self) -> None:
        """The map may be wrong (a write failed after some of it was kept): build it again."""
        with self._lock:
            self._kinds, self._scopes, self._sizes, self._members = None, {}, None, None
        self.start()

    def empty(self) -> None:
        """The store was cleared."""
        with self._lock:
            self._kinds, self._scopes, self._sizes, self._members = {}, {}, None, None

    def changed(self) -> None:
        """A write committed: counts are recounted when next asked."""
        self._writes += 1
        self._sizes = None

    def after_write(self, batch: WriteBatch) -> None:
        """The batch's nodes committed: add or update their entries (a map not yet built reads them)."""
        kinds = self._kinds
        if kinds is None:
            return
        for nodes in batch.nodes:
            ids = nodes.table.column("id").to_pylist()
            kinds.update(dict.fromkeys(ids, nodes.kind))
            if SCOPE in nodes.table.column_names:
                self._scopes.update(zip(ids, region_lists(nodes.table.column(SCOPE)), strict=True))
        self._sizes = None  # again: a read since the commit may have counted the old map
        self._members = None

    # ------------------------------------------------------------ reads

    def lookup(self, ids: Collection[str]) -> dict[str, tuple[str, Regions]]:
        """The stored ones among ``ids`` (in their order, once each) with their kind and regions."""
        kinds = self._kinds
        if kinds is not None:
            scopes = self._scopes
            return {i: (kinds[i], scopes.get(i)) for i in dict.fromkeys(ids) if i in kinds}
        wanted = list(dict.fromkeys(ids))
        found: dict[str, tuple[str, Regions]] = {}
        if not wanted:
            return found
        for kind in NODE_KINDS:
            regions = "NULL" if kind == "Region" else f"n.{q(SCOPE)}"
            query = f"UNWIND $ids AS i MATCH (n:{q(kind)} {{id: i}}) RETURN n.id, {regions}"
            for node_id, held in self._run(query, {"ids": wanted}, True).get_all():
                found[node_id] = (kind, tuple(held) if held is not None else None)
        return {i: found[i] for i in wanted if i in found}

    def by_kind(self, ids: Collection[str]) -> dict[str, list[str]]:
        grouped: dict[str, list[str]] = {}
        for node_id, (kind, _) in self.lookup(ids).items():
            grouped.setdefault(kind, []).append(node_id)
        return grouped

    def size(self, kind: str) -> int:
        """How many nodes of ``kind`` are stored: counted by the engine (16 kinds in ~14 ms, the
        interpreter free meanwhile; counting the map's million entries held it ~80 ms), kept until
        the next write."""
        sizes = self._sizes
        if sizes is None:
            writes = self._writes
            sizes = {k: int(self._run(f"MATCH (n:{q(k)}) RETURN count(n)").get_all()[0][0]) for k in NODE_KINDS}
            if writes == self._writes:  # no write committed while counting: the counts are current
                self._sizes = sizes
        return sizes.get(kind, 0)

    def in_regions(self, kind: str, regions: Sequence[str]) -> list[str]:
        """The ids of ``kind`` whose derived regions hold one of ``regions``, sorted."""
        # Few distinct region lists (they are shared): group the ids by theirs once per write, then
        # a caller's ids are those of the lists holding one of the caller's regions.
        members = self._members
        if members is None:
            known, scopes = self.full(), self._scopes
            grouped: dict[str, dict[Regions, list[str]]] = {}
            for node_id, node_kind in known.items():
                grouped.setdefault(node_kind, {}).setdefault(scopes.get(node_id), []).append(node_id)
            members = self._members = grouped
        wanted = set(regions)
        held_by = members.get(kind, {})
        return sorted(i for held, ids in held_by.items() if held and wanted.intersection(held) for i in ids)


def region_lists(column: pa.ChunkedArray | pa.Array) -> list[Regions]:
    """A column of region lists as shared tuples: many nodes have the same regions, each list is made
    once. Grouped in Arrow (joined, dictionary-encoded): a Python list per row took seconds at open."""
    joined = pc.binary_join(column, "\x1f")
    if isinstance(joined, pa.ChunkedArray):
        joined = joined.combine_chunks()
    encoded = pc.dictionary_encode(joined)
    pool: list[Regions] = [tuple(v.split("\x1f")) if v else () for v in encoded.dictionary.to_pylist()]
    pool.append(None)  # a null list
    return [pool[i] for i in pc.fill_null(encoded.indices, len(pool) - 1).to_pylist()]
