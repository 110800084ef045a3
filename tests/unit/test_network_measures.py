"""The measures of graph/queries/analytics.measure on graphs whose answers are known by hand."""

from __future__ import annotations

import networkx as nx
import pytest

from graph.queries import analytics


def test_a_path_of_five() -> None:
    graph = nx.path_graph(["a", "b", "c", "d", "e"])
    result = analytics.measure(graph, 4)
    # c lies on the shortest paths of 4 of the 6 pairs of the other nodes; b and d on 3.
    assert {m.id: round(m.betweenness, 4) for m in result.nodes} == {
        "a": 0.0,
        "b": 0.5,
        "c": round(4 / 6, 4),
        "d": 0.5,
        "e": 0.0,
    }
    assert {m.id: m.degree for m in result.nodes} == {"a": 1, "b": 2, "c": 2, "d": 2, "e": 1}
    assert result.max_core == 1 and result.betweenness_pivots is None


def test_two_cliques_joined_by_one_edge_are_two_communities() -> None:
    graph = nx.Graph()
    left, right = [f"L{i}" for i in range(5)], [f"R{i}" for i in range(5)]
    graph.add_edges_from((a, b) for group in (left, right) for i, a in enumerate(group) for b in group[i + 1 :])
    graph.add_edge("L0", "R0")
    result = analytics.measure(graph, graph.number_of_edges())
    assert result.communities == 2
    assert {m.community for m in result.nodes if m.id.startswith("L")} != {
        m.community for m in result.nodes if m.id.startswith("R")
    }
    assert result.max_core == 4  # a 5-clique is a 4-core
    assert result.modularity == pytest.approx(0.4523809, abs=1e-6)


def test_betweenness_is_sampled_above_the_exact_size_with_a_fixed_seed() -> None:
    graph = nx.barabasi_albert_graph(analytics.EXACT_BETWEENNESS_NODES + 50, 2, seed=1)
    graph = nx.relabel_nodes(graph, {i: f"N{i:04d}" for i in graph})
    first = analytics.measure(graph, graph.number_of_edges())
    assert first.betweenness_pivots == analytics.pivots_for(graph.number_of_nodes()) == 1451
    assert (analytics.pivots_for(1500), analytics.pivots_for(1501), analytics.pivots_for(5000)) == (None, 1499, 450)
    assert first == analytics.measure(graph, graph.number_of_edges())


@pytest.mark.parametrize("pivots", [None, 40, 150])
def test_betweenness_is_networkxs_exact_or_sampled_answer(pivots: int | None) -> None:
    # igraph computes it; the numbers are networkx's: same pivots drawn with the seed, same scaling.
    graph = nx.relabel_nodes(nx.barabasi_albert_graph(300, 2, seed=7), lambda i: f"V{i:03d}")
    graph.add_edges_from([("X1", "X2"), ("X2", "X3")])  # a second component
    ours = analytics.betweenness(graph, pivots)
    theirs = nx.betweenness_centrality(graph, k=pivots, normalized=True, seed=analytics.SEED)
    assert ours.keys() == theirs.keys()
    assert max(abs(ours[v] - theirs[v]) for v in graph) < 1e-12
    if pivots is None:  # X2 is on the one shortest path of 1 of the 302·301/2 pairs of the other nodes
        assert ours["X2"] == pytest.approx(2 / (302 * 301))


def test_louvain_finds_planted_communities_as_well_as_networkx() -> None:
    graph = nx.planted_partition_graph(8, 40, 0.3, 0.01, seed=3)
    graph = nx.relabel_nodes(graph, lambda i: f"P{i:03d}")
    result = analytics.measure(graph, graph.number_of_edges())
    theirs = nx.community.louvain_communities(graph, seed=analytics.SEED)
    assert result.communities == len(theirs) == 8
    assert result.modularity == pytest.approx(nx.community.modularity(graph, theirs), abs=1e-9)
    # The modularity reported is that of the communities reported.
    ours = [[m.id for m in result.nodes if m.community == c] for c in range(result.communities)]
    assert result.modularity == pytest.approx(nx.community.modularity(graph, ours), abs=1e-9)
    assert [len(c) for c in ours] == [40] * 8
    assert {m.id: m.core_number for m in result.nodes} == nx.core_number(graph)


def test_an_empty_subgraph_has_no_measures() -> None:
    assert analytics.measure(nx.Graph(), 0) == analytics.Analytics([], 0, 0, 0.0, 0, None)
