"""The storage port: the few graph operations the loader and the API need, for every backend.

Backends (``graph.ladybug.LadybugStore``, ``graph.neo4j.Neo4jStore``) implement
``GraphStore``; domain questions (chains, four forms, neighbourhoods) are answered in
``graph.queries`` on top of these operations, so both backends give the same answers.

    store = open_store(settings)                   # api.settings picks the backend
    store.write(batch)                             # one atomic transaction, upsert by id
    store.get_nodes(["ISS-1"])["ISS-1"]["summary"]
    [e.target for e in store.edges(["ISS-1"], types=["HAS_STEP"], direction="out")]
    # measures decided in the cases an issue led to, with the measure records:
    store.follow(["ISS-1"], [Hop(("LED_TO",), "out"), Hop(("DECIDED",), "out")])

Conventions: node records are plain dicts ``{"id", "kind", <declared properties>}`` with Python
values (``datetime.date`` for dates, int/float/bool as declared); property names are MODEL.md
identifiers (snake_case) — EXCEPT a node's own ``kind`` property (Measure.kind, Organisation.kind, …),
which would clash with the record's node kind: it is stored under ``property_key(kind, "kind")``,
e.g. ``"measure_kind"``, ``"organisation_kind"``, ``"case_kind"`` (CONTRACT §3's ``measureKind``).
Arrow scans (``scan_nodes``) keep the plain MODEL.md column names (``kind``), as bundle files do.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable

import pyarrow as pa

from schema.model import NODE_KINDS, REL_KINDS

if TYPE_CHECKING:
    from graph.fact_counts import FactQuery
    from graph.figure_counts import DutyQuery, StudyQuery
    from graph.issue_pages import IssueQuery
    from graph.scope import Scope

Node = dict[str, Any]
# What identifies a relationship besides its kind and endpoints, by kind (HELD_POST: its start).
_KEY_PROPERTIES = {name: rk.key_properties for name, rk in REL_KINDS.items() if rk.key_properties}


def property_key(node_kind: str, prop: str) -> str:
    """Key of a property in a node record: the name itself, but ``kind`` becomes ``<type>_kind``."""
    if prop != "kind":
        return prop
    snake = "".join("_" + c.lower() if c.isupper() else c for c in node_kind).lstrip("_")
    return f"{snake}_kind"


def node_record(node_kind: str, node_id: str, values: dict[str, Any]) -> Node:
    """A node record from raw property values, coerced to the declared types (see module docstring)."""
    record: Node = {"id": node_id, "kind": node_kind}
    for name, prop in NODE_KINDS[node_kind].properties.items():
        value = values.get(name)
        if value is not None:
            if prop.type == "int" and not isinstance(value, int):
                value = int(value)
            elif prop.type == "float" and not isinstance(value, float):
                value = float(value)
            elif prop.type == "date" and hasattr(value, "to_native"):
                value = value.to_native()  # neo4j.time.Date
        record[property_key(node_kind, name)] = value
    return record


Direction = Literal["out", "in", "both"]
Progress = Callable[[int], None]  # called with the number of rows just written


@dataclass(frozen=True)
class Edge:
    """One relationship. ``props`` holds its declared properties (None where unset)."""

    type: str
    source: str
    target: str
    props: dict[str, Any] = field(default_factory=dict, hash=False, compare=True)

    @property
    def id(self) -> str:
        """Stable identity (CONTRACT §1): kind, endpoints, then each of the kind's key properties
        (``RelKind.key_properties``) that is set, dates in ISO form.

            Edge("HELD_POST", "P1", "ORG-JT", {"start": date(2020, 1, 1)}).id  # 'HELD_POST|P1|ORG-JT|2020-01-01'
            Edge("HELD_POST", "P2", "ORG-JT", {"start": None}).id               # 'HELD_POST|P2|ORG-JT'
        """
        head = f"{self.type}|{self.source}|{self.target}"
        keys = _KEY_PROPERTIES.get(self.type)
        if not keys:
            return head
        return head + "".join(f"|{_key_text(v)}" for k in keys if (v := self.props.get(k)) is not None)


def _key_text(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


@dataclass(frozen=True)
class Hop:
    """One step of a walk (``GraphStore.follow``): relationships of ``types`` in ``direction``.

    ``where`` keeps only relationships whose property ``where[0]`` is one of ``where[1]`` (the property
    must be declared on every one of ``types``).
    """

    types: tuple[str, ...]
    direction: Literal["out", "in"]
    where: tuple[str, tuple[Any, ...]] | None = None


def check_hops(hops: Sequence[Hop]) -> None:
    """Refuse walks a backend cannot express (every backend calls this first)."""
    if not hops:
        raise ValueError("a walk needs at least one hop")
    for hop in hops:
        if not hop.types:
            raise ValueError("a hop needs at least one relationship kind")
        unknown = [t for t in hop.types if t not in REL_KINDS]
        if unknown:
            raise ValueError(f"not relationship kinds: {unknown}")
        if hop.direction not in ("out", "in"):
            raise ValueError(f"a hop goes 'out' or 'in', not {hop.direction!r}")
        if hop.where is not None:
            prop, values = hop.where
            lacking = [t for t in hop.types if prop not in REL_KINDS[t].properties]
            if lacking:
                raise ValueError(f"{lacking} have no property {prop!r}")
            if not isinstance(values, tuple):
                raise ValueError(f"where needs a tuple of values, not {type(values).__name__}")


@dataclass
class NodeRows:
    """Validated rows of one node kind: an Arrow table with ``id`` and typed property columns.

    Only the columns present are written on update (an absent column leaves existing values alone);
    on insert, absent columns are null.
    """

    kind: str
    table: pa.Table


@dataclass
class RelRows:
    """Validated rows of one relationship kind: ``from``, ``to``, ``from_kind``, ``to_kind`` + properties."""

    kind: str
    table: pa.Table


@dataclass
class WriteBatch:
    nodes: list[NodeRows] = field(default_factory=list)
    rels: list[RelRows] = field(default_factory=list)
    derived: bool = False  # its derived values are set already (graph.derived): write it as it is

    @property
    def row_count(self) -> int:
        return int(sum(n.table.num_rows for n in self.nodes) + sum(r.table.num_rows for r in self.rels))


@dataclass
class WriteStats:
    nodes_created: int = 0
    nodes_updated: int = 0
    rels_created: int = 0
    rels_updated: int = 0


def check_batch(batch: WriteBatch) -> None:
    """Refuse, before anything is written, what no backend may write: an id given twice in one node
    table, a relationship given twice (same kind, endpoints and key properties), endpoint kinds a
    relationship does not allow. Every backend calls this first, so they refuse the same batches.
    """
    import pyarrow.compute as pc

    from graph.errors import WriteFailed

    def repeated(keys: pa.Array | pa.ChunkedArray) -> list[Any]:
        counts = pc.value_counts(keys)
        return list(counts.field("values").filter(pc.greater(counts.field("counts"), 1)).to_pylist())

    for nodes in batch.nodes:
        twice = repeated(nodes.table.column("id"))
        if twice:
            raise WriteFailed(
                f"nothing was written: {nodes.kind} ids given twice in one batch: {', '.join(map(str, twice[:5]))}"
            )
    for rels in batch.rels:
        rk = REL_KINDS[rels.kind]
        table = rels.table
        allowed = pa.array([f"{f}\x1f{t}" for f, t in rk.endpoints])
        pairs = pc.binary_join_element_wise(table.column("from_kind"), table.column("to_kind"), "\x1f")
        bad = pc.invert(pc.fill_null(pc.is_in(pairs, value_set=allowed), False))
        if pc.any(bad).as_py():
            first = pairs.filter(bad)[0].as_py().replace("\x1f", " → ")
            raise WriteFailed(f"nothing was written: {rels.kind} cannot join {first}")
        parts = [table.column("from"), table.column("to")]
        for key in rk.key_properties:
            column = table.column(key) if key in table.column_names else pa.nulls(table.num_rows, pa.string())
            parts.append(pc.fill_null(pc.cast(column, pa.string()), "\u2205"))
        twice = repeated(pc.binary_join_element_wise(*parts, "\x1f"))
        if twice:
            shown = str(twice[0]).replace("\x1f", ", ")
            raise WriteFailed(f"nothing was written: the same {rels.kind} is given twice in one batch ({shown})")


@runtime_checkable
class GraphStore(Protocol):
    """What every storage backend offers. All reads are safe from several threads; writes are serialised."""

    backend: str

    def write(self, batch: WriteBatch, progress: Progress | None = None) -> WriteStats:
        """Upsert every row in one transaction: all of it lands, or (on any error) none of it.

        Nodes are matched by ``id``; relationships by kind, endpoints and key properties
        (``start`` for HELD_POST). Raises ``WriteFailed`` after rolling back.
        """
        ...

    def kinds_of(self, ids: Collection[str]) -> dict[str, str]:
        """Node kind of each id present in the store (absent ids are left out)."""
        ...

    def get_nodes(self, ids: Collection[str]) -> dict[str, Node]:
        """Node records by id (absent ids are left out)."""
        ...

    def derived(self, ids: Collection[str]) -> dict[str, dict[str, Any]]:
        """The derived values (``schema.derived.DERIVED``) of each id present (absent ids are left out)."""
        ...

    def edges(
        self,
        ids: Collection[str],
        types: Collection[str] = (),
        direction: Direction = "both",
        limit: int | None = None,
    ) -> list[Edge]:
        """Relationships touching ``ids`` (of ``types``, all if empty), sorted by (type, source, target, id).

        ``direction`` is seen from ``ids``: "out" means ids are sources. ``limit`` caps the result.
        """
        ...

    def follow(self, ids: Collection[str], hops: Sequence[Hop], scope: Scope | None = None) -> list[Edge]:
        """Walk ``hops`` from each of ``ids``: the relationships the last hop matches, distinct and
        sorted by edge id.

        A walk never uses one relationship twice. One call answers what ``edges`` would need a round
        per hop for (the chain of an issue is a few such walks). ``scope``: the walk passes only through
        nodes the scope sees (``graph.scope.Scope.sees``; every node after the start and before the
        last hop), tested in the engine; the last hop's far ends are not tested (``graph.scope.
        ScopedStore``, which walks this way, checks both ends of what it returns).
        """
        ...

    def scan_nodes(self, kind: str, columns: Sequence[str] | None = None) -> Iterator[pa.Table]:
        """Every node of a kind as Arrow batches (``id`` plus ``columns``, all properties if None)."""
        ...

    def scan_edges(self, kind: str) -> Iterator[pa.Table]:
        """Every relationship of a kind as Arrow batches: ``from``, ``to`` and its properties."""
        ...

    def count_nodes(self, kind: str | None = None) -> int: ...

    def count_facts(self, query: FactQuery) -> dict[Any, dict[str, int]]:
        """Four-forms figures over the derived fact properties, grouped (``graph.fact_counts``)."""
        ...

    def visibility(self, ids: Collection[str]) -> dict[str, tuple[str, tuple[str, ...] | None]]:
        """Each present id's kind and derived regions (``scope_regions``; None for none and for
        Regions), what ``graph.scope`` decides visibility on."""
        ...

    def count_study(self, query: StudyQuery) -> dict[str, Any]:
        """Study events and attendance counted in the engine (``graph.figure_counts``)."""
        ...

    def count_duty_reports(self, query: DutyQuery) -> dict[str, Any]:
        """述法 reports of a year, their reporters and reviewers, counted in the engine (``graph.figure_counts``)."""
        ...

    def page_issues(self, query: IssueQuery) -> tuple[int, list[str]]:
        """How many issues match ``query`` and the ids of its page, in order, filtered, sorted and
        counted in the engine (``graph.issue_pages``)."""
        ...

    def ids_in_regions(self, kind: str, regions: Sequence[str]) -> list[str]:
        """The ids of ``kind`` with one of ``regions`` among their derived ``scope_regions``, sorted
        (what a caller holding ``regions`` sees of a kind; ``graph.scope`` lists with it)."""
        ...

    def count_in_regions(self, kind: str, regions: Sequence[str]) -> int:
        """How many nodes of ``kind`` have one of ``regions`` among their derived ``scope_regions``,
        counted in the engine (``graph.scope`` counts what a caller sees with it)."""
        ...

    def count_edges(self, kind: str | None = None) -> int: ...

    def shortest_paths(self, source: str, target: str, max_hops: int, limit: int = 10) -> list[list[Edge]]:
        """Shortest undirected paths between two nodes (each a list of edges from source to target).

        Ordered by their lists of edge ids; ``limit`` keeps the first ones in that order.
        """
        ...

    def clear(self) -> None:
        """Delete every node and relationship (tests and re-imports)."""
        ...

    def data_version(self) -> int:
        """A number that changes whenever a write or clear commits, so caches (the search index) know
        when to rebuild. On Neo4j it sees every process's writes; the embedded engine admits one process."""
        ...

    def close(self) -> None: ...
