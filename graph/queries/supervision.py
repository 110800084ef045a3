"""督办 and the workbench's breakdowns: overdue rectifications and transfers as of a date, the weekly and
monthly report (周汇总 / 月通报), four forms per case and per organisation, 述法 per role.

    items = supervision_items(store, SupervisionScope(region_id="620100"), date(2024, 6, 30))
    report = supervision_report(store, SupervisionScope(), date(2024, 6, 1), date(2024, 6, 30))
    per_case = four_forms_by_case(store, queries.StatsFilter(region_id="620102"))
    roles = duty_report_roles(store, 2023)

Everything here is built only from the other ``graph.queries`` modules and ``GraphStore`` port calls, with
MODEL.md's rules from ``schema.rules`` (overdue items, four-form counting): no Cypher, no engine.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from graph import queries
from graph.port import GraphStore, Node
from schema.rules import AccountabilityFacts, FourFormsCount, count_four_forms, overdue_items

DONE_STEP_KINDS = ("completion_report", "closed")


@dataclass(frozen=True)
class SupervisionScope:
    """Which issues (and the transfers of their cases): every given criterion must hold; none = everything."""

    region_id: str | None = None
    campaign_id: str | None = None
    organisation_id: str | None = None

    @property
    def narrowed(self) -> bool:
        return any((self.region_id, self.campaign_id, self.organisation_id))

    def issue_filter(self, found_from: date | None = None, found_to: date | None = None) -> queries.IssueFilter:
        return queries.IssueFilter(
            found_from=found_from,
            found_to=found_to,
            region_id=self.region_id,
            campaign_id=self.campaign_id,
            organisation_id=self.organisation_id,
        )


@dataclass(frozen=True)
class SupervisionItem:
    """One missed deadline, placed: the issue behind it, its organisation, region and campaign."""

    kind: str  # "rectification" | "transfer"
    node: str  # the issue (rectification) or the transfer
    due: date
    days_over: int
    issue: str | None
    case: str | None
    organisation: str | None
    region: str | None
    campaign: str | None


@dataclass
class _Placement:
    organisation: dict[str, str] = field(default_factory=dict)  # issue -> organisation it is AT
    region: dict[str, str] = field(default_factory=dict)  # organisation -> region
    campaign: dict[str, str] = field(default_factory=dict)  # issue -> campaign of its inspection


def _place(store: GraphStore, issue_ids: Collection[str]) -> _Placement:
    ids = sorted(issue_ids)
    out = _Placement()
    if not ids:
        return out
    for e in sorted(store.edges(ids, ("AT",), "out"), key=lambda e: e.id):
        out.organisation.setdefault(e.source, e.target)
    out.region = queries.regions_of_orgs(store, sorted(set(out.organisation.values())))
    found = store.edges(ids, ("FOUND",), "in")
    inspection_of = {e.target: e.source for e in sorted(found, key=lambda e: e.id)}
    part_of = store.edges(sorted(set(inspection_of.values())), ("PART_OF",), "out")
    campaign_of_inspection = {e.source: e.target for e in sorted(part_of, key=lambda e: e.id)}
    for issue, inspection in inspection_of.items():
        if inspection in campaign_of_inspection:
            out.campaign[issue] = campaign_of_inspection[inspection]
    return out


def supervision_items(store: GraphStore, scope: SupervisionScope, as_of: date) -> list[SupervisionItem]:
    """督办: rectifications past their deadline and transfers with no outcome 90 days on, as of a date.

    Rectifications are those of the issues in scope; transfers those of the cases of those issues
    (directly or through a clue). A transfer whose case has no issue is listed only when the scope is
    not narrowed (it belongs to no region, campaign or organisation here). Most days over first.
    """
    issues = queries.find_issues(store, scope.issue_filter())
    in_scope = {r["id"] for r in issues}
    raw: list[tuple[str, str, date, int, str | None, str | None]] = []
    for r in issues:
        raw += [(o.kind, o.node, o.due, o.days_over, r["id"], None) for o in overdue_items(r, (), as_of)]

    transfers = queries.records_from_scan(store, "Transfer")
    late = {o.node: o for t in transfers for o in overdue_items({}, [t], as_of)}
    if late:
        case_of = {e.target: e.source for e in store.edges(sorted(late), ("TRANSFERRED",), "in")}
        issue_of_case = queries.issues_of_cases(store, sorted(set(case_of.values())))
        for tid, o in late.items():
            case = case_of.get(tid)
            issue = issue_of_case[case][0] if case in issue_of_case else None
            if scope.narrowed and issue not in in_scope:
                continue
            raw.append((o.kind, tid, o.due, o.days_over, issue, case))

    placed = _place(store, {i for *_, i, _ in raw if i is not None})
    items = []
    for kind, node, due, days, issue, case in raw:
        org = placed.organisation.get(issue) if issue else None
        items.append(
            SupervisionItem(
                kind=kind,
                node=node,
                due=due,
                days_over=days,
                issue=issue,
                case=case,
                organisation=org,
                region=placed.region.get(org) if org else None,
                campaign=placed.campaign.get(issue) if issue else None,
            )
        )
    items.sort(key=lambda i: (-i.days_over, i.kind, i.node))
    return items


def items_by_child_region(
    store: GraphStore, items: Iterable[SupervisionItem], region_id: str | None
) -> list[tuple[str, int, int]]:
    """(child region, rectifications, transfers) for each child region of ``region_id`` (else of the root)."""
    items = list(items)
    children = queries.child_regions(store, region_id)
    parent = queries.region_parents(store, sorted({i.region for i in items if i.region}))
    counts: dict[str, Counter[str]] = {c: Counter() for c in children}
    for item in items:
        cur = item.region
        seen: set[str] = set()
        while cur is not None and cur not in seen:
            if cur in counts:
                counts[cur][item.kind] += 1
                break
            seen.add(cur)
            cur = parent.get(cur)
    return [(c, counts[c]["rectification"], counts[c]["transfer"]) for c in children]


@dataclass(frozen=True)
class SupervisionReport:
    """周汇总 / 月通报 of a period (both ends inclusive)."""

    date_from: date
    date_to: date
    issues_found: int
    issues_rectified: int  # a completion report or closing step dated in the period
    transfers_sent: int
    transfers_answered: int  # an outcome dated in the period
    newly_overdue: int  # items whose deadline passed during the period and still overdue at its end
    items: list[SupervisionItem]  # overdue at the end of the period


def supervision_report(store: GraphStore, scope: SupervisionScope, date_from: date, date_to: date) -> SupervisionReport:
    """The figures of a 周汇总 or 月通报 over ``[date_from, date_to]`` and the 督办 list at its end."""
    found = queries.find_issues(store, scope.issue_filter(date_from, date_to))
    issues = queries.find_issues(store, scope.issue_filter())
    issue_ids = [r["id"] for r in issues]
    steps = store.edges(issue_ids, ("HAS_STEP",), "out") if issue_ids else []
    step_recs = store.get_nodes(sorted({e.target for e in steps}))
    rectified = {
        e.source
        for e in steps
        if (s := step_recs.get(e.target)) is not None
        and s.get("rectification_step_kind") in DONE_STEP_KINDS
        and s.get("date") is not None
        and date_from <= s["date"] <= date_to
    }
    transfers = _transfers_of_scope(store, scope, issue_ids)
    items = supervision_items(store, scope, date_to)
    # Overdue from the day after the deadline: it became overdue in the period if that day falls in it.
    newly = [i for i in items if date_from <= i.due + timedelta(days=1) <= date_to]
    return SupervisionReport(
        date_from=date_from,
        date_to=date_to,
        issues_found=len(found),
        issues_rectified=len(rectified),
        transfers_sent=sum(1 for t in transfers if _within(t.get("transferred_on"), date_from, date_to)),
        transfers_answered=sum(
            1
            for t in transfers
            if (t.get("outcome") or "pending") != "pending" and _within(t.get("outcome_on"), date_from, date_to)
        ),
        newly_overdue=len(newly),
        items=items,
    )


def _within(d: date | None, lo: date, hi: date) -> bool:
    return d is not None and lo <= d <= hi


def _transfers_of_scope(store: GraphStore, scope: SupervisionScope, issue_ids: list[str]) -> list[Node]:
    if not scope.narrowed:
        return queries.records_from_scan(store, "Transfer")
    led = store.edges(issue_ids, ("LED_TO",), "out") if issue_ids else []
    kinds = store.kinds_of({e.target for e in led})
    cases = {e.target for e in led if kinds.get(e.target) == "Case"}
    clues = [e.target for e in led if kinds.get(e.target) == "Clue"]
    if clues:
        cases |= {e.target for e in store.edges(clues, ("LED_TO",), "out")}
    sent = store.edges(sorted(cases), ("TRANSFERRED",), "out") if cases else []
    return list(store.get_nodes(sorted({e.target for e in sent})).values())


# ---------------------------------------------------------------- four forms per organisation and per case


@dataclass(frozen=True)
class CaseFigures:
    case: str
    issue: str | None
    organisation: str | None  # the organisation the case's issue is AT
    counts: FourFormsCount


def four_forms_by_case(store: GraphStore, f: queries.StatsFilter) -> list[CaseFigures]:
    """The four-form figures of each case in scope (``graph.queries.four_forms``), by case id.

    Measures decided by no case are left out (they belong to no case); a case with no issue has no
    organisation.
    """
    result = queries.four_forms(store, f, False)
    facts: dict[str, AccountabilityFacts] = defaultdict(AccountabilityFacts)
    for m, _ in result.measures:
        if m.case:
            facts[m.case].measures.append(m)
    for t, _ in result.transfers:
        facts[t.case].transfers.append(t)
    for c, _ in result.exposures:
        facts[c].exposed_cases.add(c)
    issue_of = {c: i for c, (i, _) in queries.issues_of_cases(store, sorted(facts)).items()}
    placed = _place(store, set(issue_of.values()))
    return [
        CaseFigures(
            case=c,
            issue=issue_of.get(c),
            organisation=placed.organisation.get(issue_of.get(c, "")),
            counts=count_four_forms(facts[c]),
        )
        for c in sorted(facts)
    ]


def four_forms_by_organisation(
    store: GraphStore, f: queries.StatsFilter, organisation_id: str | None = None
) -> list[tuple[str, FourFormsCount, int]]:
    """(organisation, figures, cases) for each organisation whose issues led to cases in scope, most first.

    Person figures count distinct officials within the organisation (``schema.rules.count_four_forms``
    over that organisation's facts), so they do not add up across organisations the way person-times do.
    """
    result = queries.four_forms(store, f, False)
    per_case = {c.case: c for c in four_forms_by_case(store, f)}
    facts: dict[str, AccountabilityFacts] = defaultdict(AccountabilityFacts)
    cases: dict[str, set[str]] = defaultdict(set)

    def org(case: str | None) -> str | None:
        found = per_case.get(case or "")
        return found.organisation if found else None

    for m, _ in result.measures:
        if (o := org(m.case)) is not None:
            facts[o].measures.append(m)
            cases[o].add(m.case or "")
    for t, _ in result.transfers:
        if (o := org(t.case)) is not None:
            facts[o].transfers.append(t)
            cases[o].add(t.case)
    for c, _ in result.exposures:
        if (o := org(c)) is not None:
            facts[o].exposed_cases.add(c)
            cases[o].add(c)
    rows = [(o, count_four_forms(facts[o]), len(cases[o])) for o in facts if organisation_id in (None, o)]
    rows.sort(key=lambda r: (-(r[1].form1 + r[1].form2 + r[1].form3 + r[1].form4), r[0]))
    return rows


# ---------------------------------------------------------------- 述法 coverage by role


def duty_report_roles(store: GraphStore, year: int) -> list[tuple[str, int, int]]:
    """(reporter role, reports, distinct reporters) of a year's 述法 reports, most reporters first."""
    reports = {
        r["id"]: (r.get("reporter_role") or "未注明")
        for r in queries.records_from_scan(store, "DutyReport", ["year", "reporter_role"])
        if r.get("year") == year
    }
    by_role: Counter[str] = Counter(reports.values())
    reporters: dict[str, set[str]] = defaultdict(set)
    if reports:
        for e in store.edges(sorted(reports), ("SUBMITTED",), "in"):
            reporters[reports[e.target]].add(e.source)
    rows = [(role, n, len(reporters[role])) for role, n in by_role.items()]
    rows.sort(key=lambda r: (-r[2], -r[1], r[0]))
    return rows
