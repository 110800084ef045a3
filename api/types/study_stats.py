"""学法 and 述法 figures: study and training events, attendance; duty reports and their reviews."""

from __future__ import annotations

from collections import Counter
from datetime import date

import strawberry
from strawberry.types import Info

from api.types.enums import DutyReportForm, StudyEventKind
from api.types.node import node_named
from graph import queries
from graph.port import GraphStore


@strawberry.type(description="Events and attendance of one kind of study event.")
class StudyKindFigures:
    study_event_kind: StudyEventKind
    events: int
    attendances: int = strawberry.field(description="ATTENDED relationships (person-times, 人次).")
    attendees: int = strawberry.field(description="Distinct officials.")


@strawberry.type(description="学习培训 figures.")
class StudyStats:
    events: int
    attendances: int
    attendees: int
    by_kind: list[StudyKindFigures]


@strawberry.type
class CountByText:
    value: str
    count: int


@strawberry.type
class CountByForm:
    form: DutyReportForm
    count: int


@strawberry.type(description="Reports of a year reviewed by one organisation.")
class ReviewerCount:
    organisation_id: strawberry.Private[str]
    reports: int
    reporters: int

    @strawberry.field
    async def organisation(self, info: Info) -> Organisation:
        return await node_named(info, self.organisation_id, Organisation)


@strawberry.type(description="述法 figures of a year.")
class DutyReportStats:
    year: int
    reports: int
    reporters: int = strawberry.field(description="Distinct officials who SUBMITTED a report that year.")
    by_role: list[CountByText] = strawberry.field(description="Reports per reporterRole.")
    by_form: list[CountByForm]
    by_grade: list[CountByText]
    reviewed_by: list[ReviewerCount] = strawberry.field(description="Per reviewing organisation, most first.")


def _edges(store: GraphStore, kind: str) -> list[dict]:  # type: ignore[type-arg]
    rows: list[dict] = []  # type: ignore[type-arg]
    for table in store.scan_edges(kind):
        rows.extend(table.to_pylist())
    return rows


def _study(store: GraphStore, date_from: date | None, date_to: date | None) -> StudyStats:
    events = queries.records_from_scan(store, "StudyEvent", ["kind", "date"])
    f = queries.StatsFilter(date_from=date_from, date_to=date_to)
    kind_of = {e["id"]: e.get("study_event_kind") for e in events if f.admits(e.get("date"))}
    attended = [r for r in _edges(store, "ATTENDED") if r["to"] in kind_of]
    by_kind = []
    for kind in StudyEventKind.__members__.values():
        ids = {i for i, k in kind_of.items() if k == kind.value}
        rows = [r for r in attended if r["to"] in ids]
        if ids:
            by_kind.append(
                StudyKindFigures(
                    study_event_kind=kind.value,
                    events=len(ids),
                    attendances=len(rows),
                    attendees=len({r["from"] for r in rows}),
                )
            )
    return StudyStats(
        events=len(kind_of), attendances=len(attended), attendees=len({r["from"] for r in attended}), by_kind=by_kind
    )


def _duty(store: GraphStore, year: int) -> DutyReportStats:
    reports = [r for r in queries.records_from_scan(store, "DutyReport") if r.get("year") == year]
    ids = {r["id"] for r in reports}
    submitted = {r["to"]: r["from"] for r in _edges(store, "SUBMITTED") if r["to"] in ids}
    reviews = [r for r in _edges(store, "REVIEWED_BY") if r["from"] in ids]
    per_org: dict[str, set[str]] = {}
    for r in reviews:
        per_org.setdefault(r["to"], set()).add(r["from"])

    def counts(values: list[str | None]) -> list[CountByText]:
        return [
            CountByText(value=v, count=n)
            for v, n in sorted(Counter(v for v in values if v).items(), key=lambda x: (-x[1], x[0]))
        ]

    forms = Counter(r.get("form") for r in reports if r.get("form"))
    return DutyReportStats(
        year=year,
        reports=len(reports),
        reporters=len(set(submitted.values())),
        by_role=counts([r.get("reporter_role") for r in reports]),
        by_form=[
            CountByForm(form=k.value, count=forms[k.value])
            for k in DutyReportForm.__members__.values()
            if forms.get(k.value)
        ],
        by_grade=counts([r.get("grade") for r in reports]),
        reviewed_by=[
            ReviewerCount(
                organisation_id=o, reports=len(rs), reporters=len({submitted[r] for r in rs if r in submitted})
            )
            for o, rs in sorted(per_org.items(), key=lambda x: (-len(x[1]), x[0]))
        ],
    )


async def study_stats(info: Info, date_from: date | None, date_to: date | None) -> StudyStats:
    ctx = info.context
    return await ctx.call(_study, ctx.store, date_from, date_to)  # type: ignore[no-any-return]


async def duty_report_stats(info: Info, year: int) -> DutyReportStats:
    ctx = info.context
    return await ctx.call(_duty, ctx.store, year)  # type: ignore[no-any-return]


# Types this module refers to, imported last: the modules refer to each other.
from api.types.organisation import Organisation  # noqa: E402
