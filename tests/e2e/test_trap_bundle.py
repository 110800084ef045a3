"""Every CONTRACT §3 query over HTTP, on the hand-built bundle of temporal traps (trap_bundle.py).

Values are exact: each test names the trap it checks.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import GraphQLClient

AS_OF = "2024-01-01"

CHAIN = """
query($id: ID!, $asOf: Date) {
  chain(issueId: $id, asOf: $asOf) {
    issue { id kind label status }
    inspection { id }
    campaigns { id }
    organisation { id name region { code } }
    responsible { official { id name } kind basis post { title acting start end } }
    steps { id date rectificationStepKind }
    clues { id }
    cases { id clue { id } issue { id } }
    measures { id label measureKind form decidedOn subject { id kind label } case { id } }
    transfers { id transferKind outcome to { id } case { id } }
    exposures { id publishedOn }
    documents { document { id docNo } evidences { id } page note }
    stage
    stages { stage date }
    overdue { kind due daysOver node { id } }
  }
}
"""


def test_chain_succession_the_day_after_and_a_clue_between_issue_and_case(trap: GraphQLClient) -> None:
    chain = trap.data(CHAIN, {"id": "ISS-1", "asOf": AS_OF})["chain"]
    assert chain["issue"] == {
        "id": "ISS-1",
        "kind": "Issue",
        "label": "城关区交通运输局以罚代管、逐利执法",
        "status": "RECTIFIED",
    }
    assert chain["inspection"] == {"id": "INSP-1"}
    assert chain["campaigns"] == [{"id": "CAMP-RT"}]
    # The bureau has no IN_REGION of its own: its region comes through UNDER.
    assert chain["organisation"] == {"id": "ORG-CG-TRAFFIC", "name": "城关区交通运输局", "region": {"code": "620102"}}
    # 张伟's last day was the day the issue occurred; 李娜 (acting) started the day after.
    assert chain["responsible"] == [
        {
            "official": {"id": "OFF-WQ", "name": "王强"},
            "kind": "PRINCIPAL_LEADERSHIP",
            "basis": "PRINCIPAL_AT_OCCURRENCE",
            "post": {"title": "党组书记", "acting": False, "start": "2019-05-01", "end": None},
        },
        {
            "official": {"id": "OFF-ZW", "name": "张伟"},
            "kind": "PRINCIPAL_LEADERSHIP",
            "basis": "PRINCIPAL_AT_OCCURRENCE",
            "post": {"title": "局长", "acting": False, "start": "2020-01-01", "end": "2023-03-10"},
        },
    ]
    assert chain["steps"] == [
        {"id": "STEP-1", "date": "2023-04-20", "rectificationStepKind": "LEADER_INSTRUCTION"},
        {"id": "STEP-2", "date": "2023-04-25", "rectificationStepKind": "PLAN"},
        {"id": "STEP-3", "date": "2023-06-10", "rectificationStepKind": "COMPLETION_REPORT"},
    ]
    assert chain["clues"] == [{"id": "CLU-1"}]
    assert chain["cases"] == [{"id": "CASE-1", "clue": {"id": "CLU-1"}, "issue": {"id": "ISS-1"}}]
    assert chain["measures"] == [
        {
            "id": "M-1",
            "label": "诫勉（王强）",
            "measureKind": "ADMONISHMENT",
            "form": 1,
            "decidedOn": "2023-06-01",
            "subject": {"id": "OFF-WQ", "kind": "Official", "label": "王强"},
            "case": {"id": "CASE-1"},
        },
        {
            "id": "M-2",
            "label": "党内警告（张伟）",
            "measureKind": "PARTY_WARNING",
            "form": 2,
            "decidedOn": "2023-06-20",
            "subject": {"id": "OFF-ZW", "kind": "Official", "label": "张伟"},
            "case": {"id": "CASE-1"},
        },
        {
            "id": "M-3",
            "label": "记过（张伟）",
            "measureKind": "GOV_DEMERIT",
            "form": 2,
            "decidedOn": "2023-07-05",
            "subject": {"id": "OFF-ZW", "kind": "Official", "label": "张伟"},
            "case": {"id": "CASE-1"},
        },
    ]
    assert chain["transfers"] == [
        {
            "id": "T-1",
            "transferKind": "TO_DISCIPLINE_COMMISSION_FOR_FILING",
            "outcome": "CASE_FILED",
            "to": {"id": "ORG-PROV-DISC"},
            "case": {"id": "CASE-1"},
        }
    ]
    assert chain["exposures"] == [{"id": "X-1", "publishedOn": "2023-07-20"}]
    assert chain["documents"] == [
        {
            "document": {"id": "DOC-1", "docNo": "甘法督〔2023〕5号"},
            "evidences": {"id": "ISS-1"},
            "page": 3,
            "note": "问题描述",
        },
        {"document": {"id": "DOC-2", "docNo": "甘纪〔2023〕12号"}, "evidences": {"id": "M-2"}, "page": 1, "note": None},
    ]
    assert chain["stage"] == "CLOSED"
    assert chain["stages"] == [
        {"stage": "DISCOVERED", "date": "2023-04-15"},
        {"stage": "FEEDBACK", "date": "2023-04-18"},
        {"stage": "RECTIFYING", "date": "2023-04-20"},
        {"stage": "RECTIFIED", "date": "2023-06-10"},
        {"stage": "ACCOUNTABILITY", "date": "2023-05-20"},
        {"stage": "TRANSFERRED", "date": "2023-07-10"},
        {"stage": "CLOSED", "date": "2023-08-01"},
    ]
    assert chain["overdue"] == []


def test_chain_found_on_fallback_acting_mayor_and_overdue_items(trap: GraphQLClient) -> None:
    chain = trap.data(CHAIN, {"id": "ISS-2", "asOf": AS_OF})["chain"]
    # No occurredOn: the principal on foundOn (2023-05-20) is 陈明, mayor since 03-01 (acting before).
    assert chain["responsible"] == [
        {
            "official": {"id": "OFF-CM", "name": "陈明"},
            "kind": "PRINCIPAL_LEADERSHIP",
            "basis": "PRINCIPAL_AT_OCCURRENCE",
            "post": {"title": "市长", "acting": False, "start": "2023-03-01", "end": None},
        }
    ]
    assert chain["clues"] == []
    assert chain["cases"] == [{"id": "CASE-2", "clue": None, "issue": {"id": "ISS-2"}}]
    assert [m["id"] for m in chain["measures"]] == ["M-4"]
    assert chain["measures"][0]["form"] == 3
    assert chain["transfers"] == [
        {
            "id": "T-2",
            "transferKind": "TO_PROCURATORATE_FOR_PROSECUTION",
            "outcome": "PENDING",
            "to": {"id": "ORG-LZ-PROC"},
            "case": {"id": "CASE-2"},
        }
    ]
    assert chain["stage"] == "TRANSFERRED"
    assert chain["overdue"] == [
        {"kind": "rectification", "due": "2023-08-31", "daysOver": 123, "node": {"id": "ISS-2"}},
        {"kind": "transfer", "due": "2023-11-13", "daysOver": 49, "node": {"id": "T-2"}},
    ]
    # Before either deadline passed, nothing is overdue.
    early = trap.data(CHAIN, {"id": "ISS-2", "asOf": "2023-08-31"})["chain"]
    assert early["overdue"] == []


def test_chain_explicit_responsibility_overrides_the_principal(trap: GraphQLClient) -> None:
    chain = trap.data(CHAIN, {"id": "ISS-3", "asOf": AS_OF})["chain"]
    # 刘强 was mayor on 2022-12-01, but the issue names 李娜 explicitly.
    assert chain["responsible"] == [
        {"official": {"id": "OFF-LN", "name": "李娜"}, "kind": "DIRECT", "basis": "EXPLICIT", "post": None}
    ]
    assert chain["stage"] == "FEEDBACK"
    assert chain["cases"] == []


def test_chain_of_a_missing_issue_is_null(trap: GraphQLClient) -> None:
    assert trap.data(CHAIN, {"id": "NO-SUCH-ISSUE"}) == {"chain": None}
    assert trap.data(CHAIN, {"id": "OFF-ZW"}) == {"chain": None}  # exists, but is not an issue


def test_case_chain_goes_back_through_the_clue(trap: GraphQLClient) -> None:
    data = trap.data(
        '{ case(id: "CASE-1") { chain(asOf: "2024-01-01") { issue { id } stage } } '
        'orphan: case(id: "CASE-4") { chain { stage } issue { id } } }'
    )
    assert data == {
        "case": {"chain": {"issue": {"id": "ISS-1"}, "stage": "CLOSED"}},
        "orphan": {"chain": None, "issue": None},
    }


def test_node_for_every_kind_has_kind_and_chinese_label(trap: GraphQLClient) -> None:
    ids = [
        "620102",
        "ORG-CG-TRAFFIC",
        "OFF-ZW",
        "SE-1",
        "DR-1",
        "CAMP-RT",
        "INSP-1",
        "ISS-1",
        "STEP-1",
        "CLU-1",
        "CASE-1",
        "M-6",
        "T-2",
        "X-2",
        "DOC-1",
    ]
    data = trap.data("query($ids: [ID!]!) { nodes(ids: $ids) { id kind label } }", {"ids": ids})
    assert data["nodes"] == [
        {"id": "620102", "kind": "Region", "label": "城关区"},
        {"id": "ORG-CG-TRAFFIC", "kind": "Organisation", "label": "城关区交通运输局"},
        {"id": "OFF-ZW", "kind": "Official", "label": "张伟"},
        {"id": "SE-1", "kind": "StudyEvent", "label": "道路交通执法规范化培训班"},
        {"id": "DR-1", "kind": "DutyReport", "label": "2023年度述法（县直部门主要负责人）"},
        {"id": "CAMP-RT", "kind": "Campaign", "label": "道路交通安全和运输执法领域突出问题专项整治"},
        {"id": "INSP-1", "kind": "Inspection", "label": "道路交通执法专项督察"},
        {"id": "ISS-1", "kind": "Issue", "label": "城关区交通运输局以罚代管、逐利执法"},
        {"id": "STEP-1", "kind": "RectificationStep", "label": "领导批示（2023-04-20）"},
        {"id": "CLU-1", "kind": "Clue", "label": "问题线索（督察移交，2023-04-30）"},
        {"id": "CASE-1", "kind": "Case", "label": "城关区交通运输局逐利执法问责案"},
        {"id": "M-6", "kind": "Measure", "label": "通报批评（李娜）"},
        {"id": "T-2", "kind": "Transfer", "label": "移送检察机关审查起诉（2023-08-15）"},
        {"id": "X-2", "kind": "Exposure", "label": "陈明严重违纪违法问题通报"},
        {"id": "DOC-1", "kind": "Document", "label": "关于城关区交通运输局逐利执法问题的督察通报"},
    ]
    single = trap.data(
        '{ node(id: "ISS-1") { id kind label ... on Issue { occurredOn foundOn severity } } '
        'missing: node(id: "NOPE") { id } }'
    )
    assert single == {
        "node": {
            "id": "ISS-1",
            "kind": "Issue",
            "label": "城关区交通运输局以罚代管、逐利执法",
            "occurredOn": "2023-03-10",
            "foundOn": "2023-04-15",
            "severity": "SERIOUS",
        },
        "missing": None,
    }


def test_official_posts_at_a_date_and_timeline(trap: GraphQLClient) -> None:
    q = """{ official(id: "OFF-LN") {
        id kind label name gender partyMember rank
        all: posts { organisation { id } title postKind acting start end }
        on0310: posts(on: "2023-03-10") { organisation { id } title acting }
        on0311: posts(on: "2023-03-11") { organisation { id } title acting }
        on0701: posts(on: "2023-07-01") { title acting }
        timeline { date kind summary node { id } }
        mid: timeline(from: "2023-03-11", to: "2023-06-30") { date kind }
        chains(asOf: "2024-01-01") { issue { id } }
        measures { id form periodEnd inEffect(on: "2023-09-30") }
        inEffect: measures(inEffectOn: "2023-09-30") { id }
    } }"""
    o = trap.data(q)["official"]
    assert (o["id"], o["kind"], o["label"], o["name"], o["gender"], o["partyMember"], o["rank"]) == (
        "OFF-LN",
        "Official",
        "李娜",
        "李娜",
        "FEMALE",
        True,
        "COUNTY_DIVISION_PRINCIPAL",
    )
    assert o["all"] == [
        {
            "organisation": {"id": "ORG-JYG-POLICE"},
            "title": "副局长",
            "postKind": "DEPUTY",
            "acting": False,
            "start": "2018-01-01",
            "end": "2023-03-10",
        },
        {
            "organisation": {"id": "ORG-CG-TRAFFIC"},
            "title": "代局长",
            "postKind": "GOV_PRINCIPAL",
            "acting": True,
            "start": "2023-03-11",
            "end": "2023-06-30",
        },
        {
            "organisation": {"id": "ORG-CG-TRAFFIC"},
            "title": "局长",
            "postKind": "GOV_PRINCIPAL",
            "acting": False,
            "start": "2023-07-01",
            "end": None,
        },
    ]
    assert o["on0310"] == [{"organisation": {"id": "ORG-JYG-POLICE"}, "title": "副局长", "acting": False}]
    assert o["on0311"] == [{"organisation": {"id": "ORG-CG-TRAFFIC"}, "title": "代局长", "acting": True}]
    assert o["on0701"] == [{"title": "局长", "acting": False}]
    assert o["timeline"] == [
        {
            "date": "2018-01-01",
            "kind": "post_start",
            "summary": "任嘉峪关市公安局副局长",
            "node": {"id": "ORG-JYG-POLICE"},
        },
        {
            "date": "2022-12-01",
            "kind": "responsibility",
            "summary": "负有直接责任：兰州市行政审批超时限",
            "node": {"id": "ISS-3"},
        },
        {
            "date": "2023-03-10",
            "kind": "post_end",
            "summary": "离任嘉峪关市公安局副局长",
            "node": {"id": "ORG-JYG-POLICE"},
        },
        {
            "date": "2023-03-11",
            "kind": "post_start",
            "summary": "任城关区交通运输局代局长",
            "node": {"id": "ORG-CG-TRAFFIC"},
        },
        {"date": "2023-03-25", "kind": "case", "summary": "立案：李娜履职不力问责案", "node": {"id": "CASE-4"}},
        {"date": "2023-04-01", "kind": "measure", "summary": "通报批评（第一种形态）", "node": {"id": "M-6"}},
        {
            "date": "2023-06-30",
            "kind": "post_end",
            "summary": "离任城关区交通运输局代局长",
            "node": {"id": "ORG-CG-TRAFFIC"},
        },
        {
            "date": "2023-07-01",
            "kind": "post_start",
            "summary": "任城关区交通运输局局长",
            "node": {"id": "ORG-CG-TRAFFIC"},
        },
    ]
    assert o["mid"] == [
        {"date": "2023-03-11", "kind": "post_start"},
        {"date": "2023-03-25", "kind": "case"},
        {"date": "2023-04-01", "kind": "measure"},
        {"date": "2023-06-30", "kind": "post_end"},
    ]
    # Not responsible for ISS-1 (she started the day after it occurred); explicitly for ISS-3.
    assert o["chains"] == [{"issue": {"id": "ISS-3"}}]
    # 通报批评 has no effect period (影响期).
    assert o["measures"] == [{"id": "M-6", "form": 1, "periodEnd": None, "inEffect": False}]
    assert o["inEffect"] == []


def test_one_person_with_a_party_and_a_government_sanction(trap: GraphQLClient) -> None:
    q = """{ official(id: "OFF-ZW") {
        measures { id measureKind form decidedOn periodEnd }
        sanctionsInEffect: measures(form: 2, inEffectOn: "2024-06-19") { id }
        afterParty: measures(form: 2, inEffectOn: "2024-06-20") { id }
        chains { issue { id } }
    } former: official(id: "OFF-LQ") { chains { issue { id } } } }"""
    data = trap.data(q)
    o = data["official"]
    assert o["measures"] == [
        {"id": "M-2", "measureKind": "PARTY_WARNING", "form": 2, "decidedOn": "2023-06-20", "periodEnd": "2024-06-19"},
        {"id": "M-3", "measureKind": "GOV_DEMERIT", "form": 2, "decidedOn": "2023-07-05", "periodEnd": "2024-07-04"},
    ]
    assert o["sanctionsInEffect"] == [{"id": "M-2"}, {"id": "M-3"}]
    assert o["afterParty"] == [{"id": "M-3"}]
    assert o["chains"] == [{"issue": {"id": "ISS-1"}}]
    # 刘强 was the principal when ISS-3 occurred, but the explicit attribution takes it away from him.
    assert data["former"] == {"chains": []}


def test_organisation_principals_at_dates(trap: GraphQLClient) -> None:
    q = """{ organisation(id: "ORG-CG-TRAFFIC") {
        id kind label name organisationKind
        region { code } parent { id } children { id }
        p0310: principalsAt(on: "2023-03-10") { id }
        p0311: principalsAt(on: "2023-03-11") { id }
        p0701: principalsAt(on: "2023-07-01") { id }
        issues { totalCount nodes { id } }
      }
      gov: organisation(id: "ORG-LZ-GOV") {
        p0109: principalsAt(on: "2023-01-09") { id }
        p0110: principalsAt(on: "2023-01-10") { id }
        children { id }
        issues(status: [OPEN]) { nodes { id } }
      }
      notAnOrganisation: organisation(id: "OFF-ZW") { id }
    }"""
    data = trap.data(q)
    org = data["organisation"]
    assert (org["id"], org["kind"], org["label"], org["name"], org["organisationKind"]) == (
        "ORG-CG-TRAFFIC",
        "Organisation",
        "城关区交通运输局",
        "城关区交通运输局",
        "DEPARTMENT",
    )
    assert org["region"] == {"code": "620102"}
    assert org["parent"] == {"id": "ORG-CG-GOV"}
    assert org["children"] == []
    assert org["p0310"] == [{"id": "OFF-WQ"}, {"id": "OFF-ZW"}]
    assert org["p0311"] == [{"id": "OFF-LN"}, {"id": "OFF-WQ"}]  # acting holders count
    assert org["p0701"] == [{"id": "OFF-LN"}, {"id": "OFF-WQ"}]
    assert org["issues"] == {"totalCount": 1, "nodes": [{"id": "ISS-1"}]}
    assert data["gov"] == {
        "p0109": [{"id": "OFF-LQ"}],
        "p0110": [{"id": "OFF-CM"}],
        "children": [],
        "issues": {"nodes": [{"id": "ISS-3"}]},
    }
    assert data["notAnOrganisation"] is None


def test_issue_relationships_and_filters(trap: GraphQLClient) -> None:
    q = """{ issue(id: "ISS-1") {
        inspection { id } organisation { id } steps { id } clues { id } cases { id } documents { id }
        responsible { official { id } basis }
      }
      subtree: issues(filter: {regionId: "620100"}) { totalCount nodes { id } }
      campaign: issues(filter: {campaignId: "CAMP-RT"}) { nodes { id } }
      found: issues(filter: {from: "2023-05-01", to: "2023-05-31"}) { nodes { id foundOn } }
      status: issues(filter: {status: [RECTIFYING, VERIFIED]}) { nodes { id status } }
      page1: issues(first: 2) { nodes { id } pageInfo { hasNextPage endCursor } }
    }"""
    data = trap.data(q)
    assert data["issue"] == {
        "inspection": {"id": "INSP-1"},
        "organisation": {"id": "ORG-CG-TRAFFIC"},
        "steps": [{"id": "STEP-1"}, {"id": "STEP-2"}, {"id": "STEP-3"}],
        "clues": [{"id": "CLU-1"}],
        "cases": [{"id": "CASE-1"}],
        "documents": [{"id": "DOC-1"}],
        "responsible": [
            {"official": {"id": "OFF-WQ"}, "basis": "PRINCIPAL_AT_OCCURRENCE"},
            {"official": {"id": "OFF-ZW"}, "basis": "PRINCIPAL_AT_OCCURRENCE"},
        ],
    }
    # ISS-1's bureau is in 620102 only through UNDER; it still counts in 兰州市's subtree.
    assert data["subtree"] == {"totalCount": 3, "nodes": [{"id": "ISS-1"}, {"id": "ISS-2"}, {"id": "ISS-3"}]}
    assert data["campaign"] == {"nodes": [{"id": "ISS-1"}, {"id": "ISS-2"}]}
    assert data["found"] == {
        "nodes": [{"id": "ISS-4", "foundOn": "2023-05-10"}, {"id": "ISS-2", "foundOn": "2023-05-20"}]
    }
    assert data["status"] == {"nodes": [{"id": "ISS-4", "status": "VERIFIED"}, {"id": "ISS-2", "status": "RECTIFYING"}]}
    page1 = data["page1"]
    assert page1["nodes"] == [{"id": "ISS-1"}, {"id": "ISS-4"}] and page1["pageInfo"]["hasNextPage"] is True
    page2 = trap.data(
        "query($after: String) { issues(first: 2, after: $after) { nodes { id } pageInfo { hasNextPage } } }",
        {"after": page1["pageInfo"]["endCursor"]},
    )
    assert page2 == {"issues": {"nodes": [{"id": "ISS-2"}, {"id": "ISS-3"}], "pageInfo": {"hasNextPage": False}}}


FOUR_FORMS = """query($f: StatsFilter) { fourForms(filter: $f) {
  form1 form2 form3 form4 heldAccountable sanctioned partySanctioned govSanctioned
  transferredToDiscipline transferredToJudicial exposedCases } }"""


def _ff(*values: int) -> dict[str, int]:
    keys = (
        "form1",
        "form2",
        "form3",
        "form4",
        "heldAccountable",
        "sanctioned",
        "partySanctioned",
        "govSanctioned",
        "transferredToDiscipline",
        "transferredToJudicial",
        "exposedCases",
    )
    return dict(zip(keys, values, strict=True))


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        # Everything: 6 measures on officials; 张伟 has a party AND a government sanction → sanctioned counts him once.
        (None, _ff(3, 2, 1, 1, 5, 2, 2, 1, 2, 1, 2)),
        # The campaign: CASE-1 (through the clue) and CASE-2; not CASE-3 (other inspection) nor CASE-4 (no issue).
        ({"campaignId": "CAMP-RT"}, _ff(1, 2, 1, 1, 3, 2, 2, 1, 2, 1, 2)),
        # 兰州市's subtree includes CASE-4, placed by 李娜's post on the measure date (城关区), not her old one.
        ({"regionId": "620100"}, _ff(2, 2, 1, 1, 4, 2, 2, 1, 2, 1, 2)),
        # The case in another region.
        ({"regionId": "620200"}, _ff(1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0)),
        ({"regionId": "620102"}, _ff(2, 2, 0, 0, 3, 1, 1, 1, 2, 0, 1)),
        # Measures on both sides of the dates: only M-2 (06-20) is inside; transfers and exposures are outside.
        ({"from": "2023-06-15", "to": "2023-06-30"}, _ff(0, 1, 0, 0, 1, 1, 1, 0, 0, 0, 0)),
        # Inclusive bounds: M-1 on 06-01 and T-1 on 07-10 are both in.
        ({"from": "2023-06-01", "to": "2023-07-10"}, _ff(1, 2, 0, 0, 2, 1, 1, 1, 2, 0, 0)),
        ({"campaignId": "CAMP-RT", "regionId": "620200"}, _ff(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
    ],
)
def test_four_forms(trap: GraphQLClient, flt: dict[str, str] | None, expected: dict[str, int]) -> None:
    assert trap.data(FOUR_FORMS, {"f": flt})["fourForms"] == expected


def test_issues_and_four_forms_on_campaign_and_region(trap: GraphQLClient) -> None:
    # The fields on the nodes give what Query.issues / Query.fourForms give with the node's id as filter.
    ff = "form1 form2 form3 form4 heldAccountable sanctioned partySanctioned govSanctioned " \
         "transferredToDiscipline transferredToJudicial exposedCases"  # fmt: skip
    data = trap.data(f"""{{
      campaign(id: "CAMP-RT") {{ issues {{ totalCount nodes {{ id }} }} fourForms {{ {ff} }}
                                  june: fourForms(from: "2023-06-15", to: "2023-06-30") {{ form2 }} }}
      region(id: "620100") {{ issues(status: [RECTIFYING]) {{ nodes {{ id }} }} fourForms {{ {ff} }} }}
      other: region(id: "620200") {{ fourForms {{ {ff} }} }}
    }}""")
    assert data["campaign"]["issues"] == {"totalCount": 2, "nodes": [{"id": "ISS-1"}, {"id": "ISS-2"}]}
    assert data["campaign"]["fourForms"] == _ff(1, 2, 1, 1, 3, 2, 2, 1, 2, 1, 2)
    assert data["campaign"]["june"] == {"form2": 1}
    assert data["region"]["issues"] == {"nodes": [{"id": "ISS-2"}]}
    assert data["region"]["fourForms"] == _ff(2, 2, 1, 1, 4, 2, 2, 1, 2, 1, 2)
    assert data["other"]["fourForms"] == _ff(1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0)


def test_four_forms_breakdowns(trap: GraphQLClient) -> None:
    data = trap.data("""{ fourForms { byRegion { region { code } form1 form2 form3 form4 heldAccountable }
                                      byMonth { month form1 form2 form3 transferredToDiscipline exposedCases }
                                      byMeasureKind { measureKind form count } }
                          lz: fourForms(filter: {regionId: "620100"}) {
                            byRegion { region { code } heldAccountable } } }""")
    ff = data["fourForms"]
    assert ff["byRegion"] == [
        {"region": {"code": "620100"}, "form1": 2, "form2": 2, "form3": 1, "form4": 1, "heldAccountable": 4},
        {"region": {"code": "620200"}, "form1": 1, "form2": 0, "form3": 0, "form4": 0, "heldAccountable": 1},
    ]
    assert ff["byMonth"] == [
        {"month": "2023-04", "form1": 1, "form2": 0, "form3": 0, "transferredToDiscipline": 0, "exposedCases": 0},
        {"month": "2023-05", "form1": 1, "form2": 0, "form3": 0, "transferredToDiscipline": 0, "exposedCases": 0},
        {"month": "2023-06", "form1": 1, "form2": 1, "form3": 0, "transferredToDiscipline": 0, "exposedCases": 0},
        {"month": "2023-07", "form1": 0, "form2": 1, "form3": 0, "transferredToDiscipline": 2, "exposedCases": 1},
        {"month": "2023-08", "form1": 0, "form2": 0, "form3": 1, "transferredToDiscipline": 0, "exposedCases": 0},
        {"month": "2023-09", "form1": 0, "form2": 0, "form3": 0, "transferredToDiscipline": 0, "exposedCases": 1},
    ]
    assert ff["byMeasureKind"] == [
        {"measureKind": "WARNING_TALK", "form": 1, "count": 1},
        {"measureKind": "ADMONISHMENT", "form": 1, "count": 1},
        {"measureKind": "CIRCULATED_CRITICISM", "form": 1, "count": 1},
        {"measureKind": "PARTY_WARNING", "form": 2, "count": 1},
        {"measureKind": "GOV_DEMERIT", "form": 2, "count": 1},
        {"measureKind": "EXPULSION_FROM_PARTY", "form": 3, "count": 1},
    ]
    assert data["lz"]["byRegion"] == [{"region": {"code": "620102"}, "heldAccountable": 3}]


def test_neighbourhood(trap: GraphQLClient) -> None:
    data = trap.data("""{ neighbourhood(id: "M-2", depth: 1) {
        nodes { id kind label } edges { id type source target properties } truncated } }""")
    assert data["neighbourhood"] == {
        "nodes": [
            {"id": "M-2", "kind": "Measure", "label": "党内警告（张伟）"},
            {"id": "OFF-ZW", "kind": "Official", "label": "张伟"},
            {"id": "ORG-PROV-DISC", "kind": "Organisation", "label": "甘肃省纪委监委"},
            {"id": "CASE-1", "kind": "Case", "label": "城关区交通运输局逐利执法问责案"},
            {"id": "DOC-2", "kind": "Document", "label": "党纪处分决定书"},
        ],
        "edges": [
            {
                "id": "APPLIES_TO|M-2|OFF-ZW",
                "type": "APPLIES_TO",
                "source": "M-2",
                "target": "OFF-ZW",
                "properties": None,
            },
            {
                "id": "BY|M-2|ORG-PROV-DISC",
                "type": "BY",
                "source": "M-2",
                "target": "ORG-PROV-DISC",
                "properties": None,
            },
            {"id": "DECIDED|CASE-1|M-2", "type": "DECIDED", "source": "CASE-1", "target": "M-2", "properties": None},
            {
                "id": "EVIDENCED_BY|M-2|DOC-2",
                "type": "EVIDENCED_BY",
                "source": "M-2",
                "target": "DOC-2",
                "properties": {"page": 1},
            },
        ],
        "truncated": False,
    }
    two = trap.data('{ neighbourhood(id: "CLU-1", depth: 2) { nodes { id } edges { type } truncated json } }')
    sub = two["neighbourhood"]
    # Breadth first; within a level in edge order (type, source, target).
    assert [n["id"] for n in sub["nodes"]] == [
        "CLU-1",
        "CASE-1",
        "ISS-1",
        "ORG-CG-TRAFFIC",
        "OFF-WQ",
        "OFF-ZW",
        "M-1",
        "M-2",
        "M-3",
        "DOC-1",
        "X-1",
        "INSP-1",
        "STEP-1",
        "STEP-2",
        "STEP-3",
        "T-1",
    ]
    assert sub["truncated"] is False
    assert sub["json"]["nodes"][0] == {"id": "CLU-1", "kind": "Clue", "label": "问题线索（督察移交，2023-04-30）"}
    assert len(sub["json"]["edges"]) == len(sub["edges"]) == 15
    capped = trap.data('{ neighbourhood(id: "CLU-1", depth: 2, limit: 3) { nodes { id } edges { id } truncated } }')
    assert capped["neighbourhood"] == {
        "nodes": [{"id": "CLU-1"}, {"id": "CASE-1"}, {"id": "ISS-1"}],
        "edges": [{"id": "LED_TO|CLU-1|CASE-1"}, {"id": "LED_TO|ISS-1|CLU-1"}],
        "truncated": True,
    }


def test_paths(trap: GraphQLClient) -> None:
    data = trap.data('{ paths(from: "OFF-WQ", to: "OFF-ZW", maxHops: 2) { nodes { id } edges { id } truncated } }')
    assert data["paths"] == {
        "nodes": [{"id": "OFF-WQ"}, {"id": "CASE-1"}, {"id": "OFF-ZW"}, {"id": "ORG-CG-TRAFFIC"}],
        "edges": [
            {"id": "CONCERNS|CASE-1|OFF-WQ"},
            {"id": "CONCERNS|CASE-1|OFF-ZW"},
            {"id": "HELD_POST|OFF-WQ|ORG-CG-TRAFFIC|2019-05-01"},
            {"id": "HELD_POST|OFF-ZW|ORG-CG-TRAFFIC|2020-01-01"},
        ],
        "truncated": False,
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("张伟", [{"id": "OFF-ZW", "kind": "Official", "label": "张伟"}]),
        ("zhangwei", [{"id": "OFF-ZW", "kind": "Official", "label": "张伟"}]),
        ("zw", [{"id": "OFF-ZW", "kind": "Official", "label": "张伟"}]),
        (
            "李娜",
            [
                {"id": "OFF-LN", "kind": "Official", "label": "李娜"},
                {"id": "CASE-4", "kind": "Case", "label": "李娜履职不力问责案"},
            ],
        ),
        # Equally good prefix matches: organisations rank before regions (graph.search_index).
        (
            "嘉峪关",
            [
                {"id": "ORG-JYG-POLICE", "kind": "Organisation", "label": "嘉峪关市公安局"},
                {"id": "620200", "kind": "Region", "label": "嘉峪关市"},
                {"id": "ISS-4", "kind": "Issue", "label": "嘉峪关市公安局执法不规范"},
                {"id": "CASE-3", "kind": "Case", "label": "嘉峪关市公安局执法不规范问责案"},
            ],
        ),
        ("没有这个", []),
    ],
)
def test_search(trap: GraphQLClient, text: str, expected: list[dict[str, str]]) -> None:
    found = trap.data("query($t: String!) { search(text: $t, first: 10) { id kind label } }", {"t": text})["search"]
    assert found == expected


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ('{ neighbourhood(id: "NO-SUCH-NODE") { truncated } }', "NOT_FOUND"),
        ('{ fourForms(filter: {campaignId: "NO-SUCH-CAMPAIGN"}) { form1 } }', "NOT_FOUND"),
        ('{ fourForms(filter: {regionId: "CAMP-RT"}) { form1 } }', "NOT_FOUND"),
        ('{ paths(from: "OFF-ZW", to: "NOPE") { truncated } }', "NOT_FOUND"),
        ('{ neighbourhood(id: "OFF-ZW", depth: 4) { truncated } }', "BAD_USER_INPUT"),
        ('{ neighbourhood(id: "OFF-ZW", limit: 100000) { truncated } }', "BAD_USER_INPUT"),
        ('{ paths(from: "OFF-ZW", to: "OFF-LN", maxHops: 7) { truncated } }', "BAD_USER_INPUT"),
        ('{ search(text: "张", first: 1000) { id } }', "BAD_USER_INPUT"),
        ("{ issues(first: 101) { totalCount } }", "BAD_USER_INPUT"),
        ('{ issues(after: "not-a-cursor") { totalCount } }', "BAD_USER_INPUT"),
        ('{ fourForms(filter: {from: "2023-07-01", to: "2023-06-01"}) { form1 } }', "BAD_USER_INPUT"),
        ('{ official(id: "OFF-ZW") { posts(on: "2023-13-45") { title } } }', "BAD_USER_INPUT"),
        ('{ official(id: "OFF-ZW") { noSuchField } }', "BAD_USER_INPUT"),
        ("{ official(id: ", "BAD_USER_INPUT"),
        ("{ issues(first: 100) { nodes { cases { measures { subject { label } } } } } }", "QUERY_TOO_COMPLEX"),
        (
            '{ official(id: "x") { cases { issue { organisation { ' + "parent { " * 9 + "id" + " }" * 9 + " } } } } }",
            "QUERY_TOO_COMPLEX",
        ),
        ("{ " + " ".join(f'a{i}: node(id: "x") {{ id }}' for i in range(2000)) + " }", "QUERY_TOO_COMPLEX"),
    ],
)
def test_error_codes(trap: GraphQLClient, query: str, code: str) -> None:
    assert trap.error_codes(query) == [code]


def test_errors_follow_the_spec(trap: GraphQLClient) -> None:
    body = trap.post('{ ok: node(id: "OFF-ZW") { id } bad: neighbourhood(id: "NOPE") { truncated } }')
    assert body["data"] == {"ok": {"id": "OFF-ZW"}, "bad": None} or body["data"] is None
    [error] = body["errors"]
    assert error["path"] == ["bad"]
    assert error["locations"] == [{"line": 1, "column": 33}]
    assert error["extensions"] == {"code": "NOT_FOUND"}
    assert "NOPE" in error["message"]
