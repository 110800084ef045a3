"""Every CONTRACT §3 query over HTTP on the small demo, checked against an independent oracle.

The oracle (demo_oracle.py) computes the same answers from the generated rows with schema.rules,
without the store; the campaign's figures are also checked against ``loaders.demo.EXPECTED``.
"""

from __future__ import annotations

from datetime import date

import pytest

from loaders.demo import EXPECTED, PROVINCIAL_COMMISSION_ID, ROAD_TRAFFIC_CAMPAIGN_ID, generate
from tests.e2e.conftest import GraphQLClient
from tests.e2e.demo_oracle import DemoOracle

AS_OF = date(2024, 6, 30)


@pytest.fixture(scope="module")
def oracle() -> DemoOracle:
    return DemoOracle(generate("small"))


def test_four_forms_of_the_road_traffic_campaign(demo: GraphQLClient, oracle: DemoOracle) -> None:
    got = demo.data(
        """query($c: ID!) { fourForms(filter: {campaignId: $c}) {
        form1 form2 form3 form4 heldAccountable sanctioned partySanctioned govSanctioned
        transferredToDiscipline transferredToJudicial exposedCases } }""",
        {"c": ROAD_TRAFFIC_CAMPAIGN_ID},
    )
    expected = EXPECTED["small"]
    figures = got["fourForms"]
    assert figures == oracle.campaign_four_forms(ROAD_TRAFFIC_CAMPAIGN_ID)
    assert (
        figures["heldAccountable"],
        figures["sanctioned"],
        figures["transferredToDiscipline"],
        figures["transferredToJudicial"],
        figures["exposedCases"],
    ) == (
        expected["campaign_held_accountable"],
        expected["campaign_sanctioned"],
        expected["campaign_transferred_to_discipline"],
        expected["campaign_transferred_to_judicial"],
        expected["campaign_exposed_cases"],
    )


def test_every_chain(demo: GraphQLClient, oracle: DemoOracle) -> None:
    query = """query($id: ID!, $asOf: Date) { chain(issueId: $id, asOf: $asOf) {
        organisation { id } responsible { official { id } kind basis } steps { id } cases { id }
        measures { id form subject { id } } transfers { id } exposures { id } stage
        overdue { kind due daysOver node { id } } } }"""
    issues = sorted(oracle.nodes("Issue"))
    assert issues
    for issue in issues:
        got = demo.data(query, {"id": issue, "asOf": AS_OF.isoformat()})["chain"]
        assert got == oracle.chain(issue, AS_OF), issue


def test_official_posts_at_dates(demo: GraphQLClient, oracle: DemoOracle) -> None:
    principals = sorted({r["from"] for r in oracle.rel("HELD_POST") if r["post_kind"].endswith("principal")})[:40]
    query = """query($id: ID!, $on: Date) { official(id: $id) { id kind label name
        all: posts { organisation { id } title postKind acting start end }
        then: posts(on: $on) { organisation { id } } } }"""
    officials = oracle.nodes("Official")
    for official in principals:
        got = demo.data(query, {"id": official, "on": "2023-06-30"})["official"]
        assert got["kind"] == "Official" and got["label"] == got["name"] == officials[official]["name"]
        assert got["all"] == [{**p, "organisation": {"id": p["organisation"]}} for p in oracle.posts(official)]
        assert got["then"] == [
            {"organisation": {"id": p["organisation"]}} for p in oracle.posts(official, date(2023, 6, 30))
        ]


def test_official_timeline_and_chains(demo: GraphQLClient, oracle: DemoOracle) -> None:
    subjects = sorted({s for s in (r["to"] for r in oracle.rel("APPLIES_TO")) if oracle.kind_of[s] == "Official"})
    query = """query($id: ID!) { official(id: $id) { timeline { date kind node { id } }
        chains { issue { id } } measures { id } } }"""
    for official in subjects:
        got = demo.data(query, {"id": official})["official"]
        dates = [e["date"] for e in got["timeline"]]
        assert dates == sorted(dates)
        measures = sorted(m for m in oracle.into("APPLIES_TO", official))
        assert sorted(e["node"]["id"] for e in got["timeline"] if e["kind"] == "measure") == measures
        assert sorted(m["id"] for m in got["measures"]) == measures
        starts = [p["start"] for p in oracle.posts(official) if p["start"]]
        assert [e["date"] for e in got["timeline"] if e["kind"] == "post_start"] == sorted(starts)
        subject_issues = {
            i
            for i in oracle.nodes("Issue")
            if any(
                official in oracle.out("CONCERNS", c)
                or any(official in oracle.out("APPLIES_TO", m) for m in oracle.out("DECIDED", c))
                for c in oracle.cases_of_issue(i)
            )
        }
        assert subject_issues <= {c["issue"]["id"] for c in got["chains"]}


def test_organisation_principals_at(demo: GraphQLClient, oracle: DemoOracle) -> None:
    query = """query($id: ID!) { organisation(id: $id) { id kind label name
        a: principalsAt(on: "2018-06-30") { id } b: principalsAt(on: "2023-03-31") { id }
        c: principalsAt(on: "2024-01-26") { id } } }"""
    for org, row in sorted(oracle.nodes("Organisation").items()):
        got = demo.data(query, {"id": org})["organisation"]
        assert (got["kind"], got["label"], got["name"]) == ("Organisation", row["name"], row["name"])
        for key, on in (("a", date(2018, 6, 30)), ("b", date(2023, 3, 31)), ("c", date(2024, 1, 26))):
            assert got[key] == [{"id": o} for o in oracle.principals_at(org, on)], (org, on)


def test_issue_and_node(demo: GraphQLClient, oracle: DemoOracle) -> None:
    query = """query($id: ID!) { issue(id: $id) { id kind label summary status organisation { id }
        inspection { id } cases { id } }  node(id: $id) { id kind label } }"""
    status = {s.upper() for s in ("open", "rectifying", "rectified", "verified", "reopened")}
    for issue, row in sorted(oracle.nodes("Issue").items()):
        got = demo.data(query, {"id": issue})
        i = got["issue"]
        assert (i["id"], i["kind"], i["label"], i["summary"]) == (issue, "Issue", row["summary"], row["summary"])
        assert i["status"] in status and i["status"] == row["status"].upper()
        assert i["organisation"] == {"id": oracle.out("AT", issue)[0]}
        assert i["inspection"] == {"id": oracle.into("FOUND", issue)[0]}
        assert i["cases"] == [{"id": c} for c in oracle.cases_of_issue(issue)]
        assert got["node"] == {"id": issue, "kind": "Issue", "label": row["summary"]}


def test_neighbourhood_of_every_issue(demo: GraphQLClient, oracle: DemoOracle) -> None:
    query = """query($id: ID!) {
        neighbourhood(id: $id, depth: 1, limit: 500) { nodes { id } edges { source target } truncated } }"""
    for issue in sorted(oracle.nodes("Issue")):
        got = demo.data(query, {"id": issue})["neighbourhood"]
        assert got["truncated"] is False
        assert got["nodes"][0] == {"id": issue}
        assert {n["id"] for n in got["nodes"][1:]} == oracle.neighbours(issue)
        assert all(issue in (e["source"], e["target"]) for e in got["edges"])


def test_search_finds_officials_by_name_and_pinyin(demo: GraphQLClient, oracle: DemoOracle) -> None:
    officials = oracle.nodes("Official")
    names = sorted({r["name"] for r in officials.values() if len(r["name"]) == 2})[:10]
    assert names
    for name in names:
        ids = sorted(i for i, r in officials.items() if r["name"] == name)
        found = demo.data("query($t: String!) { search(text: $t, first: 50) { id kind label } }", {"t": name})["search"]
        # Exact matches come first (ties by id); two-character names work.
        assert [f["id"] for f in found[: len(ids)]] == ids
        assert all(f == {"id": i, "kind": "Official", "label": name} for f, i in zip(found, ids, strict=False))


def test_duty_report_and_training_figures(demo: GraphQLClient) -> None:
    expected = EXPECTED["small"]
    data = demo.data("""{ dutyReportStats(year: 2023) { reporters byRole { value count }
                            reviewedBy { organisation { id } reporters } }
                          studyStats(from: "2023-01-01", to: "2023-12-31") { attendees
                            byKind { studyEventKind events } } }""")
    duty = data["dutyReportStats"]
    assert duty["reporters"] == expected["duty_reporters"]
    roles = {r["value"]: r["count"] for r in duty["byRole"]}
    assert roles == {
        "市县党政主要负责人及班子成员": expected["reporters_city_county"],
        "省市县部门主要负责人及班子成员": expected["reporters_departments"],
        "乡镇（街道）党政主要负责人": expected["reporters_township"],
        "其他述法主体": expected["reporters_other"],
    }
    by_reviewer = {r["organisation"]["id"]: r["reporters"] for r in duty["reviewedBy"]}
    assert by_reviewer[PROVINCIAL_COMMISSION_ID] == expected["reviewed_principals"]
    study = data["studyStats"]
    assert study["attendees"] == expected["trained_officials"]
    kinds = {k["studyEventKind"]: k["events"] for k in study["byKind"]}
    assert (kinds["TRAINING_COURSE"], kinds["LECTURE"]) == (expected["training_courses"], expected["lectures"])
