"""学法 and 述法 figures: study and training events, attendance; duty reports and their reviews."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from api.types.enums import DutyReportForm, StudyEventKind
from api.types.node import node_named
from graph import queries

if TYPE_CHECKING:  # strawberry resolves these lazily: the modules refer to each other
    from api.types.organisation import Organisation


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
    async def organisation(self, info: Info) -> Annotated[Organisation, strawberry.lazy("api.types.organisation")]:
        from api.types.organisation import Organisation

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


async def study_stats(info: Info, date_from: date | None, date_to: date | None) -> StudyStats:
    ctx = info.context
    f = await ctx.call(queries.study_figures, ctx.store, date_from, date_to)
    return StudyStats(
        events=f.events,
        attendances=f.attendances,
        attendees=f.attendees,
        by_kind=[
            StudyKindFigures(study_event_kind=k.kind, events=k.events, attendances=k.attendances, attendees=k.attendees)
            for k in f.by_kind
        ],
    )


async def duty_report_stats(info: Info, year: int) -> DutyReportStats:
    ctx = info.context
    f = await ctx.call(queries.duty_report_figures, ctx.store, year)
    return DutyReportStats(
        year=f.year,
        reports=f.reports,
        reporters=f.reporters,
        by_role=[CountByText(value=v, count=n) for v, n in f.by_role],
        by_form=[CountByForm(form=v, count=n) for v, n in f.by_form],
        by_grade=[CountByText(value=v, count=n) for v, n in f.by_grade],
        reviewed_by=[
            ReviewerCount(organisation_id=r.organisation, reports=r.reports, reporters=r.reporters)
            for r in f.reviewed_by
        ],
    )
