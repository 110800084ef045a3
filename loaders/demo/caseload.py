"""责 at a province's real caseload, 2018–2024: issues, clues, cases, measures, transfers, exposures, steps.

    >>> from loaders.demo import generate
    >>> t = generate("small")
    >>> any(i.startswith("IS-2019-J") for i in t["Issue"].column("id").to_pylist())
    True

``caseload_plan.plan_year`` says, per year, which issues lead to which cases and measures (sized by
the published figures cited there); this stage places them in the world built so far:

- an issue is AT an organisation drawn with a skewed weight (its people, times a Pareto draw, so a
  few organisations carry many issues), found by a half-yearly 监督检查 of its unit's 纪委监委 (an
  Inspection PART_OF that year's ``CP-{year}-DISCIPLINE-SUPERVISION`` plan, never a seed campaign),
  having occurred up to two years before;
- its subjects are people in post there on the day it occurred (principals, deputies, staff, by a
  mix per grade), so movers and 一肩挑 principals answer for what happened on their watch, and no
  one in more than ``_MAX_CASES`` cases; 30 % of the issues with cases name them in RESPONSIBLE
  edges, the rest fall to the principal-at-occurrence rule;
- cases come through a Clue (most) or straight from the issue; every measure and transfer of a
  year's cases is dated in that year, so a year's person-times are exactly the plan's;
- transfers have outcomes (some still pending long after 90 days), some cases are exposed, and the
  issue's RectificationSteps go as far as its age allows (deadlines missed while still rectifying).

It runs after the seed's stages and draws from the same ``rng`` after them, so every seed row and
figure is as before.
"""

from __future__ import annotations

from bisect import bisect
from collections.abc import Callable
from datetime import date
from itertools import accumulate
from typing import Generic, TypeVar

from loaders.demo.caseload_plan import BY_PARTY_COMMITTEE, CRIMINAL, HEAVY, LIGHT, MEDIUM, CasePlan, plan_year
from loaders.demo.dates import WINDOW_END, WINDOW_START, iso, ymd
from loaders.demo.records import Org
from loaders.demo.state import DemoState
from loaders.demo.terms import (
    BACK_TO_BACK,
    CLUE_CLOSED,
    DEPUTY,
    GOV_PRINCIPAL,
    IMMEDIATE,
    INSPECTION_PLAN,
    K_COURT,
    K_DEPARTMENT,
    K_DISCIPLINE,
    K_GOVERNMENT,
    K_NEW_AREA_ADMIN,
    K_OTHER,
    K_PARTY_COMMITTEE,
    K_PROCURATORATE,
    K_PUBLIC_SECURITY,
    K_ROL_OFFICE,
    K_SUBDISTRICT,
    K_TOWNSHIP,
    LONG_TERM,
    MAJOR,
    MINOR,
    O_ACCEPTED,
    O_CONVICTED,
    O_FILED,
    O_PENDING,
    O_PROSECUTED,
    O_RETURNED,
    PARTY_PRINCIPAL,
    POINT_TO_POINT,
    PRELIMINARY,
    PROVINCE_CODE,
    RESP_DIRECT,
    RESP_IMPORTANT,
    RESP_OVERALL,
    RESP_PRINCIPAL,
    S_OPEN,
    S_RECTIFIED,
    S_RECTIFYING,
    S_REOPENED,
    S_VERIFIED,
    SERIOUS,
    SHELVED,
    ST_CLOSED,
    ST_COMPLETION,
    ST_LETTER,
    ST_LOOK_BACK,
    ST_PLAN,
    STAFF,
    T_DISCIPLINE,
    T_JUDICIAL,
    T_PROCURATORATE,
    TALK_OR_INQUIRY,
    TEAM_MEMBER,
    TIME_LIMITED,
)
from loaders.demo.vocabulary import CASELOAD_ISSUES, CLUE_SOURCES, EXPOSURE_CHANNELS, SUPERVISION_KINDS

YEARS = tuple(range(date.fromordinal(WINDOW_START).year, date.fromordinal(WINDOW_END).year + 1))
_PRINCIPAL_KINDS = (PARTY_PRINCIPAL, GOV_PRINCIPAL)
_MAX_CASES = 6  # cases one person answers in over the seven years (a few reach it)
# Who answers, by grade: weights of (a principal, a deputy or team member, a staff member).
_ROLE_MIX = {CRIMINAL: (30, 40, 30), HEAVY: (30, 40, 30), MEDIUM: (15, 35, 50), LIGHT: (10, 25, 65)}
_KIND_WEIGHT = {
    K_TOWNSHIP: 1.6,
    K_SUBDISTRICT: 1.2,
    K_PUBLIC_SECURITY: 1.3,
    K_DEPARTMENT: 1.0,
    K_GOVERNMENT: 0.7,
    K_NEW_AREA_ADMIN: 0.8,
    K_PARTY_COMMITTEE: 0.4,
    K_PROCURATORATE: 0.5,
    K_COURT: 0.6,
    K_DISCIPLINE: 0.3,
    K_ROL_OFFICE: 0.2,
    K_OTHER: 0.4,
}
_RESP_OF_POST = {
    PARTY_PRINCIPAL: RESP_PRINCIPAL,
    GOV_PRINCIPAL: RESP_PRINCIPAL,
    DEPUTY: RESP_IMPORTANT,
    TEAM_MEMBER: RESP_IMPORTANT,
    STAFF: RESP_DIRECT,
}
_SEVERITY = {
    CRIMINAL: ((MAJOR, 1),),
    HEAVY: ((MAJOR, 6), (SERIOUS, 4)),
    MEDIUM: ((SERIOUS, 7), (MINOR, 3)),
    LIGHT: ((MINOR, 7), (SERIOUS, 3)),
    None: ((MINOR, 6), (SERIOUS, 4)),
}
# Issue status by the issue's age at the end of 2024: (open, rectifying, rectified, verified, reopened).
_STATUS_BY_AGE = ((22, 45, 20, 12, 1), (4, 20, 36, 37, 3), (0, 6, 30, 61, 3))
_STATUSES = (S_OPEN, S_RECTIFYING, S_RECTIFIED, S_VERIFIED, S_REOPENED)
_OUTCOMES = {
    T_PROCURATORATE: ((O_PROSECUTED, 75), (O_ACCEPTED, 15), (O_PENDING, 10)),
    T_JUDICIAL: ((O_CONVICTED, 70), (O_ACCEPTED, 15), (O_PENDING, 15)),
    T_DISCIPLINE: ((O_FILED, 70), (O_ACCEPTED, 10), (O_RETURNED, 5), ("dropped", 5), (O_PENDING, 10)),
}
_IDLE_DISPOSALS = ((TALK_OR_INQUIRY, 45), (SHELVED, 15), (CLUE_CLOSED, 40))


T = TypeVar("T")


class _Draw(Generic[T]):
    """Weighted draws from a fixed pool, one uniform number each (``random.choices`` without its overhead)."""

    __slots__ = ("items", "cum", "total")

    def __init__(self, pool: tuple[tuple[T, float], ...]) -> None:
        self.items = [k for k, _ in pool]
        self.cum = list(accumulate(w for _, w in pool))
        self.total = self.cum[-1]

    def __call__(self, rnd: Callable[[], float]) -> T:
        return self.items[bisect(self.cum, rnd() * self.total)]


_ROLE_DRAW = {g: _Draw(((0, a), (1, b), (2, c))) for g, (a, b, c) in _ROLE_MIX.items()}
_SEVERITY_DRAW = {g: _Draw(pool) for g, pool in _SEVERITY.items()}
_STATUS_DRAW = [_Draw(tuple(zip(_STATUSES, w, strict=True))) for w in _STATUS_BY_AGE]
_OUTCOME_DRAW = {k: _Draw(pool) for k, pool in _OUTCOMES.items()}
_IDLE_DRAW = _Draw(_IDLE_DISPOSALS)
_SOURCE_DRAW = _Draw(CLUE_SOURCES)
_SUPERVISION_DRAW = _Draw(SUPERVISION_KINDS)
_DEADLINE_DRAW = _Draw(((IMMEDIATE, 3), (TIME_LIMITED, 6), (LONG_TERM, 1)))
_FORM_DRAW = _Draw(((POINT_TO_POINT, 2), (BACK_TO_BACK, 1)))


class _Caseload:
    """What the stage keeps while it writes: row writers, the organisations' weights, the inspections so far."""

    def __init__(self, st: DemoState) -> None:
        self.st, self.rnd = st, st.rng.random
        t = st.t
        staff = st.staff_index()
        self.orgs = [o for o in st.orgs if o.key != "commission"]
        weights = []
        for o in self.orgs:  # a few organisations carry many issues: people ** 0.7 × kind × Pareto(1.3)
            people = len(staff.get(o.id, ())) + len(st.rows_by_org.get(o.id, ()))
            weights.append((o, people**0.7 * _KIND_WEIGHT[o.kind] * min(st.rng.paretovariate(1.3), 40.0)))
        self.org_draw = _Draw(tuple(weights))
        self.windows: dict[tuple[str, int, int], tuple[str, int, int]] = {}
        self.written: set[str] = set()
        self.inspected: set[tuple[str, str]] = set()
        self.cases_of: dict[int, int] = {}  # pid -> cases so far
        self.busy: set[int] = set()  # pids at _MAX_CASES: nobody is held accountable without end
        self.issue = t.appender(
            "Issue",
            "id",
            "summary",
            "category",
            "severity",
            "occurred_on",
            "found_on",
            "feedback_on",
            "feedback_form",
            "deadline",
            "deadline_kind",
            "status",
        )
        self.clue = t.appender("Clue", "id", "source", "received_on", "disposal", "disposed_on")
        self.case = t.appender("Case", "id", "kind", "title", "opened_on", "closed_on", "status")
        self.measure = t.appender("Measure", "id", "kind", "decided_on", "effective_on")
        self.transfer = t.appender("Transfer", "id", "kind", "transferred_on", "outcome", "outcome_on")
        self.exposure = t.appender("Exposure", "id", "published_on", "channel", "title")
        self.step = t.appender("RectificationStep", "id", "kind", "date", "note")
        self.responsible = t.appender("RESPONSIBLE", "from", "to", "kind")
        self.edge = {
            k: t.appender(k, "from", "to")
            for k in (
                "FOUND",
                "AT",
                "LED_TO",
                "CONCERNS",
                "DECIDED",
                "BY",
                "APPLIES_TO",
                "TRANSFERRED",
                "TO",
                "EXPOSED_IN",
                "HAS_STEP",
                "INSPECTED",
            )
        }

    def between(self, a: int, b: int) -> int:
        """A uniform integer in [a, b] (``randint`` without its overhead)."""
        return a + int(self.rnd() * (b - a + 1))


def build_caseload(st: DemoState) -> None:
    """The caseload of every year 2018–2024 at ``PARAMS[scale].caseload_person_times`` a year."""
    cl = _Caseload(st)
    for year in YEARS:
        st.t.node(
            "Campaign", _campaign_id(year), name=f"{year}年全省纪检监察机关监督检查", year=year, kind=INSPECTION_PLAN
        )
        for plan in plan_year(st.rng, st.p.caseload_person_times):
            _issue(cl, year, plan.cases, plan.idle_clues, plan.grade)


def _campaign_id(year: int) -> str:
    return f"CP-{year}-DISCIPLINE-SUPERVISION"


def _window(cl: _Caseload, org: Org, year: int, half: int) -> tuple[str, int, int]:
    """The half-yearly 监督检查 of the organisation's unit (id, start, end), drawn on first use."""
    key = (org.unit, year, half)
    if key not in cl.windows:
        start = (ymd(year, 3, 1) if half == 0 else ymd(year, 6, 15)) + cl.between(0, 45)
        cl.windows[key] = (cl.st.next_id(f"IN-{year}-J", 4), start, start + cl.between(10, 20))
    return cl.windows[key]


def _write_inspection(cl: _Caseload, org: Org, year: int, half: int) -> str:
    st = cl.st
    iid, start, end = cl.windows[(org.unit, year, half)]
    if iid not in cl.written:
        cl.written.add(iid)
        kind, label = _SUPERVISION_DRAW(cl.rnd)
        dc = st.units[org.unit]["dc"]
        title = f"{year}年{dc.name}{'上半年' if half == 0 else '下半年'}{label}"
        st.t.node("Inspection", iid, kind=kind, title=title, start=iso(start), end=iso(end))
        st.t.rel("ORGANISED", dc.id, iid)
        st.t.rel("PART_OF", iid, _campaign_id(year))
    if (iid, org.id) not in cl.inspected:
        cl.inspected.add((iid, org.id))
        cl.edge["INSPECTED"]((iid, org.id))
    return iid


class _People:
    """Who was in post at an organisation on a day, for drawing an issue's subjects without repeats."""

    def __init__(self, cl: _Caseload, org: Org, day: int) -> None:
        self.cl, self.day = cl, day
        self.taken: set[int] = set()
        self.busy = cl.busy
        self.principals: list[tuple[int, str]] = []
        self.leaders: list[tuple[int, str]] = []
        for pid, pk, s, e in cl.st.rows_by_org.get(org.id, ()):
            if s <= day and (e is None or day <= e):
                (self.principals if pk in _PRINCIPAL_KINDS else self.leaders).append((pid, pk))
        self.staff = cl.st.staff_index().get(org.id, ())

    def _from(self, pool: list[tuple[int, str]]) -> tuple[int, str] | None:
        free = [p for p in pool if p[0] not in self.taken and p[0] not in self.busy]
        return free[int(self.cl.rnd() * len(free))] if free else None

    def _staff_member(self) -> tuple[int, str] | None:
        rnd, day, staff, taken, busy = self.cl.rnd, self.day, self.staff, self.taken, self.busy
        for _ in range(8 if len(staff) > 16 else 0):
            pid, s, e = staff[int(rnd() * len(staff))]
            if s <= day and (e is None or day <= e) and pid not in taken and pid not in busy:
                return pid, STAFF
        free = [
            pid for pid, s, e in staff if s <= day and (e is None or day <= e) and pid not in taken and pid not in busy
        ]
        return (free[int(rnd() * len(free))], STAFF) if free else None

    def pick(self, grade: str) -> tuple[int, str] | None:
        """A principal, a deputy or team member, or a staff member by the grade's mix; None if nobody is left."""
        first = _ROLE_DRAW[grade](self.cl.rnd)
        for role in (first, 2, 1, 0):
            got = self._staff_member() if role == 2 else self._from(self.principals if role == 0 else self.leaders)
            if got is not None:
                self.taken.add(got[0])
                return got
        return None


def _issue(cl: _Caseload, year: int, cases: list[CasePlan], idle_clues: int, grade: str | None) -> None:
    """One issue with its cases, clues and steps; the organisation is drawn again if too few people fit."""
    st, between, edge = cl.st, cl.between, cl.edge
    rnd = cl.rnd
    for _attempt in range(30):
        org = cl.org_draw(rnd)
        half = int(rnd() * 2)
        _iid, start, end = _window(cl, org, year, half)
        found = between(start, end)
        occurred = max(WINDOW_START, found - between(20, 720))
        people = _People(cl, org, occurred)
        subjects = [[people.pick(c.grade) for _ in c.persons] for c in cases]
        if all(s is not None for case in subjects for s in case):
            break
    else:
        raise AssertionError(f"no organisation has people for an issue of {sum(len(c.persons) for c in cases)}")
    iid = _write_inspection(cl, org, year, half)
    for pid in people.taken:
        n = cl.cases_of[pid] = cl.cases_of.get(pid, 0) + 1
        if n >= _MAX_CASES:
            cl.busy.add(pid)
    feedback = end + between(10, 20)
    dk = _DEADLINE_DRAW(rnd)
    deadline = feedback + (
        15 if dk == IMMEDIATE else (30, 60, 90)[int(rnd() * 3)] if dk == TIME_LIMITED else between(180, 270)
    )
    catalogue = CASELOAD_ISSUES[grade]
    category, details = catalogue[int(rnd() * len(catalogue))]
    issue = st.next_id(f"IS-{year}-J", 6)
    dc = st.units[org.unit]["dc"]
    status = _rectification(cl, issue, org, dc, feedback, year)
    cl.issue(
        (
            issue,
            org.name + details[int(rnd() * len(details))],
            category,
            _SEVERITY_DRAW[grade](rnd),
            iso(occurred),
            iso(found),
            iso(feedback),
            _FORM_DRAW(rnd),
            iso(deadline),
            dk,
            status,
        )
    )
    edge["FOUND"]((iid, issue))
    edge["AT"]((issue, org.id))
    for _ in range(idle_clues):
        received = feedback + between(3, 60)
        disposed: int | None = received + between(10, 40)
        disposal: str | None = _IDLE_DRAW(rnd)
        if disposed is not None and disposed > WINDOW_END:
            disposed = disposal = None  # still being handled when the data end
        clue = st.next_id(f"CL-{year}-J", 6)
        cl.clue((clue, _SOURCE_DRAW(rnd), iso(received), disposal, iso(disposed)))
        edge["LED_TO"]((issue, clue))
    for plan, picked in zip(cases, subjects, strict=True):
        _case(cl, year, issue, org, category, feedback, plan, [p for p in picked if p is not None])
    if cases and rnd() < 0.3:  # explicit attribution; the rest falls on the principals then in office
        named = [p for p in subjects[0] if p is not None]
        for pid, pk in named:
            cl.responsible((issue, st.official_ids[pid], _RESP_OF_POST[pk]))
        if org.kind == K_GOVERNMENT:
            pc = st.units[org.unit]["pc"]
            secretary = [x for x in st.principals_at(pc.id, occurred) if x not in {pid for pid, _ in named}]
            if secretary:
                cl.responsible((issue, st.official_ids[secretary[0]], RESP_OVERALL))


def _case(
    cl: _Caseload,
    year: int,
    issue: str,
    org: Org,
    category: str,
    feedback: int,
    plan: CasePlan,
    subjects: list[tuple[int, str]],
) -> None:
    """A case of the issue: its clue (if any), measures, transfer, exposure; all decided within ``year``."""
    st, between, edge, rnd = cl.st, cl.between, cl.edge, cl.rnd
    ids = st.official_ids
    cap = ymd(year, 12, 31)
    unit = st.units[org.unit]
    case = st.next_id(f"CA-{year}-J", 6)
    if plan.via_clue:
        received = feedback + between(3, 20)
        disposed = received + between(10, 30)
        disposal = PRELIMINARY if plan.grade != LIGHT or rnd() < 0.4 else TALK_OR_INQUIRY
        clue = st.next_id(f"CL-{year}-J", 6)
        cl.clue((clue, _SOURCE_DRAW(rnd), iso(received), disposal, iso(disposed)))
        edge["LED_TO"]((issue, clue))
        edge["LED_TO"]((clue, case))
        opened = disposed + between(2, 10)
    else:
        edge["LED_TO"]((issue, case))
        opened = feedback + between(10, 30)
    opened = min(opened, cap - 20)
    dates = [opened]
    for (pid, _pk), measures in zip(subjects, plan.persons, strict=True):
        edge["CONCERNS"]((case, ids[pid]))
        for kind in measures:
            day = min(opened + between(15, 60), cap)
            _measure(cl, year, case, ids[pid], kind, day, unit["pc" if kind in BY_PARTY_COMMITTEE else "dc"])
            dates.append(day)
    if plan.org_measure:
        day = min(opened + between(15, 60), cap)
        edge["CONCERNS"]((case, org.id))
        _measure(cl, year, case, org.id, plan.org_measure, day, unit["pc"])
        dates.append(day)
    pending = False
    if plan.transfer:
        sent = min(opened + between(10, 45), cap)
        province = st.units[PROVINCE_CODE]
        if plan.transfer == T_DISCIPLINE:
            to = unit["dc"]
        elif plan.transfer == T_PROCURATORATE:
            to = unit.get("proc") or province["proc"]
        else:
            to = unit.get("court") or province["court"]
        outcome = _OUTCOME_DRAW[plan.transfer](rnd)
        outcome_on: int | None = None if outcome == O_PENDING else sent + between(20, 150)
        if outcome_on is not None and outcome_on > WINDOW_END:
            outcome, outcome_on = O_PENDING, None  # no outcome yet when the data end
        pending = outcome == O_PENDING
        tid = st.next_id(f"TR-{year}-J", 5)
        cl.transfer((tid, plan.transfer, iso(sent), outcome, iso(outcome_on)))
        edge["TRANSFERRED"]((case, tid))
        edge["TO"]((tid, to.id))
        dates.append(outcome_on or sent)
    last = max(dates)
    closed = None if pending or rnd() < 0.04 else last + between(3, 20)
    if closed is not None and closed > WINDOW_END:
        closed = None
    name = st.official_names[subjects[0][0]]
    tail = f"等{len(subjects)}人" if len(subjects) > 1 else ""
    cl.case(
        (
            case,
            plan.kind,
            f"{org.name}{name}{tail}{category}问题案",
            iso(opened),
            iso(closed),
            "closed" if closed else "open",
        )
    )
    published = last + between(10, 40)
    if plan.exposed and published <= WINDOW_END:
        xid = st.next_id(f"EX-{year}-J", 4)
        channel = EXPOSURE_CHANNELS[int(rnd() * len(EXPOSURE_CHANNELS))]
        cl.exposure((xid, iso(published), channel, f"纪检监察机关通报典型问题：{org.name}{name}{category}问题"))
        edge["EXPOSED_IN"]((case, xid))


def _measure(cl: _Caseload, year: int, case: str, subject: str, kind: str, day: int, by: Org) -> None:
    mid = cl.st.next_id(f"ME-{year}-J", 6)
    d = iso(day)
    cl.measure((mid, kind, d, d))
    cl.edge["DECIDED"]((case, mid))
    cl.edge["BY"]((mid, by.id))
    cl.edge["APPLIES_TO"]((mid, subject))


def _rectification(cl: _Caseload, issue: str, org: Org, dc: Org, feedback: int, year: int) -> str:
    """The issue's steps as far as its age allows (整改方案 → 督办函 → 整改报告 → 回头看/销号); its status."""
    between, rnd = cl.between, cl.rnd
    age = min(date.fromordinal(WINDOW_END).year - year, len(_STATUS_DRAW) - 1)
    status = _STATUS_DRAW[age](rnd)
    if status == S_OPEN:
        return status
    steps = [(ST_PLAN, feedback + between(5, 20), "制定整改方案，明确整改措施和时限", org.id)]
    if status == S_RECTIFYING and rnd() < 0.4:
        steps.append((ST_LETTER, steps[-1][1] + between(20, 60), "下发督办函，督促限期整改到位", dc.id))
    if status != S_RECTIFYING:
        done = steps[-1][1] + between(15, 90)
        if done > WINDOW_END:
            status = S_RECTIFYING
        else:
            steps.append((ST_COMPLETION, done, "报送整改情况报告", org.id))
            if status == S_VERIFIED:
                day = done + between(10, 40)
                if day <= WINDOW_END:
                    steps.append((ST_CLOSED, day, "整改销号", dc.id))
                else:
                    status = S_RECTIFIED
            elif status == S_REOPENED:
                day = done + between(30, 90)
                if day <= WINDOW_END:
                    steps.append((ST_LOOK_BACK, day, "组织“回头看”，发现问题反弹", dc.id))
                else:
                    status = S_RECTIFIED
    for kind, day, note, by in steps:
        sid = cl.st.next_id("RS-J", 7)
        cl.step((sid, kind, iso(day), note))
        cl.edge["HAS_STEP"]((issue, sid))
        cl.edge["BY"]((sid, by))
    return status
