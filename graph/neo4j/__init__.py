"""The Neo4j backend: ``Neo4jStore``, the storage port on a Neo4j 5 server (Community is enough).

    from graph.neo4j import Neo4jStore
    store = Neo4jStore(uri="bolt://localhost:7687", user="neo4j", password="…", database="neo4j")

What the package holds, each module depending only on those above it:

    cypher   every Cypher text, built from schema/ (labels, types and property names checked, values
             always parameters), and how the graph is laid out in Neo4j
    ddl      the constraints opening a store creates (derived from schema/), the indexes it drops
    errors   ``neo4j_errors``: driver exceptions become ``graph.errors``, in one place
    writer   the write planner and the writer (one transaction; several for a large first load)
    store    ``Neo4jStore``, which runs them

Only ``Neo4jStore`` is public. The package may import the driver (``neo4j``), pyarrow, schema/ and
graph's shared modules (``graph.port``, ``graph.errors``, ``graph.columns``); nothing outside it
imports its modules but tests and benchmarks, and it imports nothing from the other backend,
graph.queries, loaders/ or api/.
"""

from graph.neo4j.store import Neo4jStore

__all__ = ["Neo4jStore"]
