"""The workbench on the small demo: the campaign's published figures, a chain, a dossier, the statistics
and the 督办 board show what the API answers (and the campaign what loaders.demo.EXPECTED says).

The full-scale figures (267 / 30 / 37 / 3 / 18) come from the same fields — Campaign.fourForms
heldAccountable, sanctioned, transferredToDiscipline, transferredToJudicial, exposedCases — which
tests/e2e/test_full_demo.py checks at full scale.
"""

from __future__ import annotations

from typing import Any

import pytest

from loaders.demo import EXPECTED, ROAD_TRAFFIC_CAMPAIGN_ID
from tests.browser.conftest import axe_violations, gql, needs_workbench

pytestmark = needs_workbench
AS_OF = "2024-06-30"
HEADLINE = {
    "heldAccountable": "campaign_held_accountable",
    "sanctioned": "campaign_sanctioned",
    "transferredToDiscipline": "campaign_transferred_to_discipline",
    "transferredToJudicial": "campaign_transferred_to_judicial",
    "exposedCases": "campaign_exposed_cases",
}


def _open(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")


def test_campaign_page_shows_the_published_figures(page: Any, demo_url: str) -> None:
    _open(page, f"{demo_url}/campaign/{ROAD_TRAFFIC_CAMPAIGN_ID}")
    assert page.locator("[data-test=campaign-name]").inner_text() == "道路交通安全和运输执法领域突出问题专项整治"
    shown = {k: int(page.locator(f"[data-test=campaign-{k}] .n").inner_text()) for k in HEADLINE}
    assert shown == {k: EXPECTED["small"][v] for k, v in HEADLINE.items()}
    assert axe_violations(page) == []


def test_a_chain_and_the_dossier_of_its_responsible_official(page: Any, demo_url: str) -> None:
    call = gql(demo_url)
    issues = call("{ issues(first: 100) { nodes { id } } }")["issues"]["nodes"]
    query = """query($id: ID!, $d: Date) { chain(issueId: $id, asOf: $d) {
        issue { summary } responsible { basis official { id name } } measures { id } overdue { kind } } }"""
    chains = [(i["id"], call(query, {"id": i["id"], "d": AS_OF})["chain"]) for i in issues]
    issue_id, chain = next((i, c) for i, c in chains if c["responsible"] and c["measures"])
    _open(page, f"{demo_url}/chain/{issue_id}?asOf={AS_OF}")
    assert page.locator("[data-test=chain-title]").inner_text() == f"问责链条：{chain['issue']['summary']}"
    shown = sorted(t.split(" ")[0] for t in page.locator("[data-test=responsible]").all_inner_texts())
    assert shown == sorted(r["official"]["name"] for r in chain["responsible"])
    assert page.locator("[data-test=measure]").count() == len(chain["measures"])
    assert axe_violations(page) == []
    official = chain["responsible"][0]["official"]
    page.locator("[data-test=responsible] a", has_text=official["name"]).first.click()
    page.wait_for_url(f"**/official/{official['id']}")
    assert page.locator("[data-test=official-name]").inner_text() == official["name"]
    assert chain["issue"]["summary"] in page.locator("[data-test=chains]").inner_text()


def test_statistics_and_supervision_show_the_api_figures(page: Any, demo_url: str) -> None:
    call = gql(demo_url)
    forms = call("{ fourForms { form1 form2 form3 form4 heldAccountable } }")["fourForms"]
    _open(page, f"{demo_url}/stats")
    for key, value in forms.items():
        assert page.locator(f"[data-test=total-{key}] .n").inner_text() == str(value), key
    board = call("query($d: Date) { supervision(asOf: $d) { rectifications transfers } }", {"d": AS_OF})["supervision"]
    _open(page, f"{demo_url}/supervision?asOf={AS_OF}")
    assert page.locator("[data-test=count-rectifications]").inner_text() == str(board["rectifications"])
    assert page.locator("[data-test=count-transfers]").inner_text() == str(board["transfers"])
    rows = page.locator("[data-test=supervision-items] tbody tr")
    assert rows.count() == board["rectifications"] + board["transfers"]


@pytest.mark.parametrize("view", ["/", "/stats", f"/supervision?asOf={AS_OF}"])
def test_demo_views_have_no_serious_accessibility_violations(page: Any, demo_url: str, view: str) -> None:
    _open(page, f"{demo_url}{view}")
    assert axe_violations(page) == []
