"""Identities for client caches (Apollo normalises on ``id``): a chain is its issue's, a set of figures
its scope's, and the same id always names the same values (trap bundle, tests/e2e/trap_bundle.py).
"""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import GraphQLClient

FIGURES = (
    "form1 form2 form3 form4 heldAccountable sanctioned partySanctioned govSanctioned "
    "transferredToDiscipline transferredToJudicial exposedCases"
)


def _without_id(figures: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in figures.items() if k not in ("id", "region")}


def test_a_chain_is_identified_by_its_issue(trap: GraphQLClient) -> None:
    data = trap.data("""{ chain(issueId: "ISS-1") { id issue { id } }
                          issue(id: "ISS-1") { chain { id } }
                          case(id: "CASE-1") { chain { id } }
                          official(id: "OFF-ZW") { chains { id issue { id } } } }""")
    assert data["chain"] == {"id": "ISS-1", "issue": {"id": "ISS-1"}}
    assert data["issue"]["chain"] == {"id": "ISS-1"}
    assert data["case"]["chain"] == {"id": "ISS-1"}
    assert data["official"]["chains"]
    assert all(c["id"] == c["issue"]["id"] for c in data["official"]["chains"])


def test_four_forms_ids_name_the_scope(trap: GraphQLClient) -> None:
    data = trap.data("""{
      all: fourForms { id }
      camp: fourForms(filter: {campaignId: "CAMP-RT", from: "2023-06-15", to: "2023-06-30"}) { id }
      campaign(id: "CAMP-RT") { fourForms(from: "2023-06-15", to: "2023-06-30") { id } }
      region(id: "620100") { fourForms { id } }
    }""")
    assert data["all"] == {"id": "fourForms"}
    assert data["camp"] == {"id": "fourForms?campaignId=CAMP-RT&from=2023-06-15&to=2023-06-30"}
    # The same scope asked two ways has the same id.
    assert data["campaign"]["fourForms"] == data["camp"]
    assert data["region"]["fourForms"] == {"id": "fourForms?regionId=620100"}


def test_a_child_region_s_figures_are_those_its_id_names(trap: GraphQLClient) -> None:
    data = trap.data(f"""{{
      fourForms(filter: {{campaignId: "CAMP-RT"}}) {{ byRegion {{ id region {{ code }} {FIGURES} }} }}
      lz: fourForms(filter: {{regionId: "620100", from: "2023-06-01"}}) {{ byRegion {{ id region {{ code }} }} }}
    }}""")
    rows = data["fourForms"]["byRegion"]
    assert [r["id"] for r in rows] == [f"fourForms?campaignId=CAMP-RT&regionId={r['region']['code']}" for r in rows]
    assert data["lz"]["byRegion"] == [{"id": "fourForms?regionId=620102&from=2023-06-01", "region": {"code": "620102"}}]
    # Each row holds exactly the figures of fourForms over the scope its id names.
    for row in rows:
        code = row["region"]["code"]
        direct = trap.data(
            f'{{ fourForms(filter: {{campaignId: "CAMP-RT", regionId: "{code}"}}) {{ id {FIGURES} }} }}'
        )["fourForms"]
        assert direct["id"] == row["id"]
        assert _without_id(direct) == _without_id(row)
    assert any(r["heldAccountable"] for r in rows)  # the comparison compared something


def test_study_and_duty_report_figures_are_identified_by_their_arguments(trap: GraphQLClient) -> None:
    data = trap.data("""{ studyStats { id } year: studyStats(from: "2023-01-01", to: "2023-12-31") { id }
                          dutyReportStats(year: 2023) { id year } }""")
    assert data["studyStats"] == {"id": "studyStats"}
    assert data["year"] == {"id": "studyStats?from=2023-01-01&to=2023-12-31"}
    assert data["dutyReportStats"] == {"id": "dutyReportStats?year=2023", "year": 2023}
