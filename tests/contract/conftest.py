"""One ``store`` fixture for every backend: the in-memory store and the embedded engine always, Neo4j
when WENZE_NEO4J_URI is set."""

from __future__ import annotations

import os

import pytest

from graph.ladybug import LadybugStore
from graph.memory_store import MemoryStore


def neo4j_settings() -> dict[str, str] | None:
    uri = os.environ.get("WENZE_NEO4J_URI")
    if not uri:
        return None
    return {
        "uri": uri,
        "user": os.environ.get("WENZE_NEO4J_USER", "neo4j"),
        "password": os.environ.get("WENZE_NEO4J_PASSWORD", ""),
        "database": os.environ.get("WENZE_NEO4J_DATABASE", "neo4j"),
    }


@pytest.fixture(params=["memory", "embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request, tmp_path):
    if request.param == "memory":
        s = MemoryStore()
    elif request.param == "embedded":
        s = LadybugStore(tmp_path / "store")
    else:
        cfg = neo4j_settings()
        if cfg is None:
            pytest.skip("WENZE_NEO4J_URI is not set (start one with scripts/neo4j-dev start)")
        from graph.neo4j import Neo4jStore

        s = Neo4jStore(**cfg)
        s.clear()
    yield s
    s.close()
