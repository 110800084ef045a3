"""`wenze export` from one backend and `wenze load` into the other give the same graph, both ways."""

from __future__ import annotations

import pytest

from graph.ladybug import LadybugStore
from loaders import export_bundle, load
from tests.contract.bundles import GOOD, snapshot, write_bundle
from tests.contract.conftest import neo4j_settings


@pytest.mark.neo4j
@pytest.mark.parametrize("direction", ["embedded→neo4j", "neo4j→embedded"])
def test_export_from_one_backend_loads_into_the_other(tmp_path, direction):
    cfg = neo4j_settings()
    if cfg is None:
        pytest.skip("WENZE_NEO4J_URI is not set")
    from graph.neo4j import Neo4jStore
    from loaders.demo import generate

    embedded = LadybugStore(tmp_path / "embedded")
    neo4j = Neo4jStore(**cfg)
    neo4j.clear()
    try:
        source, target = (embedded, neo4j) if direction == "embedded→neo4j" else (neo4j, embedded)
        load(source, generate("small"))
        load(source, write_bundle(tmp_path / "traps", GOOD))
        export_bundle(source, tmp_path / "export")
        load(target, tmp_path / "export")
        assert snapshot(target) == snapshot(source)
        assert target.count_nodes() == source.count_nodes() > 100
    finally:
        embedded.close()
        neo4j.clear()
        neo4j.close()
