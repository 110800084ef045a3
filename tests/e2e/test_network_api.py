"""networkAnalytics and kShortestPaths over HTTP on the trap bundle: values, and the refusals' codes."""

from __future__ import annotations

from tests.e2e.conftest import GraphQLClient

ANALYTICS = """
query($ids: [ID!], $anchor: ID, $depth: Int! = 1, $exclude: [String!]) {
  networkAnalytics(nodeIds: $ids, anchor: $anchor, depth: $depth, excludeKinds: $exclude) {
    nodeCount edgeCount communityCount maxCore betweennessPivots seed
    nodes { id degree betweenness coreNumber community }
    json
  }
}
"""

PATHS = """
query($from: ID!, $to: ID!, $k: Int! = 5, $exclude: [String!], $vf: Date, $vt: Date) {
  kShortestPaths(from: $from, to: $to, k: $k, maxHops: 4, excludeKinds: $exclude, validFrom: $vf, validTo: $vt) {
    truncated
    paths { length nodeIds edges { id type source target properties } }
    subgraph { nodes { id label } edges { id } }
  }
}
"""


def test_analytics_of_zhang_weis_neighbourhood(trap: GraphQLClient) -> None:
    got = trap.data(ANALYTICS, {"anchor": "OFF-ZW"})["networkAnalytics"]
    assert (got["nodeCount"], got["edgeCount"], got["communityCount"], got["maxCore"]) == (7, 8, 2, 2)
    assert got["betweennessPivots"] is None and got["seed"] == 2023
    zw = next(n for n in got["nodes"] if n["id"] == "OFF-ZW")
    assert zw["degree"] == 6 and round(zw["betweenness"], 4) == 0.8333 and zw["community"] == 0
    assert got["json"]["CASE-1"] == {
        "degree": 3,
        "betweenness": got["json"]["CASE-1"]["betweenness"],
        "core": 2,
        "community": 1,
    }
    on_screen = trap.data(ANALYTICS, {"ids": ["OFF-ZW", "CASE-1", "M-2"]})["networkAnalytics"]
    assert (on_screen["nodeCount"], on_screen["edgeCount"]) == (3, 3)


def test_analytics_refusals(trap: GraphQLClient) -> None:
    too_many = trap.post(ANALYTICS, {"ids": [f"N-{i}" for i in range(5001)]})
    assert [e["extensions"]["code"] for e in too_many["errors"]] == ["QUERY_TOO_COMPLEX"]
    assert "上限 5000 个" in too_many["errors"][0]["message"]
    assert trap.error_codes(ANALYTICS, {}) == ["BAD_USER_INPUT"]
    assert trap.error_codes(ANALYTICS, {"anchor": "NO-SUCH"}) == ["NOT_FOUND"]
    assert trap.error_codes(ANALYTICS, {"anchor": "OFF-ZW", "exclude": ["KNOWS"]}) == ["BAD_USER_INPUT"]
    assert trap.error_codes(ANALYTICS, {"anchor": "OFF-ZW", "depth": 9}) == ["BAD_USER_INPUT"]


def test_k_shortest_paths_with_a_window(trap: GraphQLClient) -> None:
    got = trap.data(PATHS, {"from": "OFF-ZW", "to": "OFF-LN"})["kShortestPaths"]
    assert [p["length"] for p in got["paths"]] == [2, 4, 4]
    assert got["paths"][0]["nodeIds"] == ["OFF-ZW", "ORG-CG-TRAFFIC", "OFF-LN"]
    assert got["paths"][0]["edges"][1]["properties"]["start"] == "2023-03-11"
    assert not got["truncated"]
    windowed = trap.data(PATHS, {"from": "OFF-ZW", "to": "OFF-LN", "vt": "2023-03-10"})["kShortestPaths"]
    assert [p["nodeIds"] for p in windowed["paths"]] == [["OFF-ZW", "ORG-CG-TRAFFIC", "ISS-1", "STEP-1", "OFF-LN"]]
    assert [n["label"] for n in windowed["subgraph"]["nodes"]][:2] == ["张伟", "李娜"]
    assert trap.error_codes(PATHS, {"from": "OFF-ZW", "to": "OFF-LN", "k": 0}) == ["BAD_USER_INPUT"]
    assert trap.error_codes(PATHS, {"from": "OFF-ZW", "to": "NO-SUCH"}) == ["NOT_FOUND"]
    assert trap.error_codes(PATHS, {"from": "OFF-ZW", "to": "OFF-LN", "vf": "2023-05-01", "vt": "2023-01-01"}) == [
        "BAD_USER_INPUT"
    ]
