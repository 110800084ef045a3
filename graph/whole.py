"""Whether a batch holds the whole store: then its derived values come from the batch alone.

    whole = holds_the_store(batch, stored_ids, stored_keys, reads)
    batch = derive(NOTHING_STORED if whole else store, batch)

A re-import of a whole export (every stored node and relationship in the batch, as ``wenze export``
gives them, edited or not) is what users do every month. Derived values (graph/derived.py) are
computed over the store as the batch will leave it; when the batch holds every stored node and every
stored relationship whose values a derived value reads, that store *is* the batch, so they are
computed from the batch alone, as for a first load, instead of walking the stored graph node by node
(minutes for the full demo on either backend, where the writes themselves take a minute or less).

Both backends ask it, each with its own way of listing what is stored: the embedded store its id map
and one Arrow query per relationship kind (graph/ladybug/updates.py), Neo4j a collected list per kind
(graph/neo4j/store.py). The comparison itself is here, in Arrow and sets.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import cast

import pyarrow as pa
import pyarrow.compute as pc

from graph.columns import conform, rel_schema
from graph.port import GraphStore, WriteBatch
from schema.derived import FACT_KINDS
from schema.model import NODE_KINDS, REL_KINDS

KEY = "__key"
_NULL = "\x00"  # stands for a null key part in KEY (never in a cast value)


def typed(table: pa.Table, schema: pa.Schema, names: Sequence[str]) -> pa.Table:
    """``table``'s columns ``names`` cast to their declared types (an all-null column becomes typed)."""
    return conform(table, pa.schema([schema.field(n) for n in names]))


def with_key(table: pa.Table, keys: Sequence[str]) -> pa.Table:
    """``table`` with KEY: its key columns as one string, a null part written as \\x00."""
    if list(keys) == ["id"]:
        return table.append_column(KEY, table.column("id"))
    parts = [pc.cast(table.column(k), pa.string()) for k in keys]
    key = pc.binary_join_element_wise(*parts, "\x1f", null_handling="replace", null_replacement=_NULL)
    return table.append_column(KEY, key)


def rel_keys(kind: str) -> list[str]:
    """The columns that tell one relationship of ``kind`` from another: its ends and key properties."""
    return ["from", "to", *REL_KINDS[kind].key_properties]


def rel_key_column(kind: str, table: pa.Table) -> pa.ChunkedArray:
    """KEY of each row of ``table`` (a relationship table with at least ``rel_keys(kind)``)."""
    keys = rel_keys(kind)
    return with_key(typed(table, rel_schema(kind), keys), keys).column(KEY)


def holds_the_store(
    batch: WriteBatch,
    stored: Mapping[str, str],
    stored_keys: Callable[[str], pa.Array | pa.ChunkedArray],
    reads: Collection[str],
) -> bool:
    """Whether ``batch`` gives every node in ``stored`` (id -> kind) and every stored relationship of
    the kinds in ``reads`` (``stored_keys(kind)``: their KEYs), each table of a fact kind or of a kind
    in ``reads`` with all its declared columns: then derived values may be computed from the batch alone."""
    if not stored or sum(rows.table.num_rows for rows in batch.nodes) < len(stored):
        return False
    for rows in batch.nodes:
        if rows.kind in FACT_KINDS and not set(NODE_KINDS[rows.kind].properties) <= set(rows.table.column_names):
            return False  # a stored value the batch does not give may enter a derived one
    for rels in batch.rels:
        if rels.kind in reads and not set(REL_KINDS[rels.kind].properties) <= set(rels.table.column_names):
            return False
    given: dict[str, set[str]] = {}
    for rows in batch.nodes:
        given.setdefault(rows.kind, set()).update(rows.table.column("id").to_pylist())
    for kind, count in Counter(stored.values()).items():
        ids = given.get(kind, set())
        if len(ids) < count or sum(1 for i in ids if stored.get(i) == kind) != count:
            return False
    for kind in reads:
        kept = stored_keys(kind)
        if len(kept) == 0:
            continue
        tables = [rel_key_column(kind, r.table) for r in batch.rels if r.kind == kind]
        if not tables or sum(len(t) for t in tables) < len(kept):
            return False
        given_keys = pa.chunked_array([c for t in tables for c in t.chunks], pa.string()).combine_chunks()
        if not pc.all(pc.is_in(kept, value_set=given_keys)).as_py():
            return False
    return True


class _NothingStored:
    """An empty store, for ``derive`` when the batch holds the whole store (see the module docstring):
    derivation asks an empty store nothing but its size, and anything else it asked would fail here."""

    backend = "none"

    def count_nodes(self, kind: str | None = None) -> int:
        return 0


NOTHING_STORED = cast(GraphStore, _NothingStored())
