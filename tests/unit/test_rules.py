"""The model's derived rules: forms, sanctions, effect periods, principals, responsibility, counting, stage."""

from datetime import date

import pytest

from schema import rules
from schema.model import MEASURE_KINDS, NODE_KINDS, REL_KINDS
from schema.rules import AccountabilityFacts, MeasureFact, TransferFact


def test_every_measure_kind_has_a_form_label_and_effect_entry():
    for kind in MEASURE_KINDS:
        assert rules.form_of(kind) in (1, 2, 3)
        assert rules.MEASURE_LABELS[kind]
        assert kind in rules.EFFECT_MONTHS


@pytest.mark.parametrize(
    ("kind", "form"),
    [
        ("reminder_talk", 1),
        ("admonishment", 1),
        ("ordered_rectification_with_deadline", 1),
        ("party_warning", 2),
        ("gov_demotion_in_grade", 2),
        ("removal_from_office", 2),
        ("removal_from_party_posts", 3),
        ("gov_expulsion", 3),
        ("demotion_in_post", 3),
    ],
)
def test_four_form_classification(kind, form):
    assert rules.form_of(kind) == form


def test_light_and_heavy_sanctions_partition_the_sanctions():
    sanctions = set(rules.PARTY_SANCTIONS) | set(rules.GOV_SANCTIONS)
    assert set(rules.LIGHT_SANCTIONS) | set(rules.HEAVY_SANCTIONS) == sanctions
    assert not set(rules.LIGHT_SANCTIONS) & set(rules.HEAVY_SANCTIONS)
    assert rules.is_sanction("gov_demerit") and not rules.is_sanction("admonishment")


@pytest.mark.parametrize(
    ("kind", "start", "end"),
    [
        ("gov_warning", date(2023, 3, 15), date(2023, 9, 14)),  # 6 months, last day inclusive
        ("party_warning", date(2023, 1, 1), date(2023, 12, 31)),  # 12
        ("party_serious_warning", date(2023, 1, 31), date(2024, 7, 30)),  # 18, month-end clamps
        ("gov_demotion_in_grade", date(2024, 2, 29), date(2026, 2, 27)),  # 24 from a leap day
        ("reminder_talk", date(2023, 1, 1), None),  # no effect period
        ("gov_expulsion", date(2023, 1, 1), None),  # permanent
    ],
)
def test_effect_period_end(kind, start, end):
    assert rules.period_end_of(kind, start) == end


def test_in_effect():
    end = rules.period_end_of("gov_warning", date(2023, 3, 15))
    assert rules.in_effect("gov_warning", date(2023, 3, 15), end, date(2023, 9, 14))
    assert not rules.in_effect("gov_warning", date(2023, 3, 15), end, date(2023, 9, 15))
    assert not rules.in_effect("gov_warning", date(2023, 3, 15), end, date(2023, 3, 14))
    assert rules.in_effect("gov_expulsion", date(2020, 1, 1), None, date(2030, 1, 1))
    assert not rules.in_effect("reminder_talk", date(2023, 1, 1), None, date(2023, 1, 1))


POSTS = [
    {"official": "A", "post_kind": "party_principal", "start": date(2018, 1, 1), "end": date(2023, 5, 31)},
    {"official": "B", "post_kind": "party_principal", "start": date(2023, 6, 1), "end": None},
    {"official": "C", "post_kind": "gov_principal", "start": date(2020, 1, 1), "end": None},
    {"official": "C", "post_kind": "party_principal", "start": date(2020, 1, 1), "end": date(2020, 12, 31)},
    {"official": "D", "post_kind": "deputy", "start": date(2018, 1, 1), "end": None},
]


def test_principals_at_uses_the_last_day_in_post_inclusively():
    assert rules.principals_at(POSTS, date(2023, 5, 31)) == ["A", "C"]
    assert rules.principals_at(POSTS, date(2023, 6, 1)) == ["B", "C"]
    assert rules.principals_at(POSTS, date(2020, 6, 1)) == ["A", "C"]  # C holds both posts: once
    assert rules.principals_at(POSTS, date(2017, 1, 1)) == []


def test_responsibility_explicit_first_then_principal_at_occurrence():
    explicit = rules.responsible_for_issue([("D", "direct")], POSTS, date(2023, 5, 31), date(2023, 7, 1))
    assert explicit == [rules.Responsibility("D", "direct", "explicit")]
    default = rules.responsible_for_issue([], POSTS, date(2023, 5, 31), date(2023, 7, 1))
    assert [r.official for r in default] == ["A", "C"]  # A left the next day and is still liable
    assert {r.basis for r in default} == {"principal_at_occurrence"}
    fallback = rules.responsible_for_issue([], POSTS, None, date(2023, 7, 1))
    assert [r.official for r in fallback] == ["B", "C"]


def test_counting_person_times_persons_and_cases():
    facts = AccountabilityFacts(
        measures=[
            MeasureFact("m1", "admonishment", "p1", True, "c1"),
            MeasureFact("m2", "admonishment", "p1", True, "c2"),  # a second person-time
            MeasureFact("m3", "party_warning", "p2", True, "c1"),
            MeasureFact("m4", "gov_demerit", "p2", True, "c1"),  # both sanctions: one person
            MeasureFact("m5", "gov_removal_from_post", "p3", True, "c3"),
            MeasureFact("m6", "org_circular", "o1", False, "c3"),  # an organisation: not a person
        ],
        transfers=[
            TransferFact("t1", "to_discipline_commission_for_filing", "c3", ("p3", "p4")),
            TransferFact("t2", "to_judicial_organ", "c3", ("p3",)),
            TransferFact("t3", "to_procuratorate_for_prosecution", "c3", ("p3",)),  # same case: once
        ],
        exposed_cases={"c1", "c3"},
    )
    got = rules.count_four_forms(facts)
    assert (got.form1, got.form2, got.form3, got.form4) == (2, 2, 1, 1)
    assert got.held_accountable == 4  # p1 p2 p3 p4
    assert (got.sanctioned, got.party_sanctioned, got.gov_sanctioned) == (2, 1, 2)
    assert (got.transferred_to_discipline, got.transferred_to_judicial) == (2, 1)
    assert got.exposed_cases == 2


def test_chain_stage_progression():
    issue = {"id": "i", "status": "open", "feedback_on": None}
    assert rules.chain_stage(issue, [], [], 0, []) == "discovered"
    assert rules.chain_stage({**issue, "feedback_on": date(2023, 1, 1)}, [], [], 0, []) == "feedback"
    assert rules.chain_stage({**issue, "status": "rectifying"}, ["plan"], [], 0, []) == "rectifying"
    assert rules.chain_stage({**issue, "status": "rectified"}, [], [], 0, []) == "rectified"
    assert rules.chain_stage(issue, [], [{"closed_on": None}], 1, []) == "accountability"
    assert rules.chain_stage(issue, [], [{"closed_on": None}], 1, [{"outcome": "pending"}]) == "transferred"
    done = {**issue, "status": "verified"}
    assert rules.chain_stage(done, [], [{"closed_on": date(2023, 9, 1)}], 1, [{"outcome": "convicted"}]) == "closed"
    assert rules.chain_stage(done, ["closed"], [], 0, []) == "closed"


def test_overdue_items():
    issue = {"id": "i", "status": "rectifying", "deadline": date(2023, 6, 30)}
    transfers = [
        {"id": "t1", "transferred_on": date(2023, 1, 1), "outcome": "pending"},
        {"id": "t2", "transferred_on": date(2023, 1, 1), "outcome": "accepted"},
    ]
    got = rules.overdue_items(issue, transfers, date(2023, 7, 10))
    assert [(o.kind, o.node, o.days_over) for o in got] == [("rectification", "i", 10), ("transfer", "t1", 100)]
    assert rules.overdue_items({**issue, "status": "verified"}, [], date(2023, 7, 10)) == []


def test_schema_declarations_are_consistent():
    assert len(NODE_KINDS) == 16 and len(REL_KINDS) == 23
    assert REL_KINDS["CONCERNS"].allows("Case", "Official") and REL_KINDS["CONCERNS"].allows("Case", "Organisation")
    assert not REL_KINDS["HELD_POST"].allows("Organisation", "Official")
    assert REL_KINDS["HELD_POST"].key_properties == ("start",)
