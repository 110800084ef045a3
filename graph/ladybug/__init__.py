"""The embedded backend: ``LadybugStore``, the storage port on a LadybugDB database on disk.

    from graph.ladybug import LadybugStore
    store = LadybugStore(Path("wenze-data"))

What the package holds, each module depending only on those above it:

    cypher   every Cypher text, built from schema/ (labels, types and property names checked, values
             parameters), the DDL of each kind included
    errors   ``engine_errors``: what the engine raises becomes ``graph.errors``, in one place
    recovery opening after a torn write (the log set aside in quarantine/), the free-space check
             before a write, and what to say after a failed one
    updates  the update half of a write: only the stored rows whose values differ, set-based (LOAD FROM)
    store    ``LadybugStore``: writes (COPY and updates in one transaction) and reads on the primary keys
    backup   ``wenze backup`` / ``wenze restore``: a consistent copy with a verified manifest

Only ``LadybugStore`` is public. The package may import the engine (``ladybug``), pyarrow, schema/
and graph's shared modules (``graph.port``, ``graph.errors``, ``graph.columns``); nothing outside it
imports its modules but tests and benchmarks, and it imports nothing from the other backend,
graph.queries, loaders/ or api/.
"""

from graph.ladybug.store import LadybugStore

__all__ = ["LadybugStore"]
