"""责: accountability for the issues — clues, cases, measures, transfers, exposures, responsibility.

    >>> from loaders.demo import generate
    >>> t = generate("small")
    >>> t["Case"].num_rows > 0 and t["Measure"].num_rows > 0 and t["Transfer"].num_rows > 0
    True

The road-traffic campaign's cases are planned (``_campaign_plan``) so that CONTRACT §3's counting
gives exactly the seed's 267 held accountable, 30 sanctioned, 37 transferred to discipline organs,
3 to judicial organs and 18 exposed cases (or the small scale's figures), and checked with
``schema.rules.count_four_forms`` before the tables are returned. A few cases outside the campaign
(other 2023 inspections, 2022, one petition clue) make the campaign filter matter. Subjects are
people in post at the issue's organisation when it occurred; part of the issues get explicit
RESPONSIBLE edges, the rest fall on the principals then in office.
"""

from __future__ import annotations

from datetime import date

from loaders.demo.dates import iso, ymd
from loaders.demo.inspections import Found
from loaders.demo.records import CaseSpec, IssueRec, Org
from loaders.demo.state import DemoState
from loaders.demo.terms import (
    C_ACCOUNTABILITY,
    C_DISCIPLINARY,
    C_SUPERVISORY,
    D_DECISION,
    DEMOTION,
    DEPUTY,
    EXPULSION,
    FORM1_POOL,
    FORM1_WEIGHTS,
    GOV_EXPULSION,
    GOV_PRINCIPAL,
    GOV_SANCTION_POOL,
    K_GOVERNMENT,
    MAJOR,
    MINOR,
    O_ACCEPTED,
    O_CONVICTED,
    O_FILED,
    O_PENDING,
    O_PROSECUTED,
    O_RETURNED,
    ORG_HANDLING,
    ORG_MEASURES,
    PARTY_PRINCIPAL,
    PARTY_SANCTION_POOL,
    PREFECTURE,
    PRELIMINARY,
    PROVINCE_CODE,
    RESP_DIRECT,
    RESP_IMPORTANT,
    RESP_OVERALL,
    RESP_PRINCIPAL,
    SERIOUS,
    STAFF,
    T_DISCIPLINE,
    T_JUDICIAL,
    T_PROCURATORATE,
    TALK_OR_INQUIRY,
    TEAM_MEMBER,
)
from loaders.demo.vocabulary import DOC_ABBR, EXPOSURE_CHANNELS
from schema.rules import GOV_SANCTIONS, MEASURE_LABELS, PARTY_SANCTIONS, MeasureFact, TransferFact, count_four_forms


def build_accountability(st: DemoState, found: Found) -> None:
    """The campaign's cases, then the others; raises if the campaign's figures miss ``EXPECTED``."""
    _campaign_accountability(st, found.campaign)
    _other_accountability(st, found.other_2023, found.year_2022)
    _check_campaign(st)


def _campaign_plan(st: DemoState) -> list[CaseSpec]:
    """Cases whose counts give exactly the seed's 267 / 30 / 37 / 3 / 18 (or the small figures).

    Every subject is in exactly one campaign case, so persons are counted by construction:
    judicial subjects were first transferred for case filing (J ⊆ D), a few of the transferred
    were also sanctioned, and some sanctioned people have both a party and a government sanction.
    """
    rng, exp = st.rng, st.p.expected
    held, sanctioned_n = exp["campaign_held_accountable"], exp["campaign_sanctioned"]
    discipline_n, judicial_n = exp["campaign_transferred_to_discipline"], exp["campaign_transferred_to_judicial"]
    cases: list[CaseSpec] = []
    sanctioned = 0
    for i in range(judicial_n):
        measures: list[str] = []
        if i == 0 and sanctioned < sanctioned_n:
            measures = [EXPULSION, GOV_EXPULSION]  # 双开: counts once among the sanctioned
            sanctioned += 1
        elif i == 1 and sanctioned < sanctioned_n:
            measures = [EXPULSION]
            sanctioned += 1
        cases.append(CaseSpec([measures], [T_DISCIPLINE, (T_PROCURATORATE, T_JUDICIAL)[i % 2]], C_SUPERVISORY, 0, True))
    n = discipline_n - judicial_n
    with_sanction = min(sanctioned_n - sanctioned, round(n * 0.25))
    persons: list[list[str]] = []
    for i in range(n):
        if i < with_sanction:
            m = [rng.choice(PARTY_SANCTION_POOL)]
            if i % 3 == 0:
                m.append(rng.choice(GOV_SANCTION_POOL))
        elif i % 4 == 0:
            m = ["suspension_for_examination"]
        else:
            m = []
        persons.append(m)
    sanctioned += with_sanction
    rng.shuffle(persons)
    while persons:
        k = min(len(persons), rng.choice((1, 1, 2)))
        cases.append(CaseSpec(persons[:k], [T_DISCIPLINE], C_DISCIPLINARY, 1, True))
        persons = persons[k:]
    n = s_only = sanctioned_n - sanctioned
    both = max(1, n // 7) if n else 0
    for i in range(n):
        if i < both:
            m = [rng.choice(PARTY_SANCTION_POOL), rng.choice(GOV_SANCTION_POOL)]
        elif rng.random() < 0.5:
            m = [rng.choice(PARTY_SANCTION_POOL)]
        else:
            m = [rng.choice(GOV_SANCTION_POOL)]
        if rng.random() < 0.25:
            m.append(rng.choice(("removal_from_office", "post_adjustment")))
        persons.append(m)
    while persons:
        k = min(len(persons), rng.randint(1, 3))
        cases.append(CaseSpec(persons[:k], [], C_ACCOUNTABILITY, 2, rng.random() < 0.5))
        persons = persons[k:]
    n = held - discipline_n - s_only  # everyone else held accountable: form 1–3 measures, no sanction
    for i in range(n):
        if i == 0:
            m = [DEMOTION]
        elif i == 1:
            m = ["admonishment", "post_adjustment"]
        else:
            r = rng.random()
            m = (
                [rng.choice(ORG_HANDLING)]
                if r < 0.12
                else [DEMOTION]
                if r < 0.15
                else [rng.choices(FORM1_POOL, weights=FORM1_WEIGHTS)[0]]
            )
            if rng.random() < 0.15:
                extra = rng.choices(FORM1_POOL, weights=FORM1_WEIGHTS)[0]
                if extra not in m:
                    m.append(extra)
        persons.append(m)
    others: list[CaseSpec] = []
    while persons:
        k = min(len(persons), rng.randint(1, 4))
        others.append(CaseSpec(persons[:k], [], C_ACCOUNTABILITY, 3, rng.random() < 0.2))
        persons = persons[k:]
    others[0].cleared = 1
    for spec in others[:: max(2, len(others) // 6)]:
        spec.org_measure = rng.choice(ORG_MEASURES)
    cases += others
    # typical cases exposed (起): the judicial ones first, then heavy ones, then others
    heavy = [c for c in cases if c.tier in (1, 2)]
    rest = [c for c in cases if c.tier == 3]
    rng.shuffle(heavy)
    rng.shuffle(rest)
    for c in ([c for c in cases if c.tier == 0] + heavy + rest)[: exp["campaign_exposed_cases"]]:
        c.exposed = True
    return cases


def _campaign_accountability(st: DemoState, issues: list[IssueRec]) -> None:
    """The planned campaign cases on its issues: graver issues first, at most two cases per issue."""
    rng = st.rng
    specs = _campaign_plan(st)
    rank = {MAJOR: 0, SERIOUS: 1, MINOR: 2}
    order = sorted(issues, key=lambda i: (rank[i.severity], rng.random()))
    # issues that occurred just before a succession get a leadership case first
    order = [i for i in order if i.succession] + [i for i in order if not i.succession]
    specs.sort(key=lambda s: s.tier)
    slots = order + order  # at most two cases per issue
    for k, spec in enumerate(specs):
        issue = slots[k % len(slots)]
        _case(st, issue, spec, 2023, campaign=True, leadership=issue.succession and issue.cases == 0)


def _other_accountability(st: DemoState, issues_2023: list[IssueRec], issues_2022: list[IssueRec]) -> None:
    """Accountability outside the campaign, so the campaign filter matters."""
    rng, p = st.rng, st.p
    early = sorted((i for i in issues_2023 if i.feedback <= ymd(2023, 9, 30)), key=lambda i: i.id)
    for k in range(min(p.other_cases_2023, len(early))):
        issue = early[(k * 7) % len(early)]
        persons = [[rng.choices(FORM1_POOL, weights=FORM1_WEIGHTS)[0]] for _ in range(rng.randint(1, 2))]
        if k % 3 == 1:
            persons[0] = [rng.choice(PARTY_SANCTION_POOL)]
        spec = CaseSpec(
            persons,
            [T_DISCIPLINE] if k == 0 else [],
            C_ACCOUNTABILITY,
            3,
            k % 2 == 0,
            exposed=k == 1,
            org_measure=ORG_MEASURES[0] if k == 2 else None,
        )
        _case(st, issue, spec, 2023, campaign=False)
    for k in range(min(p.cases_2022, len(issues_2022))):
        spec = CaseSpec([[rng.choices(FORM1_POOL, weights=FORM1_WEIGHTS)[0]]], [], C_ACCOUNTABILITY, 3, False)
        _case(st, issues_2022[k], spec, 2022, campaign=False)
    # a case with no issue: a petition (信访举报) clue about a department deputy
    dept = next(o for o in st.orgs if o.key == "justice" and o.level == PREFECTURE)
    cand = [pid for pid, pk in st.members_at(dept.id, ymd(2023, 4, 1)) if pk == DEPUTY]
    if cand:
        clue = st.next_id("CL-2023", 4)
        st.t.node(
            "Clue",
            clue,
            source="petition_report",
            received_on=iso(ymd(2023, 4, 3)),
            disposal=TALK_OR_INQUIRY,
            disposed_on=iso(ymd(2023, 4, 25)),
        )
        case = st.next_id("CA-2023", 4)
        title = f"{dept.name}{st.official_names[cand[0]]}信访举报问题问责案"
        st.t.node(
            "Case",
            case,
            kind=C_ACCOUNTABILITY,
            title=title,
            opened_on=iso(ymd(2023, 5, 4)),
            closed_on=iso(ymd(2023, 6, 20)),
            status="closed",
        )
        st.t.rel("LED_TO", clue, case)
        st.t.rel("CONCERNS", case, st.official_ids[cand[0]])
        _measure(st, case, cand[0], "admonishment", ymd(2023, 6, 12), st.units[dept.unit]["dc"], False)


def _subjects(st: DemoState, issue: IssueRec, n: int, leadership: bool) -> list[tuple[int, str]]:
    """People to hold accountable for an issue: in post at its organisation when it occurred."""
    rng = st.rng
    members = [m for m in st.members_at(issue.org.id, issue.occurred) if m[0] not in st.used_subjects]
    principals = [m for m in members if m[1] in (PARTY_PRINCIPAL, GOV_PRINCIPAL)]
    rest = [m for m in members if m[1] not in (PARTY_PRINCIPAL, GOV_PRINCIPAL)]
    rng.shuffle(rest)
    chosen = principals[:1] if (leadership or rng.random() < 0.25) and principals else []
    chosen += rest[: n - len(chosen)]
    if len(chosen) < n:  # a small organisation: widen to the whole inspected area of the issue's unit
        more = [
            m
            for o in st.orgs
            if o.unit == issue.org.unit and o is not issue.org
            for m in st.members_at(o.id, issue.occurred)
            if m[0] not in st.used_subjects and m not in chosen
        ]
        chosen += more[: n - len(chosen)]
    if len(chosen) < n:
        raise AssertionError(f"not enough people at {issue.org.name} for a case of {n}")
    for pid, _ in chosen:
        st.used_subjects.add(pid)
    return chosen


def _measure(
    st: DemoState, case: str, pid: int, kind: str, day: int, by: Org, campaign: bool, subject_org: Org | None = None
) -> None:
    t = st.t
    mid = st.next_id(f"ME-{date.fromordinal(day).year}", 4)
    t.node("Measure", mid, kind=kind, decided_on=iso(day), effective_on=iso(day))
    t.rel("DECIDED", case, mid)
    t.rel("BY", mid, by.id)
    if subject_org is not None:
        t.rel("APPLIES_TO", mid, subject_org.id)
        if campaign:
            st.campaign_facts.measures.append(MeasureFact(mid, kind, subject_org.id, False, case))
        return
    t.rel("APPLIES_TO", mid, st.official_ids[pid])
    if campaign:
        st.campaign_facts.measures.append(MeasureFact(mid, kind, st.official_ids[pid], True, case))
    if kind in PARTY_SANCTIONS or kind in GOV_SANCTIONS:
        region = st.regions[by.unit]
        doc = st.doc(
            f"关于给予{st.official_names[pid]}{MEASURE_LABELS[kind]}处分的决定",
            st.doc_no(f"{DOC_ABBR.get(region.prefecture, '甘')}纪处", date.fromordinal(day).year),
            day,
            D_DECISION,
        )
        t.rel("EVIDENCED_BY", mid, doc, page=1, note="处分决定")


def _case(st: DemoState, issue: IssueRec, spec: CaseSpec, year: int, campaign: bool, leadership: bool = False) -> None:
    rng, t = st.rng, st.t
    ids = st.official_ids
    cap = ymd(year, 12, 31)
    n_subjects = len(spec.persons) + spec.cleared
    subjects = _subjects(st, issue, n_subjects, leadership)
    issue.cases += 1
    unit = st.units[issue.org.unit]
    dc, pc = unit["dc"], unit["pc"]
    base = issue.feedback
    if spec.via_clue:
        clue = st.next_id(f"CL-{year}", 4)
        received = base + rng.randint(3, 15)
        disposed = received + rng.randint(10, 25)
        disposal = PRELIMINARY if spec.tier <= 2 else rng.choice((TALK_OR_INQUIRY, PRELIMINARY))
        t.node(
            "Clue",
            clue,
            source="rule_of_law_inspection_transfer",
            received_on=iso(received),
            disposal=disposal,
            disposed_on=iso(disposed),
        )
        t.rel("LED_TO", issue.id, clue)
        opened = disposed + rng.randint(2, 10)
    else:
        opened = base + rng.randint(10, 30)
    opened = min(opened, cap - 70)
    first_name = st.official_names[subjects[0][0]]
    tail = f"等{n_subjects}人" if n_subjects > 1 else ""
    case = st.next_id(f"CA-{year}", 4)
    dates: list[int] = []
    # measures
    resp_kind = {
        PARTY_PRINCIPAL: RESP_PRINCIPAL,
        GOV_PRINCIPAL: RESP_PRINCIPAL,
        DEPUTY: RESP_IMPORTANT,
        TEAM_MEMBER: RESP_IMPORTANT,
        STAFF: RESP_DIRECT,
    }
    pending = False
    for (pid, _pk), measures in zip(subjects, spec.persons, strict=False):
        for kind in measures:
            day = min(opened + rng.randint(15, 60), cap - 5)
            by = pc if kind in ORG_HANDLING or kind == DEMOTION or kind == "circulated_criticism" else dc
            _measure(st, case, pid, kind, day, by, campaign)
            dates.append(day)
    if spec.org_measure:
        day = min(opened + rng.randint(15, 60), cap - 5)
        _measure(st, case, -1, spec.org_measure, day, pc, campaign, subject_org=issue.org)
        dates.append(day)
    # transfers (all subjects of the case are transferred)
    subject_ids = tuple(sorted(ids[pid] for pid, _ in subjects))
    sent = None
    for kind in spec.transfers:
        sent = min((opened if sent is None else sent) + rng.randint(5, 40), cap - 3)
        if kind == T_DISCIPLINE:
            to = dc
            outcome = rng.choices((O_FILED, O_ACCEPTED, O_PENDING, O_RETURNED), weights=(70, 10, 15, 5))[0]
        else:
            to = (
                unit.get("proc") or st.units[PROVINCE_CODE]["proc"]
                if kind == T_PROCURATORATE
                else (unit.get("psb") or st.units[PROVINCE_CODE]["psb"])
            )
            outcome = O_PROSECUTED if kind == T_PROCURATORATE else rng.choice((O_FILED, O_CONVICTED))
        tid = st.next_id(f"TR-{year}", 3)
        outcome_on = None if outcome == O_PENDING else sent + rng.randint(20, 120)
        pending = pending or outcome == O_PENDING
        t.node("Transfer", tid, kind=kind, transferred_on=iso(sent), outcome=outcome, outcome_on=iso(outcome_on))
        t.rel("TRANSFERRED", case, tid)
        t.rel("TO", tid, to.id)
        dates.append(outcome_on or sent)
        if campaign:
            st.campaign_facts.transfers.append(TransferFact(tid, kind, case, subject_ids))
    closed = None if pending or rng.random() < 0.1 else max(dates or [opened]) + rng.randint(3, 20)
    t.node(
        "Case",
        case,
        kind=spec.kind,
        title=f"{issue.org.name}{first_name}{tail}{issue.category}问题案",
        opened_on=iso(opened),
        closed_on=iso(closed),
        status="closed" if closed else "open",
    )
    if spec.via_clue:
        t.rel("LED_TO", clue, case)
    else:
        t.rel("LED_TO", issue.id, case)
    for pid, _ in subjects:
        t.rel("CONCERNS", case, ids[pid])
    if spec.org_measure:
        t.rel("CONCERNS", case, issue.org.id)
    # explicit responsibility on part of the issues (the rest falls on the principals then in office)
    if issue.cases == 1 and rng.random() < 0.45:
        for pid, pk in subjects:
            t.rel("RESPONSIBLE", issue.id, ids[pid], kind=resp_kind[pk])
        if issue.org.kind == K_GOVERNMENT:
            secretary = [x for x in st.principals_at(pc.id, issue.occurred) if x not in {s for s, _ in subjects}]
            if secretary:
                t.rel("RESPONSIBLE", issue.id, ids[secretary[0]], kind=RESP_OVERALL)
    if spec.exposed:
        xid = st.next_id(f"EX-{year}", 3)
        published = max(dates or [opened]) + rng.randint(10, 40)
        label = "道路交通安全和运输执法领域" if campaign else "法治督察发现"
        t.node(
            "Exposure",
            xid,
            published_on=iso(published),
            channel=rng.choice(EXPOSURE_CHANNELS),
            title=f"{label}典型问题通报：{issue.org.name}{issue.category}问题",
        )
        t.rel("EXPOSED_IN", case, xid)
        if campaign:
            st.campaign_facts.exposed_cases.add(case)


def _check_campaign(st: DemoState) -> None:
    """Count the campaign's figures as CONTRACT §3 does and raise if any misses ``EXPECTED``."""
    exp = st.p.expected
    got = count_four_forms(st.campaign_facts)
    figures = {
        "campaign_held_accountable": got.held_accountable,
        "campaign_sanctioned": got.sanctioned,
        "campaign_transferred_to_discipline": got.transferred_to_discipline,
        "campaign_transferred_to_judicial": got.transferred_to_judicial,
        "campaign_exposed_cases": got.exposed_cases,
    }
    wrong = {k: (v, exp[k]) for k, v in figures.items() if v != exp[k]}
    if wrong:
        raise AssertionError(f"campaign figures (got, expected): {wrong}")
