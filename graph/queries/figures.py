"""学法 and 述法 figures: study events and attendance by kind; a year's duty reports and their reviews.

    study_figures(store, date(2023, 1, 1), date(2023, 12, 31)).attendees     # distinct officials
    duty_report_figures(store, 2023).reporters                               # 34,144 in the full demo

Records are read by the ids the filter keeps (the relationships of those events or reports only),
never whole relationship tables.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from graph.port import GraphStore
from graph.queries.records import records_from_scan
from schema.vocabulary import REPORT_FORM, STUDY_KIND


@dataclass(frozen=True)
class StudyKindFigures:
    kind: str  # StudyEvent.kind
    events: int
    attendances: int  # ATTENDED relationships (person-times, 人次)
    attendees: int  # distinct officials


@dataclass(frozen=True)
class StudyFigures:
    events: int
    attendances: int
    attendees: int
    by_kind: list[StudyKindFigures]


def study_figures(store: GraphStore, date_from: date | None, date_to: date | None) -> StudyFigures:
    """Events dated within ``date_from``..``date_to`` (inclusive; either may be None) and who attended."""
    kind_of: dict[str, str | None] = {}
    for e in records_from_scan(store, "StudyEvent", ["kind", "date"]):
        on = e.get("date")
        if (date_from is None or (on is not None and on >= date_from)) and (
            date_to is None or (on is not None and on <= date_to)
        ):
            kind_of[e["id"]] = e.get("study_event_kind")
    attended = store.edges(list(kind_of), ("ATTENDED",), "in") if kind_of else []
    by_kind = []
    for kind in STUDY_KIND.names:
        ids = {i for i, k in kind_of.items() if k == kind}
        if ids:
            rows = [e for e in attended if e.target in ids]
            by_kind.append(StudyKindFigures(kind, len(ids), len(rows), len({e.source for e in rows})))
    return StudyFigures(len(kind_of), len(attended), len({e.source for e in attended}), by_kind)


@dataclass(frozen=True)
class ReviewerFigures:
    organisation: str
    reports: int
    reporters: int


@dataclass(frozen=True)
class DutyReportFigures:
    year: int
    reports: int
    reporters: int  # distinct officials who SUBMITTED a report that year
    by_role: list[tuple[str, int]]  # reporter_role, most first
    by_form: list[tuple[str, int]]  # in MODEL.md order
    by_grade: list[tuple[str, int]]
    reviewed_by: list[ReviewerFigures]  # most reports first


def _most_first(values: list[str | None]) -> list[tuple[str, int]]:
    return sorted(Counter(v for v in values if v).items(), key=lambda x: (-x[1], x[0]))


def duty_report_figures(store: GraphStore, year: int) -> DutyReportFigures:
    """述法 of a year: reports, reporters, by role, form and grade, and per reviewing organisation."""
    reports = [
        r
        for r in records_from_scan(store, "DutyReport", ["year", "form", "reporter_role", "grade"])
        if r.get("year") == year
    ]
    ids = [r["id"] for r in reports]
    links = store.edges(ids, ("SUBMITTED", "REVIEWED_BY"), "both") if ids else []
    submitted = {e.target: e.source for e in links if e.type == "SUBMITTED"}
    per_org: dict[str, set[str]] = {}
    for e in links:
        if e.type == "REVIEWED_BY":
            per_org.setdefault(e.target, set()).add(e.source)
    forms = Counter(r.get("form") for r in reports if r.get("form"))
    return DutyReportFigures(
        year=year,
        reports=len(reports),
        reporters=len(set(submitted.values())),
        by_role=_most_first([r.get("reporter_role") for r in reports]),
        by_form=[(f, forms[f]) for f in REPORT_FORM.names if forms.get(f)],
        by_grade=_most_first([r.get("grade") for r in reports]),
        reviewed_by=[
            ReviewerFigures(o, len(rs), len({submitted[r] for r in rs if r in submitted}))
            for o, rs in sorted(per_org.items(), key=lambda x: (-len(x[1]), x[0]))
        ],
    )


def study_counts(store: GraphStore, date_from: date | None, date_to: date | None) -> StudyFigures:
    """``study_figures`` counted in the engine (``GraphStore.count_study``); that one is the oracle."""
    from graph.figure_counts import StudyQuery

    rows = store.count_study(StudyQuery(date_from, date_to))
    per = {kind: (int(events), int(n), int(who)) for kind, events, n, who in rows["by_kind"]}
    by_kind = [StudyKindFigures(k, *per[k]) for k in STUDY_KIND.names if per.get(k, (0,))[0]]
    return StudyFigures(sum(v[0] for v in per.values()), sum(v[1] for v in per.values()), rows["attendees"], by_kind)


def duty_report_counts(store: GraphStore, year: int) -> DutyReportFigures:
    """``duty_report_figures`` counted in the engine (``GraphStore.count_duty_reports``); that one is the oracle."""
    from graph.figure_counts import DutyQuery

    rows = store.count_duty_reports(DutyQuery(year))
    roles: Counter[str] = Counter()
    forms: Counter[str] = Counter()
    grades: Counter[str] = Counter()
    for role, form, grade, n in rows["groups"]:
        for counter, value in ((roles, role), (forms, form), (grades, grade)):
            if value:
                counter[value] += int(n)
    return DutyReportFigures(
        year=year,
        reports=sum(int(g[3]) for g in rows["groups"]),
        reporters=rows["reporters"],
        by_role=sorted(roles.items(), key=lambda x: (-x[1], x[0])),
        by_form=[(f, forms[f]) for f in REPORT_FORM.names if forms.get(f)],
        by_grade=sorted(grades.items(), key=lambda x: (-x[1], x[0])),
        reviewed_by=[
            ReviewerFigures(str(o), int(n), int(who))
            for o, n, who in sorted(rows["reviewers"], key=lambda x: (-int(x[1]), x[0]))
        ],
    )
