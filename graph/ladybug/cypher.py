"""Every Cypher text the embedded backend sends, built from schema/: labels, relationship types and
property names are interpolated only after ``q`` has checked them against schema/; values are
parameters (dates too), except node kinds in COPY options (``lit``), which the engine takes only as
literals, and row limits, taken from a fixed table of constants (``limit_clause``).

    node_ddl("Case")                                  # CREATE NODE TABLE IF NOT EXISTS `Case`(…)
    walk_query("Issue", (Hop(("LED_TO",), "out"),))   # run with {"id": "ISS-1"}
"""

from __future__ import annotations

import functools

from graph.columns import stored_columns
from graph.port import Hop
from schema.derived import DERIVED_NAMES
from schema.model import MAX_PATH_HOPS, NODE_KINDS, REL_KINDS

DDL_TYPES = {"string": "STRING", "enum": "STRING", "int": "INT64", "float": "DOUBLE", "bool": "BOOLEAN",
             "date": "DATE", "strings": "STRING[]"}  # fmt: skip


def q(name: str) -> str:
    """A schema identifier, backticked; refuses anything that is not declared in schema/."""
    if name not in NODE_KINDS and name not in REL_KINDS and not _is_declared_property(name):
        raise ValueError(f"not a schema identifier: {name!r}")
    return f"`{name}`"


def _is_declared_property(name: str) -> bool:
    return (
        name == "id"
        or name in DERIVED_NAMES
        or any(name in k.properties for k in NODE_KINDS.values())
        or any(name in r.properties for r in REL_KINDS.values())
    )


def node_ddl(kind: str) -> str:
    cols = ", ".join(f"{q(n)} {DDL_TYPES[p.type]}" for n, p in stored_columns(kind).items())
    return f"CREATE NODE TABLE IF NOT EXISTS {q(kind)}({cols}, PRIMARY KEY (`id`))"


def rel_ddl(kind: str) -> str:
    rk = REL_KINDS[kind]
    parts = [f"FROM {q(f)} TO {q(t)}" for f, t in rk.endpoints]
    parts += [f"{q(n)} {DDL_TYPES[p.type]}" for n, p in rk.properties.items()]
    return f"CREATE REL TABLE IF NOT EXISTS {q(kind)}({', '.join(parts)})"


def lit(kind: str) -> str:
    """A node kind as a COPY option literal (checked against schema/)."""
    if kind not in NODE_KINDS:
        raise ValueError(f"not a node kind: {kind!r}")
    return f"'{kind}'"


# Query texts for each hop bound: the bound is part of the pattern, so it cannot be a parameter.
_SHORTEST = tuple(
    "MATCH p = (a)-[* ALL SHORTEST 1.." + str(k) + "]-(b) WHERE a.id = $s AND b.id = $t RETURN p LIMIT $limit"
    for k in range(1, MAX_PATH_HOPS + 1)
)


# LadybugDB runs `LIMIT $n` about 1.5 ms slower than the same query with `LIMIT 1024` (0.13.x: an
# anchored read of one node's edges, 2.0 ms against 0.44; bench/FIGURES.md). A read that needs at
# least n rows says so with the first of these constants ≥ n, so no value enters the text; the
# caller cuts the rows to n. Past the last, the limit is a parameter.
LIMIT_STEPS = (16, 64, 256, 1024, 4096, 16384, 65536)
_LIMITS = {step: f" LIMIT {step}" for step in LIMIT_STEPS}


def limit_clause(at_least: int) -> str:
    """`` LIMIT <constant>`` for a read that needs at least ``at_least`` rows (``$limit`` past the table)."""
    for step in LIMIT_STEPS:
        if at_least <= step:
            return _LIMITS[step]
    return " LIMIT $limit"


def shortest_paths_query(max_hops: int) -> str:
    """All shortest undirected paths of at most ``max_hops`` (1 to MAX_PATH_HOPS) from ``$s`` to ``$t``."""
    return _SHORTEST[max_hops - 1]


@functools.lru_cache(maxsize=512)
def walk_query(kind: str, hops: tuple[Hop, ...], inner: bool = False) -> tuple[str, int]:
    """``follow``'s query from one ``kind`` node ``$id``: returns the last relationship, the ids of its
    near and far ends, then the internal ids of the relationships a walk could use twice (their count
    is the second value), then with ``inner`` the ids of the nodes the walk passes through (after the
    start, before the last near end, which is already returned). Relationship kinds and property
    names come from schema/ (check_hops).

    A walk never uses a relationship twice (as in Neo4j), but that is checked on the returned ids:
    LadybugDB 0.22 answers ``WHERE id(r0) <> id(r1)`` wrongly once the pattern has three or more
    hops (it drops walks that qualify and keeps some that reuse a relationship;
    tests/contract/test_walks.py).

    ``inner``: for a caller's scope, which the walk must not pass through a hidden node of. The ids
    come back and the caller checks them against the id map, in memory: the same test in the engine
    (``$scope0 IN n0.scope_regions`` on every inner node) cost 8.0 ms of engine time per chain of
    城关区 against 6.8 ms returning the ids (full demo, the 7 walks of one chain, medians of 300). The
    far ends are the caller's too, as every read's (``ScopedStore``).
    """
    pattern = f"(s:{q(kind)} {{id: $id}})"
    where: list[str] = []
    for i, hop in enumerate(hops):
        rel = f"[r{i}:{'|'.join(q(t) for t in hop.types)}]"
        pattern += f"-{rel}->(n{i})" if hop.direction == "out" else f"<-{rel}-(n{i})"
        if hop.where is not None:
            where.append(f"r{i}.{q(hop.where[0])} IN $w{i}")
    shared = [
        i for i, hop in enumerate(hops) if any(set(hops[j].types) & set(hop.types) for j in range(len(hops)) if j != i)
    ]
    near = f"n{len(hops) - 2}" if len(hops) > 1 else "s"
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    ids = "".join(f", id(r{i})" for i in shared)
    ids += "".join(f", n{i}.id" for i in range(len(hops) - 2)) if inner else ""
    return f"MATCH {pattern}{clause} RETURN r{len(hops) - 1}, {near}.id, n{len(hops) - 1}.id{ids}", len(shared)
