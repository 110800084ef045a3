"""Network analytics and constrained k-shortest paths (graph/queries/analytics.py) on every backend,
over the trap bundle (tests/e2e/trap_bundle.py). Values are exact; each test says why."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import loaders
from graph.port import GraphStore
from graph.queries import analytics
from tests.e2e.trap_bundle import write_bundle


@pytest.fixture
def trap(store: GraphStore, tmp_path: Path) -> GraphStore:
    loaders.load(store, write_bundle(tmp_path / "trap"))
    return store


def test_measures_of_zhang_weis_neighbourhood(trap: GraphStore) -> None:
    # 张伟 and his 6 neighbours; besides his 6 relationships, CASE-1 DECIDED M-2 and M-3.
    result = analytics.analyse(trap, anchor="OFF-ZW", depth=1)
    assert [m.id for m in result.nodes] == ["CASE-1", "DR-1", "M-2", "M-3", "OFF-ZW", "ORG-CG-TRAFFIC", "SE-1"]
    assert result.edge_count == 8
    assert result.betweenness_pivots is None
    zw = result.of("OFF-ZW")
    assert zw is not None
    # 12 of the 15 pairs of neighbours meet only through him, and M-2–M-3 half the time (via CASE-1 too).
    assert zw.degree == 6 and zw.betweenness == pytest.approx(12.5 / 15)
    case = result.of("CASE-1")
    assert case is not None and case.degree == 3 and case.betweenness == pytest.approx(0.5 / 15)
    # The triangle CASE-1, M-2, M-3 plus 张伟 is a 2-core; the leaves are 1-cores.
    assert {m.id: m.core_number for m in result.nodes} == {
        "CASE-1": 2,
        "DR-1": 1,
        "M-2": 2,
        "M-3": 2,
        "OFF-ZW": 2,
        "ORG-CG-TRAFFIC": 1,
        "SE-1": 1,
    }
    assert result.max_core == 2
    # Louvain (fixed seed): the case and its two measures apart from 张伟's other ties; largest first.
    groups: dict[int, list[str]] = {}
    for m in result.nodes:
        groups.setdefault(m.community, []).append(m.id)
    assert groups == {0: ["DR-1", "OFF-ZW", "ORG-CG-TRAFFIC", "SE-1"], 1: ["CASE-1", "M-2", "M-3"]}
    assert result.communities == 2
    assert result.modularity == pytest.approx(0.1171875)


def test_given_nodes_are_measured_on_the_links_among_them(trap: GraphStore) -> None:
    # Only the edges among the given nodes count (the links revealed among what is on screen);
    # absent ids are left out.
    result = analytics.analyse(trap, ids=["OFF-ZW", "CASE-1", "M-2", "NO-SUCH-NODE"])
    assert [m.id for m in result.nodes] == ["CASE-1", "M-2", "OFF-ZW"]
    assert result.edge_count == 3 and {m.degree for m in result.nodes} == {2}
    assert result.communities == 1 and result.max_core == 2
    # Excluding CONCERNS and APPLIES_TO leaves CASE-1 DECIDED M-2 and 张伟 alone.
    cut = analytics.analyse(trap, ids=["OFF-ZW", "CASE-1", "M-2"], exclude=["CONCERNS", "APPLIES_TO"])
    assert cut.edge_count == 1 and {m.id: m.degree for m in cut.nodes} == {"CASE-1": 1, "M-2": 1, "OFF-ZW": 0}


def test_the_same_subgraph_gives_the_same_communities(trap: GraphStore) -> None:
    first = analytics.analyse(trap, anchor="OFF-ZW", depth=3)
    again = analytics.analyse(trap, anchor="OFF-ZW", depth=3)
    assert first == again
    assert len(first.nodes) == 33 and first.edge_count == 50 and first.communities == 5


def test_too_many_nodes_are_refused_before_anything_is_read(trap: GraphStore) -> None:
    with pytest.raises(analytics.SubgraphTooLarge, match="5001 个，上限 5000 个"):
        analytics.analyse(trap, ids=[f"N-{i}" for i in range(5001)])
    with pytest.raises(LookupError):
        analytics.analyse(trap, anchor="NO-SUCH-NODE")
    with pytest.raises(ValueError, match="unknown relationship kinds: \\['KNOWS'\\]"):
        analytics.analyse(trap, ids=["OFF-ZW"], exclude=["KNOWS"])


def test_k_shortest_paths_between_two_officials(trap: GraphStore) -> None:
    found = analytics.k_shortest_paths(trap, "OFF-ZW", "OFF-LN", k=5, max_hops=4)
    assert found is not None and not found.truncated
    # Shortest: both held posts at 城关区交通运输局 (李娜 twice: acting, then 局长); then via 王强 and CASE-1;
    # then through the issue and 李娜's instruction step.
    assert [[e.id for e in p] for p in found.paths] == [
        [
            "HELD_POST|OFF-ZW|ORG-CG-TRAFFIC|2020-01-01",
            "HELD_POST|OFF-LN|ORG-CG-TRAFFIC|2023-03-11",
            "HELD_POST|OFF-LN|ORG-CG-TRAFFIC|2023-07-01",
        ],
        [
            "CONCERNS|CASE-1|OFF-ZW",
            "CONCERNS|CASE-1|OFF-WQ",
            "HELD_POST|OFF-WQ|ORG-CG-TRAFFIC|2019-05-01",
            "HELD_POST|OFF-LN|ORG-CG-TRAFFIC|2023-03-11",
            "HELD_POST|OFF-LN|ORG-CG-TRAFFIC|2023-07-01",
        ],
        [
            "HELD_POST|OFF-ZW|ORG-CG-TRAFFIC|2020-01-01",
            "AT|ISS-1|ORG-CG-TRAFFIC",
            "HAS_STEP|ISS-1|STEP-1",
            "BY|STEP-1|OFF-LN",
        ],
    ]
    one = analytics.k_shortest_paths(trap, "OFF-ZW", "OFF-LN", k=1, max_hops=4)
    assert one is not None and len(one.paths) == 1 and one.truncated  # more than k exist


def test_paths_respect_the_window_and_excluded_kinds(trap: GraphStore) -> None:
    # Up to 2023-03-10 李娜 held no post at the bureau (she started there on 03-11): only the step remains.
    found = analytics.k_shortest_paths(trap, "OFF-ZW", "OFF-LN", k=5, max_hops=4, window=(None, date(2023, 3, 10)))
    assert found is not None
    assert [[e.type for e in p] for p in found.paths] == [["HELD_POST", "AT", "HAS_STEP", "BY"]]
    # From 2023-03-11 on, 张伟's post had ended: the path goes through 王强 and the case.
    later = analytics.k_shortest_paths(trap, "OFF-ZW", "OFF-LN", k=5, max_hops=4, window=(date(2023, 3, 11), None))
    assert later is not None
    assert [p[0].id for p in later.paths] == ["CONCERNS|CASE-1|OFF-ZW"]
    none = analytics.k_shortest_paths(trap, "OFF-ZW", "OFF-LN", k=5, max_hops=4, exclude=["HELD_POST"])
    assert none is not None and none.paths == []
    assert analytics.k_shortest_paths(trap, "OFF-ZW", "NO-SUCH", k=5) is None
    sub = analytics.paths_subgraph(trap, found, ["OFF-ZW", "OFF-LN"])
    assert [n["id"] for n in sub.nodes] == ["OFF-ZW", "OFF-LN", "ORG-CG-TRAFFIC", "ISS-1", "STEP-1"]
    assert sub.labels["OFF-LN"] == "李娜" and len(sub.edges) == 4


def test_links_among_what_is_on_screen(trap: GraphStore) -> None:
    # 张伟, 王强 and CASE-1: the case CONCERNS both; the two officials share no relationship directly.
    sub = analytics.links_among(trap, ["OFF-ZW", "OFF-WQ", "CASE-1", "NO-SUCH"])
    assert [n["id"] for n in sub.nodes] == ["OFF-ZW", "OFF-WQ", "CASE-1"]
    assert [e.id for e in sub.edges] == ["CONCERNS|CASE-1|OFF-WQ", "CONCERNS|CASE-1|OFF-ZW"]
    assert analytics.links_among(trap, ["OFF-ZW", "OFF-WQ", "CASE-1"], exclude=["CONCERNS"]).edges == []
