"""The demo generator: valid against schema.model, deterministic, and its figures counted from the tables.

Every figure of ``demo.EXPECTED`` is recounted here from the generated tables alone (no store), the
campaign's by CONTRACT §3's rule through ``schema.rules.count_four_forms``. The full scale is slow
(about half a million officials) and marked ``slow``.
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from loaders import demo
from schema import rules
from schema.model import NODE_KINDS, REL_KINDS

SCALES = ["small", pytest.param("full", marks=pytest.mark.slow)]
_CACHE: dict[str, dict[str, pa.Table]] = {}


def tables_for(scale: str) -> dict[str, pa.Table]:
    if scale not in _CACHE:
        _CACHE[scale] = demo.generate(scale)
    return _CACHE[scale]


@pytest.fixture(params=SCALES)
def scale(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def tables(scale: str) -> dict[str, pa.Table]:
    return tables_for(scale)


def rows(t: pa.Table, *cols: str) -> list[tuple]:
    return list(zip(*(t.column(c).to_pylist() for c in cols), strict=True))


def day(s: str | None) -> date | None:
    return None if s is None else date.fromisoformat(s)


# ---------------------------------------------------------------- determinism


def test_same_seed_same_tables() -> None:
    a, b = demo.generate("small"), demo.generate("small", seed=2023)
    assert a.keys() == b.keys()
    for name in a:
        assert a[name].equals(b[name]), name


def test_another_seed_other_people() -> None:
    a, b = tables_for("small"), demo.generate("small", seed=7)
    assert a["Official"].column("name").to_pylist() != b["Official"].column("name").to_pylist()


def test_unknown_scale_is_refused() -> None:
    with pytest.raises(ValueError, match="scale"):
        demo.generate("huge")  # type: ignore[arg-type]


# ---------------------------------------------------------------- valid against the model

_PATTERNS = {"date": r"^\d{4}-\d{2}-\d{2}$", "int": r"^-?\d+$", "float": r"^-?\d+(\.\d+)?$"}


def test_one_table_per_bundle_file_with_the_declared_columns(tables: dict[str, pa.Table]) -> None:
    assert set(tables) == set(NODE_KINDS) | set(REL_KINDS)
    for name, nk in NODE_KINDS.items():
        want = ["id", *(p.name for p in nk.properties.values() if not p.derived)]
        assert tables[name].column_names == want, name
    for name, rk in REL_KINDS.items():
        assert tables[name].column_names == ["from", "to", *rk.properties], name
    for name, t in tables.items():
        assert all(f.type == pa.string() for f in t.schema), name
        assert t.num_rows > 0, f"{name} is empty"
    assert "form" not in tables["Measure"].column_names and "period_end" not in tables["Measure"].column_names


def test_values_are_what_the_model_allows(tables: dict[str, pa.Table]) -> None:
    for name, kind in [*NODE_KINDS.items(), *REL_KINDS.items()]:
        t = tables[name]
        for prop in kind.properties.values():
            if prop.derived:
                continue
            col = t.column(prop.name)
            if prop.required:
                assert col.null_count == 0, f"{name}.{prop.name} has empty required cells"
            present = pc.drop_null(col)
            if prop.type == "enum":
                ok = pc.is_in(present, value_set=pa.array(prop.enum))
            elif prop.type == "bool":
                ok = pc.is_in(present, value_set=pa.array(["true", "false"]))
            elif prop.type in _PATTERNS:
                ok = pc.match_substring_regex(present, _PATTERNS[prop.type])
            else:
                continue
            bad = pc.filter(present, pc.invert(ok)).to_pylist()
            assert not bad, f"{name}.{prop.name}: {bad[:5]}"
            if prop.type == "date":
                for s in pc.unique(present).to_pylist():
                    date.fromisoformat(s)
    for name in NODE_KINDS:
        assert tables[name].column("id").null_count == 0


def test_ids_unique_and_every_relationship_well_formed(tables: dict[str, pa.Table]) -> None:
    kind_of: dict[str, str] = {}
    for name in NODE_KINDS:
        for i in tables[name].column("id").to_pylist():
            assert i not in kind_of, f"duplicate id {i} ({kind_of.get(i)} and {name})"
            kind_of[i] = name
    for name, rk in REL_KINDS.items():
        t = tables[name]
        pairs = set()
        for f, to in rows(t, "from", "to"):
            pairs.add((kind_of.get(f), kind_of.get(to)))
        assert all(rk.allows(f, to) for f, to in pairs), f"{name}: endpoint kinds {pairs}"
        key = rows(t, "from", "to", *rk.key_properties)
        assert len(key) == len(set(key)), f"{name}: a relationship is given twice"


# ---------------------------------------------------------------- the figures, counted from the tables


def count_figures(tables: dict[str, pa.Table]) -> dict[str, int]:
    events = {i: (k, d) for i, k, d in rows(tables["StudyEvent"], "id", "kind", "date")}
    in_2023 = {i for i, (_, d) in events.items() if d.startswith("2023-")}
    trained = {o for o, e in rows(tables["ATTENDED"], "from", "to") if e in in_2023}
    kinds = Counter(events[i][0] for i in in_2023)
    reports = {i: role for i, y, role in rows(tables["DutyReport"], "id", "year", "reporter_role") if y == "2023"}
    reporter_of = {r: o for o, r in rows(tables["SUBMITTED"], "from", "to") if r in reports}
    roles = Counter(reports[r] for r in reporter_of)
    reviewed = {
        reporter_of[r] for r, org in rows(tables["REVIEWED_BY"], "from", "to") if org == demo.PROVINCIAL_COMMISSION_ID
    }
    ins = Counter(k for k, s in rows(tables["Inspection"], "kind", "start") if s.startswith("2023-"))
    counted = rules.count_four_forms(campaign_facts(tables, demo.ROAD_TRAFFIC_CAMPAIGN_ID))
    return {
        "trained_officials": len(trained),
        "training_courses": kinds["training_course"],
        "lectures": kinds["lecture"],
        "duty_reporters": len(set(reporter_of.values())),
        "reporters_city_county": roles[demo.ROLE_CITY_COUNTY],
        "reporters_departments": roles[demo.ROLE_DEPARTMENTS],
        "reporters_township": roles[demo.ROLE_TOWNSHIP],
        "reporters_other": roles[demo.ROLE_OTHER],
        "reviewed_principals": len(reviewed),
        "inspections_comprehensive": ins["comprehensive"],
        "inspections_special": ins["special"],
        "campaign_held_accountable": counted.held_accountable,
        "campaign_sanctioned": counted.sanctioned,
        "campaign_transferred_to_discipline": counted.transferred_to_discipline,
        "campaign_transferred_to_judicial": counted.transferred_to_judicial,
        "campaign_exposed_cases": counted.exposed_cases,
        "nodes": sum(tables[k].num_rows for k in NODE_KINDS),
        "relationships": sum(tables[k].num_rows for k in REL_KINDS),
    }


def campaign_cases(tables: dict[str, pa.Table], campaign_id: str | None) -> set[str]:
    """CONTRACT §3: cases whose issue (directly or through a clue) an inspection PART_OF the campaign found."""
    inspections = {i for i, c in rows(tables["PART_OF"], "from", "to") if campaign_id is None or c == campaign_id}
    issues = {iss for i, iss in rows(tables["FOUND"], "from", "to") if i in inspections}
    clue_ids = set(tables["Clue"].column("id").to_pylist())
    led = rows(tables["LED_TO"], "from", "to")
    clues = {t for f, t in led if f in issues and t in clue_ids}
    return {t for f, t in led if (f in issues or f in clues) and t not in clue_ids}


def campaign_facts(tables: dict[str, pa.Table], campaign_id: str | None) -> rules.AccountabilityFacts:
    cases = campaign_cases(tables, campaign_id)
    officials = set(tables["Official"].column("id").to_pylist())
    measure_kind = dict(rows(tables["Measure"], "id", "kind"))
    transfer_kind = dict(rows(tables["Transfer"], "id", "kind"))
    subject_of = dict(rows(tables["APPLIES_TO"], "from", "to"))
    concerns: dict[str, list[str]] = defaultdict(list)
    for c, s in rows(tables["CONCERNS"], "from", "to"):
        if s in officials:
            concerns[c].append(s)
    facts = rules.AccountabilityFacts()
    for c, m in rows(tables["DECIDED"], "from", "to"):
        if c in cases:
            s = subject_of[m]
            facts.measures.append(rules.MeasureFact(m, measure_kind[m], s, s in officials, c))
    for c, t in rows(tables["TRANSFERRED"], "from", "to"):
        if c in cases:
            facts.transfers.append(rules.TransferFact(t, transfer_kind[t], c, tuple(sorted(concerns[c]))))
    facts.exposed_cases = {c for c, _ in rows(tables["EXPOSED_IN"], "from", "to") if c in cases}
    return facts


def test_expected_figures_are_in_the_tables(scale: str, tables: dict[str, pa.Table]) -> None:
    assert count_figures(tables) == demo.EXPECTED[scale]


@pytest.mark.slow
def test_full_scale_is_the_seed() -> None:
    e = demo.EXPECTED["full"]
    assert (e["trained_officials"], e["duty_reporters"], e["reviewed_principals"]) == (410_000, 34_144, 61)
    assert (e["reporters_city_county"], e["reporters_departments"], e["reporters_township"], e["reporters_other"]) == (
        1_791,
        20_176,
        5_565,
        6_612,
    )
    assert e["training_courses"] > 4000 and e["lectures"] > 1600
    assert e["inspections_comprehensive"] == 4 and e["inspections_special"] > 10
    assert (
        e["campaign_held_accountable"],
        e["campaign_sanctioned"],
        e["campaign_transferred_to_discipline"],
        e["campaign_transferred_to_judicial"],
        e["campaign_exposed_cases"],
    ) == (267, 30, 37, 3, 18)
    assert e["nodes"] >= 410_000 and e["relationships"] > e["nodes"]


def test_the_campaign_filter_matters(tables: dict[str, pa.Table]) -> None:
    everything = rules.count_four_forms(campaign_facts(tables, None))
    campaign = rules.count_four_forms(campaign_facts(tables, demo.ROAD_TRAFFIC_CAMPAIGN_ID))
    assert everything.held_accountable > campaign.held_accountable
    assert everything.exposed_cases > campaign.exposed_cases


def test_campaign_accountability_has_every_shape(tables: dict[str, pa.Table]) -> None:
    facts = campaign_facts(tables, demo.ROAD_TRAFFIC_CAMPAIGN_ID)
    person = [m for m in facts.measures if m.subject_is_official]
    assert {rules.form_of(m.kind) for m in person} == {1, 2, 3}
    assert any(not m.subject_is_official for m in facts.measures)  # 通报/检查 of an organisation
    per_person = Counter(m.subject for m in person)
    assert any(n > 1 for n in per_person.values())  # several measures
    party = {m.subject for m in person if m.kind in rules.PARTY_SANCTIONS}
    gov = {m.subject for m in person if m.kind in rules.GOV_SANCTIONS}
    assert party & gov  # both a party and a government sanction: counts once
    kinds = {t.kind for t in facts.transfers}
    assert rules.DISCIPLINE_TRANSFER in kinds and kinds & set(rules.JUDICIAL_TRANSFERS)
    cases = campaign_cases(tables, demo.ROAD_TRAFFIC_CAMPAIGN_ID)
    decided = {m for c, m in rows(tables["DECIDED"], "from", "to") if c in cases}
    for m, d, eff in rows(tables["Measure"], "id", "decided_on", "effective_on"):
        if m in decided:
            assert d.startswith("2023-") and eff == d
    sent = {t for c, t in rows(tables["TRANSFERRED"], "from", "to") if c in cases}
    for t, on, outcome, outcome_on in rows(tables["Transfer"], "id", "transferred_on", "outcome", "outcome_on"):
        if t in sent:
            assert on.startswith("2023-")
            assert (outcome_on is None) == (outcome == "pending")
            assert outcome_on is None or outcome_on >= on
    org_kind = dict(rows(tables["Organisation"], "id", "kind"))
    to_kinds = {org_kind[o] for _t, o in rows(tables["TO"], "from", "to")}
    assert {"discipline_commission"} < to_kinds


# ---------------------------------------------------------------- the shape of the world


def test_regions_are_gansu(tables: dict[str, pa.Table], scale: str) -> None:
    regions = {i: (n, lv) for i, n, lv in rows(tables["Region"], "id", "name", "level")}
    parent = dict(rows(tables["PART_OF"], "from", "to"))
    assert regions["620000"] == ("甘肃省", "province")
    assert regions["620100"] == ("兰州市", "prefecture")
    shared = Path(__file__).resolve().parents[3] / "shared" / "domain" / "gansu_divisions.csv"
    if shared.exists():
        with shared.open(encoding="utf-8") as f:
            real = {r["code"]: r["name_zh"] for r in csv.DictReader(f)}
        assert {code: name for code, name, _, _ in demo.divisions()} == real
    if scale == "full":
        levels = Counter(lv for _, lv in regions.values())
        assert levels["prefecture"] == 15 and levels["county"] == 86
        assert regions["620171"] == ("兰州新区", "prefecture") and parent["620171"] == "620000"
        assert "622927" in regions  # the row with a quoted comma
    for code, (_, lv) in regions.items():
        if lv == "township":
            assert len(code) == 9 and code.startswith(parent[code][:6]) or parent[code] == "620200"
            assert regions[parent[code]][1] in ("county", "prefecture")


def test_every_organisation_sits_in_a_region_and_departments_under_a_government(tables: dict[str, pa.Table]) -> None:
    org_kind = dict(rows(tables["Organisation"], "id", "kind"))
    in_region = dict(rows(tables["IN_REGION"], "from", "to"))
    assert set(in_region) == set(org_kind)
    under = dict(rows(tables["UNDER"], "from", "to"))
    for o, k in org_kind.items():
        if k == "department":
            assert org_kind[under[o]] in ("government", "new_area_admin", "party_committee")
    names = dict(rows(tables["Organisation"], "id", "name"))
    assert names[demo.PROVINCIAL_COMMISSION_ID] == "中共甘肃省委全面依法治省委员会"
    assert {"甘肃省交通运输厅", "甘肃省公安厅", "甘肃省司法厅"} <= set(names.values())


def posts(tables: dict[str, pa.Table]) -> list[dict]:
    return [
        dict(official=o, org=g, title=ti, post_kind=k, acting=a == "true", start=day(s), end=day(e))
        for o, g, ti, k, a, s, e in rows(
            tables["HELD_POST"], "from", "to", "title", "post_kind", "acting", "start", "end"
        )
    ]


def test_principal_posts_succeed_each_other_day_by_day(tables: dict[str, pa.Table]) -> None:
    by: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for p in posts(tables):
        assert p["end"] is None or p["start"] <= p["end"]
        if p["post_kind"] in rules.PRINCIPAL_POST_KINDS:
            by[(p["org"], p["post_kind"])].append(p)
    successions = 0
    for chain in by.values():
        chain.sort(key=lambda p: p["start"])
        for a, b in zip(chain, chain[1:], strict=False):
            assert a["end"] is not None and (b["start"] - a["end"]).days == 1, (a, b)
            successions += a["official"] != b["official"]
        assert chain[-1]["end"] is None  # someone is in post today
    assert successions > 0


def test_acting_posts_one_shoulder_and_moves(tables: dict[str, pa.Table]) -> None:
    ps = posts(tables)
    by_official: dict[str, list[dict]] = defaultdict(list)
    for p in ps:
        by_official[p["official"]].append(p)
    acting = [p for p in ps if p["acting"]]
    assert acting and all(p["title"].startswith("代") for p in acting)
    for a in acting:  # 代市长 → 市长: the same person is confirmed the next day
        assert any(
            q["org"] == a["org"] and not q["acting"] and q["start"] == a["end"].fromordinal(a["end"].toordinal() + 1)
            for q in by_official[a["official"]]
        )
    one_shoulder = [
        o
        for o, ps_ in by_official.items()
        if any(
            p["post_kind"] == "party_principal" and q["post_kind"] == "gov_principal" and p["org"] == q["org"]
            for p in ps_
            for q in ps_
        )
    ]
    assert one_shoulder
    movers = [
        o for o, ps_ in by_official.items() if len({p["org"] for p in ps_}) > 1 and len({p["start"] for p in ps_}) > 1
    ]
    assert movers


def test_officials_look_like_people(tables: dict[str, pa.Table]) -> None:
    names = tables["Official"].column("name").to_pylist()
    lengths = Counter(len(n) for n in names)
    assert lengths[2] > 0 and lengths[3] > 0
    eth = Counter(tables["Official"].column("ethnicity").to_pylist())
    assert eth.most_common(1)[0][0] == "汉族"


@pytest.mark.slow
def test_autonomous_governors_are_of_the_autonomous_nationality() -> None:
    t = tables_for("full")
    eth = dict(rows(t["Official"], "id", "ethnicity"))
    for o, g, k in rows(t["HELD_POST"], "from", "to", "post_kind"):
        if g == "ORG-623000-GOV" and k == "gov_principal":
            assert eth[o] == "藏族"
        if g == "ORG-622900-GOV" and k == "gov_principal":
            assert eth[o] == "回族"


def test_reviewed_principals_are_the_principals_on_the_review_day(scale: str, tables: dict[str, pa.Table]) -> None:
    reporter_of = {r: o for o, r in rows(tables["SUBMITTED"], "from", "to")}
    reviewed = [
        (reporter_of[r], day(d))
        for r, org, d in rows(tables["REVIEWED_BY"], "from", "to", "date")
        if org == demo.PROVINCIAL_COMMISSION_ID
    ]
    on = {d for _, d in reviewed}
    assert len(on) == 1
    (review_day,) = on
    assert date(2023, 10, 1) <= review_day <= date(2024, 3, 31)
    ps = posts(tables)
    org = {i: (k, lv) for i, k, lv in rows(tables["Organisation"], "id", "kind", "level")}
    region = dict(rows(tables["IN_REGION"], "from", "to"))
    units: dict[str, set[str]] = defaultdict(set)
    for official, _ in reviewed:
        held = [
            p
            for p in ps
            if p["official"] == official
            and p["post_kind"] in rules.PRINCIPAL_POST_KINDS
            and rules.post_covers(p["start"], p["end"], review_day)
        ]
        assert held, official
        for p in held:
            kind, level = org[p["org"]]
            if level == "prefecture":
                units[region[p["org"]]].add(official)
            else:
                assert level == "province" and kind in ("department", "public_security")
                units[p["org"]].add(official)
    per_unit = Counter(len(v) for v in units.values())
    if scale == "full":
        prefecture_units = [u for u in units if u.isdigit()]
        assert len(prefecture_units) == 15 and "620171" in prefecture_units
        assert len(units) == 45 and per_unit == Counter({1: 29, 2: 16})
    else:
        assert len(units) == 4 and per_unit == Counter({1: 2, 2: 2})


def test_issues_chain_in_date_order(tables: dict[str, pa.Table]) -> None:
    order = {
        k: i
        for i, k in enumerate(
            (
                "leader_instruction",
                "plan",
                "weekly_summary",
                "monthly_notice",
                "dispatch_meeting",
                "supervision_letter",
                "notice",
                "completion_report",
                "look_back",
                "closed",
            )
        )
    }
    for _i, occ, found, fb, dl in rows(tables["Issue"], "id", "occurred_on", "found_on", "feedback_on", "deadline"):
        assert occ <= found <= fb <= dl
    step = {i: (k, d) for i, k, d in rows(tables["RectificationStep"], "id", "kind", "date")}
    by_issue: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for iss, s in rows(tables["HAS_STEP"], "from", "to"):
        by_issue[iss].append(step[s])
    feedback = dict(rows(tables["Issue"], "id", "feedback_on"))
    for iss, steps in by_issue.items():
        steps.sort(key=lambda kd: kd[1])
        ranks = [order[k] for k, _ in steps]
        assert ranks == sorted(ranks), (iss, steps)
        assert steps[0][1] > feedback[iss]
    letters = [n for n, k in rows(tables["Document"], "doc_no", "kind") if k == "supervision_letter"]
    assert letters and all(re.fullmatch(r"甘法督〔20\d\d〕\d+号", n) for n in letters)


def test_responsibility_follows_the_holder_at_occurrence(tables: dict[str, pa.Table]) -> None:
    """Some issues happened just before a succession: the old holder is responsible, not today's."""
    ps = posts(tables)
    by_org: dict[str, list[dict]] = defaultdict(list)
    for p in ps:
        if p["post_kind"] in rules.PRINCIPAL_POST_KINDS:
            by_org[p["org"]].append(p)
    at = dict(rows(tables["AT"], "from", "to"))
    explicit = {i for i, _ in rows(tables["RESPONSIBLE"], "from", "to")}
    shifted = 0
    for i, occ, found in rows(tables["Issue"], "id", "occurred_on", "found_on"):
        then = rules.principals_at(by_org[at[i]], day(occ))
        later = rules.principals_at(by_org[at[i]], day(found))
        assert then, i
        if then != later and i not in explicit:
            shifted += 1
    assert shifted > 0
    assert 0 < len(explicit) < len(at) / 2  # most issues rely on the default rule


# ---------------------------------------------------------------- the caseload 2018–2024 (issue 10)

# 30,000 four-form person-times a year for Gansu (1.75 % of the national 2023 total, RESEARCH.md
# §9.1; loaders/demo/caseload_plan.py), and the published shares of forms 1–4.
CASELOAD_PER_YEAR = {"small": 20, "full": 30_000}
PUBLISHED_SHARES = ((0.62, 0.67), (0.24, 0.31), (0.03, 0.04), (0.04, 0.05))
DATA_END = "2024-12-31"


def four_forms_of_year(tables: dict[str, pa.Table], year: int) -> rules.FourFormsCount:
    """The whole province's figures for a year: measures by decided_on, transfers by transferred_on (CONTRACT §3)."""
    officials = set(tables["Official"].column("id").to_pylist())
    decided = dict(rows(tables["Measure"], "id", "decided_on"))
    kind = dict(rows(tables["Measure"], "id", "kind"))
    subject = dict(rows(tables["APPLIES_TO"], "from", "to"))
    sent = {t: (k, on) for t, k, on in rows(tables["Transfer"], "id", "kind", "transferred_on")}
    concerns: dict[str, list[str]] = defaultdict(list)
    for c, s in rows(tables["CONCERNS"], "from", "to"):
        if s in officials:
            concerns[c].append(s)
    facts = rules.AccountabilityFacts()
    for c, m in rows(tables["DECIDED"], "from", "to"):
        if decided[m].startswith(f"{year}-"):
            facts.measures.append(rules.MeasureFact(m, kind[m], subject[m], subject[m] in officials, c))
    for c, t in rows(tables["TRANSFERRED"], "from", "to"):
        if sent[t][1].startswith(f"{year}-"):
            facts.transfers.append(rules.TransferFact(t, sent[t][0], c, tuple(sorted(concerns[c]))))
    return rules.count_four_forms(facts)


def test_caseload_person_times_each_year(scale: str, tables: dict[str, pa.Table]) -> None:
    target = CASELOAD_PER_YEAR[scale]
    for year in range(2018, 2025):
        n = four_forms_of_year(tables, year)
        forms = (n.form1, n.form2, n.form3, n.form4)
        total = sum(forms)
        # the seed's own 2022 and 2023 cases come on top of the caseload
        assert target <= total <= target * 1.01 + 25, (year, total)
        assert n.held_accountable < total and n.sanctioned < n.held_accountable  # persons, not person-times
        if scale == "full":
            for (lo, hi), f in zip(PUBLISHED_SHARES, forms, strict=True):
                assert lo <= f / total <= hi, (year, forms)


def test_clues_about_twice_the_cases_filed(scale: str, tables: dict[str, pa.Table]) -> None:
    """Clues handled ≈ 2× cases filed (立案: disciplinary reviews and supervisory investigations, not 问责)."""
    kinds = Counter(tables["Case"].column("kind").to_pylist())
    filed = kinds["disciplinary_review"] + kinds["supervisory_investigation"]
    ratio = tables["Clue"].num_rows / filed
    assert (1.95 <= ratio <= 2.05) if scale == "full" else (1.5 <= ratio <= 2.5), ratio
    assert kinds["accountability"] > filed  # 问责 decisions are Cases too, but no bulletin files them
    # a clue leads to at most one case; most cases came through one
    led = rows(tables["LED_TO"], "from", "to")
    clue_ids = set(tables["Clue"].column("id").to_pylist())
    via_clue = Counter(f for f, _ in led if f in clue_ids)
    assert max(via_clue.values()) == 1
    assert len(via_clue) > tables["Case"].num_rows / 2


def test_caseload_dates_follow_the_chain(tables: dict[str, pa.Table]) -> None:
    opened = dict(rows(tables["Case"], "id", "opened_on"))
    closed = dict(rows(tables["Case"], "id", "closed_on"))
    decided = dict(rows(tables["Measure"], "id", "decided_on"))
    for c, m in rows(tables["DECIDED"], "from", "to"):
        assert opened[c] <= decided[m] <= DATA_END and (closed[c] is None or decided[m] <= closed[c]), (c, m)
    disposed = dict(rows(tables["Clue"], "id", "disposed_on"))
    received = dict(rows(tables["Clue"], "id", "received_on"))
    feedback = dict(rows(tables["Issue"], "id", "feedback_on"))
    for f, t in rows(tables["LED_TO"], "from", "to"):
        if f in disposed:  # clue → case
            assert disposed[f] is not None and disposed[f] <= opened[t], (f, t)
        elif t in received:  # issue → clue
            assert feedback[f] <= received[t] and (disposed[t] is None or received[t] <= disposed[t] <= DATA_END)
        else:  # issue → case
            assert feedback[f] <= opened[t]
    for _t, on, outcome, outcome_on in rows(tables["Transfer"], "id", "transferred_on", "outcome", "outcome_on"):
        assert (outcome_on is None) == (outcome == "pending") and (outcome_on is None or on <= outcome_on <= DATA_END)


def test_transfers_left_pending_and_rectification_overdue(tables: dict[str, pa.Table]) -> None:
    end = date.fromisoformat(DATA_END)
    stale = [
        t
        for t, on, outcome in rows(tables["Transfer"], "id", "transferred_on", "outcome")
        if outcome == "pending" and (end - date.fromisoformat(on)).days > rules.TRANSFER_OVERDUE_DAYS
    ]
    assert stale
    overdue = [
        i
        for i, dl, status in rows(tables["Issue"], "id", "deadline", "status")
        if dl < DATA_END and status in ("open", "rectifying", "reopened")
    ]
    finished = [i for i, status in rows(tables["Issue"], "id", "status") if status in ("rectified", "verified")]
    assert overdue and len(finished) > len(overdue)


def test_caseload_subjects_moved_and_held_both_principal_posts(scale: str, tables: dict[str, pa.Table]) -> None:
    """Accountability follows people: subjects who moved between regions, and 一肩挑 principals."""
    officials = set(tables["Official"].column("id").to_pylist())
    subjects = {s for _, s in rows(tables["APPLIES_TO"], "from", "to") if s in officials}
    region = dict(rows(tables["IN_REGION"], "from", "to"))
    parent = dict(rows(tables["PART_OF"], "from", "to"))
    prefecture_of: dict[str, str] = {}
    for code in set(region.values()):
        c = code
        while parent.get(c, "620000") != "620000":
            c = parent[c]
        prefecture_of[code] = c
    places: dict[str, set[str]] = defaultdict(set)
    kinds: dict[tuple[str, str], set[str]] = defaultdict(set)
    for o, g, k in rows(tables["HELD_POST"], "from", "to", "post_kind"):
        if o in subjects:
            places[o].add(prefecture_of[region[g]] if scale == "full" else g)
            kinds[(o, g)].add(k)
    assert sum(len(p) > 1 for p in places.values()) >= (100 if scale == "full" else 1)
    assert any({"party_principal", "gov_principal"} <= k for k in kinds.values())


@pytest.mark.slow
def test_caseload_is_skewed_without_end() -> None:
    """A few organisations carry many issues and a few officials many measures, but nobody endlessly."""
    t = tables_for("full")
    per_org = Counter(org for _, org in rows(t["AT"], "from", "to"))
    busiest = [n for _, n in per_org.most_common()]
    assert sum(busiest[: len(busiest) // 100]) > 0.08 * sum(busiest) and busiest[0] >= 100
    officials = set(t["Official"].column("id").to_pylist())
    per_official = Counter(s for _, s in rows(t["APPLIES_TO"], "from", "to") if s in officials)
    assert sum(n >= 5 for n in per_official.values()) > 1000 and max(per_official.values()) <= 15


# ---------------------------------------------------------------- the caseload multiplier (bench/volume.py)


def test_the_caseload_multiplier_leaves_the_seed_as_it_is() -> None:
    """Every table of the seed alone (caseload=0) is a prefix of the same table at 1× and 3×."""
    seed = demo.generate("small", caseload=0)
    assert "IS-2018-J-000001" not in seed["Issue"].column("id").to_pylist()
    for mult in (1, 3):
        t = tables_for("small") if mult == 1 else demo.generate("small", caseload=mult)
        assert "IS-2018-J-000001" in t["Issue"].column("id").to_pylist()
        for name, table in seed.items():
            assert t[name].slice(0, table.num_rows).equals(table), (mult, name)
        figures = count_figures(t)
        assert {k: v for k, v in figures.items() if k not in ("nodes", "relationships")} == {
            k: v for k, v in demo.EXPECTED["small"].items() if k not in ("nodes", "relationships")
        }


def test_the_caseload_multiplier_scales_each_year() -> None:
    t = demo.generate("small", caseload=3)
    one = tables_for("small")
    for year in range(2018, 2025):
        n = four_forms_of_year(t, year)
        total = n.form1 + n.form2 + n.form3 + n.form4
        assert 60 <= total <= 60 * 1.01 + 25, (year, total)
    assert 2.5 * one["Measure"].num_rows < t["Measure"].num_rows < 3.5 * one["Measure"].num_rows


@pytest.mark.parametrize("bad", [-1, float("nan")])
def test_a_negative_caseload_is_refused(bad: float) -> None:
    with pytest.raises(ValueError, match="caseload"):
        demo.generate("small", caseload=bad)
