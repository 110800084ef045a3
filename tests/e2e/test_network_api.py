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


EXPAND = """
query($id: ID!, $visible: Int! = 0, $cap: Int, $kinds: [String!], $vf: Date, $vt: Date) {
  expandNode(id: $id, visible: $visible, cap: $cap, kinds: $kinds, validFrom: $vf, validTo: $vt) {
    capped message cap visible wouldAdd
    subgraph { nodes { id } edges { id } }
    aggregate { nodeId neighbourCount relationshipCount atLeast
      byKind { key label count } byRelationship { key label count } byRegion { key label count } }
  }
}
"""


def test_expand_within_the_cap_gives_the_subgraph(trap: GraphQLClient) -> None:
    got = trap.data(EXPAND, {"id": "OFF-ZW", "visible": 10, "cap": 30})["expandNode"]
    assert (got["capped"], got["message"], got["aggregate"], got["wouldAdd"]) == (False, "", None, 12)
    assert sorted(n["id"] for n in got["subgraph"]["nodes"]) == [
        "CASE-1",
        "DR-1",
        "M-2",
        "M-3",
        "OFF-ZW",
        "ORG-CG-TRAFFIC",
        "SE-1",
    ]
    assert len(got["subgraph"]["edges"]) == 6
    # Only his posts, and none of them valid before 2020 (张伟 held the bureau post from 2020-01-01).
    posts = trap.data(EXPAND, {"id": "OFF-ZW", "kinds": ["HELD_POST"]})["expandNode"]
    assert [e["id"] for e in posts["subgraph"]["edges"]] == ["HELD_POST|OFF-ZW|ORG-CG-TRAFFIC|2020-01-01"]
    early = trap.data(EXPAND, {"id": "OFF-ZW", "kinds": ["HELD_POST"], "vt": "2019-12-31"})["expandNode"]
    assert early["subgraph"]["edges"] == [] and early["wouldAdd"] == 0


def test_past_the_cap_the_server_counts_instead(trap: GraphQLClient) -> None:
    # 张伟's 6 neighbours and 6 relationships: 12 elements, past a cap of 15 with 5 already shown.
    got = trap.data(EXPAND, {"id": "OFF-ZW", "visible": 5, "cap": 15})["expandNode"]
    assert (got["capped"], got["subgraph"], got["wouldAdd"], got["cap"], got["visible"]) == (True, None, 12, 15, 5)
    assert got["message"].startswith("展开将新增12 个元素，画面已有 5 个，超过上限 15 个")
    agg = got["aggregate"]
    assert (agg["nodeId"], agg["neighbourCount"], agg["relationshipCount"], agg["atLeast"]) == ("OFF-ZW", 6, 6, False)
    assert agg["byKind"][0] == {"key": "Measure", "label": "处置措施", "count": 2}
    assert sum(c["count"] for c in agg["byKind"]) == 6 and len(agg["byKind"]) == 5
    assert sum(c["count"] for c in agg["byRelationship"]) == 6
    # Every one of his neighbours lies in 城关区 (the bureau's home region; the others' jurisdiction).
    assert agg["byRegion"] == [{"key": "620102", "label": "城关区", "count": 6}]


def test_expand_refusals(trap: GraphQLClient) -> None:
    assert trap.error_codes(EXPAND, {"id": "NO-SUCH"}) == ["NOT_FOUND"]
    assert trap.error_codes(EXPAND, {"id": "OFF-ZW", "cap": 5001}) == ["BAD_USER_INPUT"]
    assert trap.error_codes(EXPAND, {"id": "OFF-ZW", "visible": -1}) == ["BAD_USER_INPUT"]
    assert trap.error_codes(EXPAND, {"id": "OFF-ZW", "kinds": ["KNOWS"]}) == ["BAD_USER_INPUT"]


SUPERIORS = """query($issue: ID!) { superiorsInOffice(issue: $issue) {
  officialId officialName organisationId organisationName title acting start end on via } }"""


def test_superiors_in_office_when_the_issue_happened(trap: GraphQLClient) -> None:
    got = trap.data(SUPERIORS, {"issue": "ISS-1"})["superiorsInOffice"]
    assert got == [
        {
            "officialId": "OFF-CM",
            "officialName": "陈明",
            "organisationId": "ORG-LZ-GOV",
            "organisationName": "兰州市人民政府",
            "title": "市长",
            "acting": False,
            "start": "2023-03-01",
            "end": None,
            "on": "2023-03-10",
            "via": "region",
        }
    ]
    assert trap.data(SUPERIORS, {"issue": "ISS-4"})["superiorsInOffice"] == []
    assert trap.data(SUPERIORS, {"issue": "OFF-ZW"})["superiorsInOffice"] is None
