"""Every Cypher text the Neo4j backend sends, built from schema/: labels, types and property names
are interpolated only after ``q`` has checked them against schema/; every value is a parameter.

    walk_query([Hop(("LED_TO",), "out")])   # run with {"ids": ["ISS-1"]}
    node_create_query("Case", ["title"])    # run with {"rows": [["CASE-1", "…"], …]}

How the graph is stored: every node carries its kind as a label (`Case`, `Official`, …) and the
shared label `Node` (``NODE_LABEL``), unique on ``id`` like every kind (see ``graph.neo4j.ddl``), so a
look-up by id alone is an index seek. Relationship types are the relationship kinds; properties are
MODEL.md identifiers; dates are Neo4j DATEs.

Reads start from ids with ``USING INDEX SEEK`` (``by_ids``), never with a plan that depends on the
planner's statistics, and answer with one record of collected rows (``… AS rows``): Bolt's cost is
per record, so one record of a hundred rows is much cheaper than a hundred records.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from graph.errors import QueryFailed
from graph.port import Direction, Hop
from schema.derived import DERIVED_NAMES, SCOPE
from schema.model import NODE_KINDS, REL_KINDS

NODE_LABEL = "Node"  # shared by every node: a global uniqueness constraint on id, index-backed look-ups
VERSION_LABEL = "WenzeVersion"  # the one bookkeeping node, outside the model (see VERSION_BUMP)

if NODE_LABEL in NODE_KINDS or NODE_LABEL in REL_KINDS:
    raise ValueError(f"schema/ declares {NODE_LABEL!r}, the label this backend gives every node")
# Edge ids are also built in Cypher (EDGE_ID), with toString(), which writes a value as graph.port
# does for these types only (not booleans or floats).
_KEY_TYPES = ("string", "enum", "int", "date")
_BAD_KEYS = [f"{rk.name}.{k}" for rk in REL_KINDS.values() for k in rk.key_properties
             if rk.properties[k].type not in _KEY_TYPES]  # fmt: skip
if _BAD_KEYS:
    raise ValueError(f"key properties {_BAD_KEYS} must be of a type among {_KEY_TYPES} on Neo4j")


def q(name: str) -> str:
    """A schema identifier, backticked; refuses anything that is not declared in schema/."""
    if name not in NODE_KINDS and name not in REL_KINDS and name != NODE_LABEL and not _is_property(name):
        raise ValueError(f"not a schema identifier: {name!r}")
    return f"`{name}`"


def _is_property(name: str) -> bool:
    return (
        name in ("id", "from", "to")
        or name in DERIVED_NAMES
        or any(name in k.properties for k in NODE_KINDS.values())
        or any(name in r.properties for r in REL_KINDS.values())
    )


def scopes_query() -> str:
    """Each of ``$ids`` present: its id, labels and derived regions (graph.scope)."""
    return f"{by_ids(NODE_LABEL)}RETURN collect([n.`id`, labels(n), n.{q(SCOPE)}]) AS rows"


def node_kind(labels: Iterable[str]) -> str:
    """The node kind among a node's labels (the other one is ``NODE_LABEL``)."""
    for label in labels:
        if label in NODE_KINDS:
            return label
    raise QueryFailed(f"a node has no kind label among {list(labels)}")


def _edge_id() -> str:
    """``Edge.id`` of relationship ``x`` in Cypher — type|source|target, then ``|value`` for each key
    property that is set (HELD_POST's start) — for orderings that must agree with the port's."""
    cases = [
        f"WHEN {_type_literal(kind)} THEN {' + '.join(_key_suffix(k) for k in rk.key_properties)}"
        for kind, rk in REL_KINDS.items()
        if rk.key_properties
    ]
    head = "type(x) + '|' + startNode(x).`id` + '|' + endNode(x).`id`"
    return f"{head} + CASE type(x) {' '.join(cases)} ELSE '' END" if cases else head


def _key_suffix(prop: str) -> str:
    return f"coalesce('|' + toString(x.{q(prop)}), '')"  # '|' + null is null: nothing for an unset key


def _type_literal(kind: str) -> str:
    """A relationship kind as a Cypher string literal (to compare with ``type(x)``)."""
    if kind not in REL_KINDS or not kind.replace("_", "").isalnum():
        raise ValueError(f"not a relationship kind: {kind!r}")
    return f"'{kind}'"


EDGE_ID = _edge_id()
# Relationships ``x`` as one record of rows [type, source id, target id, properties].
EDGE_ROWS = "collect([type(x), startNode(x).`id`, endNode(x).`id`, properties(x)]) AS rows"

# A random version stamped in the same transaction as every write, so any process can tell the data
# changed. The node has no Node label, so no count or scan sees it.
VERSION_BUMP = f"MERGE (v:`{VERSION_LABEL}` {{key: 'graph'}}) SET v.version = toInteger(rand() * 9007199254740991)"
DERIVED_READ = f"MATCH (v:`{VERSION_LABEL}` {{key: 'graph'}}) RETURN v.derived AS derived"
DERIVED_SET = f"MERGE (v:`{VERSION_LABEL}` {{key: 'graph'}}) SET v.derived = $v"
VERSION_READ = f"MATCH (v:`{VERSION_LABEL}` {{key: 'graph'}}) RETURN coalesce(v.version, 0) AS version"
# Every write's first statement: an exclusive lock on the version node (a SET takes it, held until the
# transaction ends; the REMOVE leaves nothing behind), so writes run one at a time across processes,
# and the version the write's derived values were computed at can be checked under the lock.
VERSION_LOCK = (
    f"MERGE (v:`{VERSION_LABEL}` {{key: 'graph'}}) SET v.lock = true REMOVE v.lock "
    "RETURN coalesce(v.version, 0) AS version"
)

# A first load written in several transactions (graph.neo4j.store) is marked by this node, committed
# before its first chunk and deleted by its last transaction: found at open with no writer holding
# the version lock, it is what a killed load left, and the partial graph is cleared. Bookkeeping,
# like the version node: no Node label, outside the model.
BULK_LABEL = "WenzeBulkLoad"
BULK_MARK = f"MERGE (m:`{BULK_LABEL}` {{key: 'graph'}}) SET m.started = datetime(), m.rows = $rows"
BULK_READ = f"MATCH (m:`{BULK_LABEL}` {{key: 'graph'}}) RETURN m.started AS started, m.rows AS rows"
BULK_END = f"MATCH (m:`{BULK_LABEL}`) DELETE m"

if len({NODE_LABEL, VERSION_LABEL, BULK_LABEL} & (set(NODE_KINDS) | set(REL_KINDS))) > 0:
    raise ValueError("schema/ declares a label this backend keeps for itself")
# Batched: one huge DETACH DELETE would hold the whole graph in transaction state.
# Only graph nodes: other labels in the database (the accounts of api/auth) are not the graph's.
CLEAR = f"MATCH (n:{NODE_LABEL}) CALL (n) {{ DETACH DELETE n }} IN TRANSACTIONS OF 10000 ROWS"


def by_ids(label: str) -> str:
    """``n``: one node of ``label`` per id of ``$ids`` (as ``i``), always by a seek of its id index.

    Always: with an index sampled while empty (as after a clear) the planner scans the whole index
    for each id, and keeps that plan in its cache after a large load. (A plain USING INDEX is
    satisfied by that scan; USING INDEX SEEK is not.)
    """
    return f"UNWIND $ids AS i MATCH (n:{q(label)} {{`id`: i}}) USING INDEX SEEK n:{q(label)}(`id`) "


# ---------------------------------------------------------------- reads


def kinds_query() -> str:
    """Rows ``[id, labels]`` of the nodes among ``$ids``."""
    return f"{by_ids(NODE_LABEL)}RETURN collect([n.`id`, labels(n)]) AS rows"


def nodes_query() -> str:
    """Rows ``[labels, properties]`` of the nodes among ``$ids``."""
    return f"{by_ids(NODE_LABEL)}RETURN collect([labels(n), properties(n)]) AS rows"


def edges_query(types: Sequence[str], direction: Direction, limited: bool) -> str:
    """Relationships of ``types`` (all if empty) touching the nodes of ``$ids``, each once; ``limited``:
    the first ``$limit`` in the port's order.

    Types go in the pattern, not in a WHERE on type(x): Neo4j then expands only those relationships.
    """
    rel = "x:" + "|".join(q(t) for t in types) if types else "x"
    pattern = {"out": f"(n)-[{rel}]->(m)", "in": f"(n)<-[{rel}]-(m)", "both": f"(n)-[{rel}]-(m)"}[direction]
    # The order only matters to pick the first `limit` (the port's order); the caller sorts the rows.
    head = f"ORDER BY type(x), startNode(x).`id`, endNode(x).`id`, {EDGE_ID} LIMIT $limit " if limited else ""
    return f"{by_ids(NODE_LABEL)}MATCH {pattern} WITH DISTINCT x {head}RETURN {EDGE_ROWS}"


def walk_query(hops: Sequence[Hop], scoped: Sequence[str] = ()) -> str:
    """``follow``'s query: every start node of ``$ids`` at once (hop ``i``'s where-values are ``$w<i>``).

    Relationship kinds and property names come from schema/ (check_hops); a MATCH never binds one
    relationship twice, which is the port's rule for walks. ``scoped``: a test for each node the walk
    passes through (after the start, before the last far end), with ``{v}`` for its variable
    (``graph.fact_counts.walk_scope_test``).
    """
    pattern = f"(s:{q(NODE_LABEL)} {{`id`: sid}})"
    hint = f" USING INDEX SEEK s:{q(NODE_LABEL)}(`id`)"
    where = []
    for i, hop in enumerate(hops):
        rel = f"[r{i}:{'|'.join(q(t) for t in hop.types)}]"
        pattern += f"-{rel}->(n{i})" if hop.direction == "out" else f"<-{rel}-(n{i})"
        if hop.where is not None:
            where.append(f"r{i}.{q(hop.where[0])} IN $w{i}")
        where += [t.format(v=f"n{i}") for t in scoped] if i < len(hops) - 1 else []
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    return f"UNWIND $ids AS sid MATCH {pattern}{hint}{clause} WITH DISTINCT r{len(hops) - 1} AS x RETURN {EDGE_ROWS}"


def shortest_paths_query(max_hops: int) -> str:
    """All shortest undirected paths from ``$s`` to ``$t``, the first ``$limit`` by their edge ids;
    one record per path, ``rels``: its relationships as rows like EDGE_ROWS'."""
    # The hop bound is part of the pattern's syntax and cannot be a parameter: a checked int.
    if not isinstance(max_hops, int) or max_hops < 1:
        raise ValueError(f"not a hop bound: {max_hops!r}")
    return (
        f"MATCH (a:{q(NODE_LABEL)} {{`id`: $s}}), (b:{q(NODE_LABEL)} {{`id`: $t}}) "
        f"USING INDEX SEEK a:{q(NODE_LABEL)}(`id`) USING INDEX SEEK b:{q(NODE_LABEL)}(`id`) "
        f"MATCH p = allShortestPaths((a)-[*..{int(max_hops)}]-(b)) "
        f"WITH p, [x IN relationships(p) | {EDGE_ID}] AS edge_ids ORDER BY edge_ids LIMIT $limit "
        "RETURN [x IN relationships(p) | "
        "[type(x), startNode(x).`id`, endNode(x).`id`, properties(x)]] AS rels"
    )


def scan_nodes_query(kind: str, columns: Sequence[str]) -> str:
    """Every node of ``kind``: one record per node with ``columns`` in order, ordered by id."""
    ret = ", ".join(f"n.{q(c)}" for c in columns)
    # `id IS NOT NULL` lets the planner read the id index in order: a stable order with no sort.
    return f"MATCH (n:{q(kind)}) WHERE n.`id` IS NOT NULL RETURN {ret} ORDER BY n.`id`"


def scan_edges_query(kind: str, columns: Sequence[str]) -> str:
    """Every relationship of ``kind``: one record each, source id, target id, then ``columns``."""
    ret = ", ".join(["a.`id`", "b.`id`", *(f"x.{q(c)}" for c in columns)])
    return f"MATCH (a)-[x:{q(kind)}]->(b) RETURN {ret}"


def collect_ids_query(kind: str) -> str:
    """Every id of ``kind``, collected into one record (``rows``)."""
    return f"MATCH (n:{q(kind)}) RETURN collect(n.`id`) AS rows"


def collect_rel_keys_query(kind: str, key_properties: Sequence[str]) -> str:
    """Every relationship of ``kind`` as [source id, target id, key properties…], collected into one record."""
    ret = ", ".join(["a.`id`", "b.`id`", *(f"x.{q(c)}" for c in key_properties)])
    return f"MATCH (a)-[x:{q(kind)}]->(b) RETURN collect([{ret}]) AS rows"


def count_nodes_query(kind: str | None = None) -> str:
    return f"MATCH (n:{q(kind if kind is not None else NODE_LABEL)}) RETURN count(n) AS n"


def count_edges_query(kind: str | None = None) -> str:
    rel = f"x:{q(kind)}" if kind is not None else "x"
    return f"MATCH ()-[{rel}]->() RETURN count(x) AS n"


# ---------------------------------------------------------------- writes
#
# Rows travel as lists (``r[0]``, ``r[1]``, …) in the order the query names its columns, and nodes
# the transaction has already found or created are addressed by element id (``elementId(n) = r[0]``
# is a direct record look-up, cheaper than an index seek that must also consult the transaction's
# own index changes).


def node_lookup_query() -> str:
    """Stored nodes among ``$ids`` (any kind): rows ``[id, element id, labels]``, collected."""
    return f"{by_ids(NODE_LABEL)}RETURN collect([i, elementId(n), labels(n)]) AS rows"


def endpoint_lookup_query(kind: str) -> str:
    """Stored nodes of one kind among ``$ids``: rows ``[id, element id, null]``, collected."""
    return f"{by_ids(kind)}RETURN collect([i, elementId(n), null]) AS rows"


def node_create_query(kind: str, columns: Sequence[str]) -> str:
    """Create nodes from rows ``[id, *columns]``; returns their element ids in row order.

    Only for ids not stored yet (the uniqueness constraints still guard against any other). A null
    value is not stored, as an absent property would not be.
    """
    props = ", ".join(f"{q(c)}: r[{i}]" for i, c in enumerate(["id", *columns]))
    return f"UNWIND $rows AS r CREATE (n:{q(kind)}:{q(NODE_LABEL)} {{{props}}}) RETURN collect(elementId(n)) AS created"


def node_update_query(kind: str, columns: Sequence[str]) -> str:
    """Set ``columns`` on stored nodes from rows ``[element id, *columns]`` (null removes a property)."""
    sets = ", ".join(f"n.{q(c)} = r[{i}]" for i, c in enumerate(columns, start=1))
    return f"UNWIND $rows AS r MATCH (n:{q(kind)}) WHERE elementId(n) = r[0] SET {sets} RETURN count(*) AS matched"


def _endpoints(from_kind: str, to_kind: str) -> str:
    return (
        f"UNWIND $rows AS r MATCH (a:{q(from_kind)}) WHERE elementId(a) = r[0] "
        f"MATCH (b:{q(to_kind)}) WHERE elementId(b) = r[1] "
    )


def rel_create_query(kind: str, from_kind: str, to_kind: str, columns: Sequence[str]) -> str:
    """Create relationships from rows ``[from element id, to element id, *columns]``; returns the count.

    Only for rows with an endpoint created by this transaction: such a relationship cannot exist yet.
    """
    props = ", ".join(f"{q(c)}: r[{i}]" for i, c in enumerate(columns, start=2))
    return (
        f"{_endpoints(from_kind, to_kind)}CREATE (a)-[:{q(kind)}{f' {{{props}}}' if props else ''}]->(b) "
        "RETURN count(*) AS matched"
    )


def rel_upsert_query(
    kind: str, from_kind: str, to_kind: str, columns: Sequence[str], *, null_keys: bool = False
) -> str:
    """Upsert relationships between stored nodes from rows ``[from element id, to element id, *columns]``.

    A relationship is identified by kind and endpoints, plus its key properties (``key_properties``
    in schema/). MERGE on a null property never matches, so rows with a null key (``null_keys``)
    look the relationship up in a per-row subquery and create it where absent. Returns the matched
    count.
    """
    rk = REL_KINDS[kind]
    col = {c: f"r[{i}]" for i, c in enumerate(columns, start=2)}
    for k in rk.key_properties:
        col.setdefault(k, "null")  # an absent key column means a null key
    head = _endpoints(from_kind, to_kind)
    props = [c for c in columns if c not in rk.key_properties]
    if not rk.key_properties or not null_keys:
        key = ", ".join(f"{q(k)}: {col[k]}" for k in rk.key_properties)
        sets = f" SET {', '.join(f'x.{q(c)} = {col[c]}' for c in props)}" if props else ""
        merge = f"MERGE (a)-[x:{q(kind)}{f' {{{key}}}' if key else ''}]->(b)"
        return f"{head}{merge}{sets} RETURN count(*) AS matched"
    same_key = " AND ".join(
        f"(x.{q(k)} = {col[k]} OR (x.{q(k)} IS NULL AND {col[k]} IS NULL))" for k in rk.key_properties
    )
    created = ", ".join(f"{q(c)}: {col[c]}" for c in [*rk.key_properties, *props])
    sets = ", ".join(f"x.{q(c)} = {col[c]}" for c in props)
    update = f"FOREACH (x IN found | SET {sets}) " if props else ""
    return (
        f"{head}CALL (a, b, r) {{ "
        f"OPTIONAL MATCH (a)-[x:{q(kind)}]->(b) WHERE {same_key} "
        f"WITH a, b, r, collect(x) AS found "
        f"FOREACH (_ IN CASE WHEN size(found) = 0 THEN [1] ELSE [] END | "
        f"CREATE (a)-[:{q(kind)} {{{created}}}]->(b)) "
        f"{update}}} RETURN count(*) AS matched"
    )
