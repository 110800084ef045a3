"""学法 and 述法 figures: study and training events, attendance; duty reports and their reviews."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from api.types.enums import DutyReportForm, StudyEventKind
from api.types.node import node_named
from api.types.stats import scope_id
from graph import queries

if TYPE_CHECKING:  # strawberry resolves these lazily: the modules refer to each other
    from api.types.organisation import Organisation


@strawberry.type(description="Events and attendance of one kind of study event.")
class StudyKindFigures:
    study_event_kind: StudyEventKind = strawberry.field(description="学习培训类别 (the kind of event).")
    events: int = strawberry.field(description="活动次数 (events of this kind).")
    attendances: int = strawberry.field(description="ATTENDED relationships (person-times, 人次).")
    attendees: int = strawberry.field(description="Distinct officials.")


@strawberry.type(description="学习培训 figures.")
class StudyStats:
    id: strawberry.ID = strawberry.field(
        description="统计范围标识 (identity of the figures): studyStats and its dates (studyStats?from=…&to=…, "
        "dates not given left out). The same dates always have the same id, and on the same data the same "
        "figures, so client caches (Apollo) can normalise them; it is not a node id."
    )
    events: int = strawberry.field(description="活动次数 (study events dated in the period).")
    attendances: int = strawberry.field(description="参加人次 (ATTENDED relationships, person-times).")
    attendees: int = strawberry.field(description="参加人数 (distinct officials who ATTENDED).")
    by_kind: list[StudyKindFigures] = strawberry.field(description="按类别 (the same figures per kind of event).")


@strawberry.type(description="述法 reports with one value of a text property (a reporter role, a grade).")
class CountByText:
    value: str = strawberry.field(description="取值 (the value: a reporterRole or a grade).")
    count: int = strawberry.field(description="报告数 (reports with that value).")


@strawberry.type(description="述法 reports of one form.")
class CountByForm:
    form: DutyReportForm = strawberry.field(description="述法形式 (the form of the report).")
    count: int = strawberry.field(description="报告数 (reports of that form).")


@strawberry.type(description="Reports of a year reviewed by one organisation.")
class ReviewerCount:
    organisation_id: strawberry.Private[str]
    reports: int = strawberry.field(description="审议报告数 (reports of the year it reviewed).")
    reporters: int = strawberry.field(description="述法人数 (distinct officials who SUBMITTED those reports).")

    @strawberry.field(description="审议单位 (the reviewing organisation).")
    async def organisation(self, info: Info) -> Annotated[Organisation, strawberry.lazy("api.types.organisation")]:
        from api.types.organisation import Organisation

        return await node_named(info, self.organisation_id, Organisation)


@strawberry.type(description="述法 figures of a year.")
class DutyReportStats:
    id: strawberry.ID = strawberry.field(
        description="统计范围标识 (identity of the figures): dutyReportStats and its year (dutyReportStats?year=…). "
        "The same year always has the same id, and on the same data the same figures, so client caches (Apollo) "
        "can normalise them; it is not a node id."
    )
    year: int = strawberry.field(description="年度 (the year counted).")
    reports: int = strawberry.field(description="述法报告数 (reports of the year).")
    reporters: int = strawberry.field(description="Distinct officials who SUBMITTED a report that year.")
    by_role: list[CountByText] = strawberry.field(description="Reports per reporterRole.")
    by_form: list[CountByForm] = strawberry.field(description="按述法形式 (reports per form).")
    by_grade: list[CountByText] = strawberry.field(description="按评定等次 (reports per grade).")
    reviewed_by: list[ReviewerCount] = strawberry.field(description="Per reviewing organisation, most first.")


async def study_stats(info: Info, date_from: date | None, date_to: date | None) -> StudyStats:
    ctx = info.context
    f = await ctx.call(queries.study_counts, ctx.store, date_from, date_to)
    return StudyStats(
        id=scope_id("studyStats", {"from": date_from, "to": date_to}),
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
    f = await ctx.call(queries.duty_report_counts, ctx.store, year)
    return DutyReportStats(
        id=scope_id("dutyReportStats", {"year": year}),
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
