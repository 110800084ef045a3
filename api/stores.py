"""Open the configured store: the one place that chooses a backend from settings."""

from __future__ import annotations

from api.settings import Settings
from graph.port import GraphStore


def open_store(settings: Settings) -> GraphStore:
    """The embedded LadybugDB store under ``data_dir``, or a Neo4j store per the neo4j_* settings."""
    if settings.backend == "neo4j":
        from graph.neo4j import Neo4jStore

        return Neo4jStore(
            uri=settings.neo4j_uri,
            user=settings.neo4j_user,
            password=settings.neo4j_password,
            database=settings.neo4j_database,
        )
    from graph.ladybug import LadybugStore

    return LadybugStore(settings.data_dir)
