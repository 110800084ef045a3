"""The full Gansu demo with its caseload, on both engines: the seed's figures in the store and over HTTP,
obtained by query (slow: 3.75 M rows to load)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from loaders.demo import EXPECTED, PROVINCIAL_COMMISSION_ID, ROAD_TRAFFIC_CAMPAIGN_ID
from tests.contract.test_demo_figures import check_figures
from tests.e2e.conftest import GraphQLClient, Servers

pytestmark = pytest.mark.slow


@pytest.fixture
def full(servers: Servers, backend: str) -> Iterator[GraphQLClient]:
    """The full demo on each backend (on Neo4j loaded by `wenze demo --scale full`)."""
    yield GraphQLClient(servers.get(backend, "full").url)


def test_the_store_holds_every_seed_figure(servers: Servers, backend: str) -> None:
    """Counted through the port on the store the server answers from (what the contract tests check
    on the small demo, here at full scale). On Neo4j only every node and relationship is counted: the
    scans behind the figures took two minutes over Bolt there, and the tests below ask Neo4j for the
    seed's figures through GraphQL."""
    check_figures(servers.get(backend, "full").store, "full", figures=backend != "neo4j")


def test_road_traffic_campaign_figures(full: GraphQLClient) -> None:
    data = full.data(
        """query($c: ID!) { fourForms(filter: {campaignId: $c}) {
            heldAccountable sanctioned transferredToDiscipline transferredToJudicial exposedCases } }""",
        {"c": ROAD_TRAFFIC_CAMPAIGN_ID},
    )
    # The seed: 267 held accountable, 30 sanctioned, 37 to discipline organs, 3 to judicial organs, 18 exposed.
    assert data["fourForms"] == {
        "heldAccountable": 267,
        "sanctioned": 30,
        "transferredToDiscipline": 37,
        "transferredToJudicial": 3,
        "exposedCases": 18,
    }


def test_duty_report_figures(full: GraphQLClient) -> None:
    expected = EXPECTED["full"]
    duty = full.data("""{ dutyReportStats(year: 2023) { reporters byRole { value count }
                           reviewedBy { organisation { id } reporters } } }""")["dutyReportStats"]
    assert duty["reporters"] == expected["duty_reporters"] == 34_144
    assert {r["value"]: r["count"] for r in duty["byRole"]} == {
        "市县党政主要负责人及班子成员": 1_791,
        "省市县部门主要负责人及班子成员": 20_176,
        "乡镇（街道）党政主要负责人": 5_565,
        "其他述法主体": 6_612,
    }
    reviewed = {r["organisation"]["id"]: r["reporters"] for r in duty["reviewedBy"]}
    assert reviewed[PROVINCIAL_COMMISSION_ID] == expected["reviewed_principals"] == 61


def test_training_figures(full: GraphQLClient) -> None:
    expected = EXPECTED["full"]
    study = full.data("""{ studyStats(from: "2023-01-01", to: "2023-12-31") { attendees
                           byKind { studyEventKind events } } }""")["studyStats"]
    kinds = {k["studyEventKind"]: k["events"] for k in study["byKind"]}
    assert study["attendees"] == expected["trained_officials"] == 410_000
    assert kinds["TRAINING_COURSE"] == expected["training_courses"]
    assert kinds["LECTURE"] == expected["lectures"]
    assert kinds["TRAINING_COURSE"] >= 4_000 and kinds["LECTURE"] >= 1_600
