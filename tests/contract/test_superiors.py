"""Superiors in office when an issue happened (graph/queries/superiors.py), on every backend, over the trap
bundle (tests/e2e/trap_bundle.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import loaders
from graph.port import GraphStore
from graph.queries.superiors import superiors_for
from tests.e2e.trap_bundle import write_bundle


@pytest.fixture
def trap(store: GraphStore, tmp_path: Path) -> GraphStore:
    loaders.load(store, write_bundle(tmp_path / "trap"))
    return store


def test_the_mayor_in_office_on_the_day_is_above_the_bureau(trap: GraphStore) -> None:
    # ISS-1 occurred 2023-03-10 at 城关区交通运输局, UNDER 城关区人民政府, which has no principal posts; that
    # government lies in 城关区, PART_OF 兰州市, whose government 陈明 led as 市长 from 2023-03-01 (acting
    # from 01-10). 刘强 had left on 2023-01-09.
    found = superiors_for(trap, "ISS-1")
    assert found is not None
    assert [(s.official, s.organisation, s.via, s.on) for s in found] == [
        ("OFF-CM", "ORG-LZ-GOV", "region", date(2023, 3, 10))
    ]
    assert (found[0].post.title, found[0].post.start, found[0].post.acting) == ("市长", date(2023, 3, 1), False)


def test_the_acting_mayor_counts_and_no_superior_above_the_top(trap: GraphStore) -> None:
    # ISS-4 occurred 2023-02-01 at 嘉峪关市公安局 (a department without UNDER): the governing bodies of its own
    # region 620200 — none — so nothing; ISS-3 is at 兰州市人民政府 whose region's parent (the province) has
    # no government in the bundle.
    assert superiors_for(trap, "ISS-4") == []
    assert superiors_for(trap, "ISS-3") == []
    assert superiors_for(trap, "OFF-ZW") is None
    assert superiors_for(trap, "NO-SUCH") is None
