"""The Neo4j schema, derived from schema/: the statements ``Neo4jStore`` runs when it opens.

    for statement in schema_statements():
        driver.execute_query(statement, database_=database)

Each node kind, and the shared label every node carries (``NODE_LABEL``), has a uniqueness
constraint on ``id`` (its index makes a look-up by id a seek, and ids are unique across the whole
graph, CONTRACT §1); the version node has one on ``key``. Every statement is idempotent.
"""

from __future__ import annotations

from graph.neo4j.cypher import NODE_LABEL, VERSION_LABEL, q
from schema.model import NODE_KINDS

# Indexes earlier versions created and this one drops: "wenze_search", a full-text index maintained
# on every write and read by nothing the service offers (search is graph.search_index, in process).
RETIRED_INDEXES = ("wenze_search",)


def constraint_statements() -> list[str]:
    """One uniqueness constraint on ``id`` per node kind and on the shared label, one on the version key."""
    return [
        *(
            f"CREATE CONSTRAINT {constraint_name(label)} IF NOT EXISTS FOR (n:{q(label)}) REQUIRE n.`id` IS UNIQUE"
            for label in (*NODE_KINDS, NODE_LABEL)
        ),
        f"CREATE CONSTRAINT wenze_version_key IF NOT EXISTS FOR (v:`{VERSION_LABEL}`) REQUIRE v.key IS UNIQUE",
    ]


def constraint_name(label: str) -> str:
    return f"wenze_{label.lower()}_id"


def schema_statements() -> list[str]:
    """What opening a store runs: drop the retired indexes a database may still have, then the constraints."""
    return [*(f"DROP INDEX {name} IF EXISTS" for name in RETIRED_INDEXES), *constraint_statements()]
