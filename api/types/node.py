"""The ``Node`` interface, the registry of node types, and how relationships are resolved.

    to_node({"id": "OFF-1", "kind": "Official", "name": "张伟", …})     # -> Official(...)
    await linked(info, root, "HELD_POST", "out")                        # neighbour nodes, batched

A node object keeps its store record (``rec``); declared properties become plain attributes (read
without a resolver call), relationships are resolved through the request's DataLoaders, and
``known`` carries relationships already fetched (by the chain query) so they cost nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import strawberry
from strawberry.types import Info

from api.scope import note_returned
from graph.port import Node as Record
from graph.queries import node_label
from schema.captions import sort_key
from schema.model import NODE_KINDS, REL_KINDS, property_key

if TYPE_CHECKING:  # strawberry resolves these lazily: the modules refer to each other
    from api.types.document import Document

Known = dict[tuple[str, str], list[str]]
N = TypeVar("N")


@strawberry.interface(description="A node of the accountability graph.")
class Node:
    rec: strawberry.Private[dict[str, Any]]
    known: strawberry.Private[Known]
    label_hint: strawberry.Private[str | None] = None  # a label already computed (subgraphs, search)
    id: strawberry.ID = strawberry.field(description="The node's id (a region's is its GB/T 2260 code).")
    kind: str = strawberry.field(description='The node kind: "Official", "Issue", "Measure", …')
    label: str = strawberry.field(description="A human-readable Chinese label.")

    @strawberry.field(description="依据文件: the documents this node is EVIDENCED_BY.")
    async def documents(self, info: Info) -> list[Annotated[Document, strawberry.lazy("api.types.document")]]:
        return await linked(info, self, "EVIDENCED_BY", "out", "Document")


NODE_TYPES: dict[str, type[Any]] = {}
_PLAIN: dict[type[Any], tuple[str, ...]] = {}
_NOT_PLAIN = ("id", "kind", "label", "rec", "known", "label_hint")
# Python attribute -> record key, where the property's name would shadow a type (``date``).
_REC_KEYS = {"on": "date"}


def schema_property(kind: str, python_name: str) -> str | None:
    """The schema/ property a plain field of a node type exposes (``measure_kind`` -> ``kind``)."""
    key = _REC_KEYS.get(python_name, python_name)
    for name in NODE_KINDS[kind].properties:
        if property_key(kind, name) == key:
            return name
    return None


def node_type(kind: str) -> Any:
    """Register the strawberry type of a node kind (used by ``to_node``); its plain fields that have
    no description take the Chinese label of the schema/ property they expose."""

    def register(cls: type[N]) -> type[N]:
        NODE_TYPES[kind] = cls
        for f in cls.__strawberry_definition__.fields:  # type: ignore[attr-defined]
            prop = schema_property(kind, f.python_name) if f.base_resolver is None else None
            if prop is not None and not f.description:
                f.description = f"{NODE_KINDS[kind].properties[prop].label} ({kind}.{prop})"
        return cls

    return register


def relationship_type(rel: str) -> Any:
    """For a strawberry type that shows one relationship (``Post`` is a HELD_POST): its plain fields named
    like a property of ``rel`` (``on`` for ``date``), and without a description, take that property's label.

        @relationship_type("REVIEWED_BY")
        @strawberry.type
        class DutyReportReview:
            on: date | None = strawberry.field(name="date")     # described "日期 (REVIEWED_BY.date)"
    """
    declared = REL_KINDS[rel].properties

    def describe(cls: type[N]) -> type[N]:
        for f in cls.__strawberry_definition__.fields:  # type: ignore[attr-defined]
            prop = _REC_KEYS.get(f.python_name, f.python_name)
            if f.base_resolver is None and prop in declared and not f.description:
                f.description = f"{declared[prop].label} ({rel}.{prop})"
        return cls

    return describe


def _plain_fields(cls: type[Any]) -> tuple[str, ...]:
    names = _PLAIN.get(cls)
    if names is None:
        definition = cls.__strawberry_definition__
        names = tuple(
            f.python_name for f in definition.fields if f.base_resolver is None and f.python_name not in _NOT_PLAIN
        )
        _PLAIN[cls] = names
    return names


def _ensure_registry() -> None:
    if len(NODE_TYPES) < len(NODE_KINDS):
        import api.types.all_nodes  # noqa: F401  (registers every node type)


def to_node(rec: Record, known: Known | None = None) -> Any:
    """The strawberry object of a store record, by its kind."""
    _ensure_registry()
    note_returned(rec["id"])
    cls = NODE_TYPES[rec["kind"]]
    values = {name: rec.get(_REC_KEYS.get(name, name)) for name in _plain_fields(cls)}
    if "label" not in _resolved(cls):
        values["label"] = node_label(rec)
    return cls(rec=rec, known=known or {}, id=rec["id"], kind=rec["kind"], **values)


_RESOLVED: dict[type[Any], frozenset[str]] = {}


def _resolved(cls: type[Any]) -> frozenset[str]:
    names = _RESOLVED.get(cls)
    if names is None:
        names = frozenset(f.python_name for f in cls.__strawberry_definition__.fields if f.base_resolver is not None)
        _RESOLVED[cls] = names
    return names


def to_nodes(recs: Iterable[Record | None], kinds: Iterable[str] = ()) -> list[Any]:
    wanted = set(kinds)
    return [to_node(r) for r in recs if r is not None and (not wanted or r["kind"] in wanted)]


async def linked_ids(info: Info, root: Any, rel: str, direction: str) -> list[str]:
    """Ids of the nodes related to ``root`` by ``rel`` in ``direction`` (seen from root), in edge order."""
    hint = root.known.get((rel, direction))
    if hint is not None:
        return list(hint)
    edges = await info.context.loaders.edges.load((root.id, (rel,), direction))
    node_id = root.id
    return [e.target if e.source == node_id else e.source for e in edges]


def oldest_first(nodes: Iterable[N]) -> list[N]:
    """Node objects in the order their kind's lists run (``schema.captions.sort_key``)."""
    return sorted(nodes, key=lambda n: sort_key(n.rec))  # type: ignore[attr-defined]


async def linked_edges(info: Info, root: Any, rel: str, direction: str) -> list[Any]:
    return list(await info.context.loaders.edges.load((root.id, (rel,), direction)))


async def records(info: Info, ids: Iterable[str]) -> list[Record]:
    ids = list(ids)
    if not ids:
        return []
    found = await info.context.loaders.nodes.load_many(ids)
    return [r for r in found if r is not None]


async def linked(info: Info, root: Any, rel: str, direction: str, *kinds: str) -> list[Any]:
    """Related nodes as strawberry objects (only of ``kinds`` when given)."""
    return to_nodes(await records(info, await linked_ids(info, root, rel, direction)), kinds)


async def linked_one(info: Info, root: Any, rel: str, direction: str, *kinds: str) -> Any | None:
    found = await linked(info, root, rel, direction, *kinds)
    return found[0] if found else None


async def node_by_id(info: Info, node_id: str, kind: str | None = None) -> Any | None:
    rec = await info.context.loaders.nodes.load(node_id)
    if rec is None or (kind is not None and rec["kind"] != kind):
        return None
    return to_node(rec)


async def node_named(info: Info, node_id: str, cls: type[N]) -> N:
    """The ``cls`` node a relationship or a figure names: it exists, or the graph is broken (INTERNAL)."""
    found = await node_by_id(info, node_id)
    if not isinstance(found, cls):
        has = "no such node" if found is None else f"a {type(found).__name__}"
        raise LookupError(f"the graph names {node_id!r} as a {cls.__name__}, but has {has}")
    return found
