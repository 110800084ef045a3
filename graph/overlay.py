"""The store as a write will leave it: the store's rows with a batch's over them (``graph.derived``
computes derived values over this before the batch is written).

    ov = Overlay(store, batch, kinds={"AT", "LED_TO"}, props={"HELD_POST": ("start", "end")})
    ov.edges(["ISS-1"], ("AT",), "out")          # the batch's AT of ISS-1, else the store's

Only the relationship ``kinds`` named are taken from the batch, with only the properties ``props``
names: a first load makes millions of them, and derivation reads few.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from graph.port import Edge, GraphStore, WriteBatch, property_key
from schema.derived import FACT_KINDS
from schema.model import REL_KINDS

Values = dict[str, Any]


class _Rel(NamedTuple):
    """A relationship of the batch, lighter than ``graph.port.Edge`` (a first load makes millions)."""

    type: str
    source: str
    target: str
    props: dict[str, Any]

    @property
    def id(self) -> str:
        return Edge.id.fget(self)  # type: ignore[attr-defined, no-any-return]


class Overlay:
    """The store as it will be once ``batch`` lands: its rows, with the batch's over them.

    Writes only add or update (a bundle never deletes), so a relationship is the store's or the
    batch's; a batch row updates the columns it gives.
    """

    BULK = 20_000  # past this many ids, a store read scans the relationship kind once instead

    def __init__(
        self, store: GraphStore, batch: WriteBatch, kinds: Collection[str], props: Mapping[str, Sequence[str]]
    ) -> None:
        self.store = store
        self.empty = store.count_nodes() == 0
        self.kind: dict[str, str] = {}
        self.given: dict[str, Values] = {}
        for rows in batch.nodes:
            ids = rows.table.column("id").to_pylist()
            if rows.kind not in FACT_KINDS:  # only a fact's own properties enter its derived values
                self.kind.update(dict.fromkeys(ids, rows.kind))
                continue
            cols = [c for c in rows.table.column_names if c != "id"]
            values = [rows.table.column(c).to_pylist() for c in cols]
            keys = [property_key(rows.kind, c) for c in cols]
            for i, node_id in enumerate(ids):
                self.kind[node_id] = rows.kind
                self.given.setdefault(node_id, {}).update({k: v[i] for k, v in zip(keys, values, strict=True)})
        self.rels: dict[str, list[Any]] = defaultdict(list)  # _Rel (an Edge in all but name)
        for rels in batch.rels:
            if rels.kind not in kinds:
                continue  # no derived value reads it
            t = rels.table
            out = self.rels[rels.kind]
            sources, targets = t.column("from").to_pylist(), t.column("to").to_pylist()
            given = [c for c in props.get(rels.kind, ()) if c in t.column_names]
            if not given:
                none: dict[str, Any] = {}
                out.extend(_Rel(rels.kind, s, d, none) for s, d in zip(sources, targets, strict=True))
                continue
            cols = [t.column(c).to_pylist() for c in given]
            for s, d, *values in zip(sources, targets, *cols, strict=True):
                out.append(_Rel(rels.kind, s, d, dict(zip(given, values, strict=True))))
        self._index: dict[tuple[str, str], dict[str, list[Edge]]] = {}
        self._bulk: dict[tuple[str, str], dict[str, list[Edge]]] = {}
        self._records: dict[str, Values] = {}
        self._stored: dict[str, Values | None] = {}

    def _batch_index(self, rel: str, direction: str) -> dict[str, list[Edge]]:
        key = (rel, direction)
        if key not in self._index:
            index: dict[str, list[Edge]] = defaultdict(list)
            for e in self.rels.get(rel, ()):
                index[e.source if direction == "out" else e.target].append(e)
            self._index[key] = index
        return self._index[key]

    def _scanned(self, rel: str, direction: str) -> dict[str, list[Edge]]:
        key = (rel, direction)
        if key not in self._bulk:
            index: dict[str, list[Edge]] = defaultdict(list)
            props = list(REL_KINDS[rel].properties)
            for table in self.store.scan_edges(rel):
                cols = [table.column(c).to_pylist() for c in ("from", "to", *props)]
                for row in zip(*cols, strict=True):
                    e = Edge(rel, row[0], row[1], dict(zip(props, row[2:], strict=True)))
                    index[e.source if direction == "out" else e.target].append(e)
            self._bulk[key] = index
        return self._bulk[key]

    def edges(self, ids: Collection[str], types: Iterable[str], direction: str) -> list[Edge]:
        """Relationships of ``types`` from (``out``) or into (``in``) ``ids``, the batch's over the store's."""
        types = tuple(types)
        ours: list[Edge] = []
        for t in types:
            index = self._batch_index(t, direction)
            if index:
                for i in ids:
                    ours.extend(index.get(i, ()))
        if self.empty or not ids:
            return ours  # a batch gives each relationship once (check_batch)
        found: dict[str, Edge] = {}
        if len(ids) > self.BULK:
            for t in types:
                index = self._scanned(t, direction)
                for i in ids:
                    for e in index.get(i, ()):
                        found[e.id] = e
        else:
            for e in self.store.edges(list(ids), types, direction):  # type: ignore[arg-type]
                found[e.id] = e
        for e in ours:
            old = found.get(e.id)
            found[e.id] = e if old is None else Edge(e.type, e.source, e.target, {**old.props, **e.props})
        return list(found.values())

    def kinds_of(self, ids: Collection[str]) -> dict[str, str]:
        out = {i: self.kind[i] for i in ids if i in self.kind}
        rest = [i for i in ids if i not in out]
        if rest and not self.empty:
            out.update(self.store.kinds_of(rest))
        return out

    def records(self, ids: Collection[str]) -> dict[str, Values]:
        """Declared properties (record keys, ``property_key``), the batch's over the store's."""
        want = [i for i in ids if i not in self._records]
        stored = self.store.get_nodes([i for i in want if not self.empty]) if want and not self.empty else {}
        for i in want:
            self._records[i] = {**stored.get(i, {}), **self.given.get(i, {})}
        return {i: self._records[i] for i in ids}

    def stored(self, ids: Collection[str]) -> dict[str, Values | None]:
        """The derived values the store holds now (None for a node it does not hold)."""
        if self.empty:
            return dict.fromkeys(ids)
        want = [i for i in ids if i not in self._stored]
        if want:
            got = self.store.derived(want) if not self.empty else {}
            for i in want:
                self._stored[i] = got.get(i)
        return {i: self._stored[i] for i in ids}
