"""干部 Official: posts at any date, a timeline of everything dated, chains, measures in effect."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from api.types.arguments import UNSET, AsOf, DateFrom, DateTo, FormFilter, MeasureKindFilter, PostsOn, given
from api.types.enums import Gender, Rank
from api.types.node import Node, linked, node_named, node_type, oldest_first
from graph import queries

if TYPE_CHECKING:  # strawberry resolves these lazily: the modules refer to each other
    from api.types.assessment import Assessment
    from api.types.case import Case
    from api.types.chain import AccountabilityChain
    from api.types.duty_report import DutyReport
    from api.types.measure import Measure
    from api.types.post import Post
    from api.types.study_event import StudyEvent


@strawberry.type(description="A dated event in an official's life.")
class TimelineEntry:
    entry: strawberry.Private[queries.TimelineEntry]
    on: date = strawberry.field(name="date", description="日期 (the day it happened).")
    kind: str = strawberry.field(
        description="post_start, post_end, study, duty_report, responsibility, case, measure or transfer"
    )
    summary: str = strawberry.field(description="What happened, in Chinese.")

    @strawberry.field(description="The node the event is about (the organisation for posts).")
    async def node(self, info: Info) -> Node:
        return await node_named(info, self.entry.node, Node)


@node_type("Official")
@strawberry.type(description="干部 / 公职人员: an official (id = personnel number).")
class Official(Node):
    name: str = ""
    gender: Gender | None = None
    birth_year: int | None = None
    ethnicity: str | None = None
    party_member: bool | None = None
    rank: Rank | None = None

    @strawberry.field(description="Every post, or only those held on that date; oldest first.")
    async def posts(self, info: Info, on: PostsOn = UNSET) -> list[Annotated[Post, strawberry.lazy("api.types.post")]]:
        from api.types.post import Post

        return [Post.of(p) for p in await info.context.loaders.ask(queries.posts_of, str(self.id), given(on)) or []]

    @strawberry.field(
        description="Dated events of every kind (posts taken and left, study, 述法, responsibility "
        "for issues, cases, measures, transfers), oldest first; from/to inclusive."
    )
    async def timeline(self, info: Info, date_from: DateFrom = UNSET, date_to: DateTo = UNSET) -> list[TimelineEntry]:
        ctx = info.context
        entries = await ctx.call(queries.timeline, ctx.store, str(self.id), given(date_from), given(date_to))
        return [TimelineEntry(entry=e, on=e.on, kind=e.kind, summary=e.summary) for e in entries]

    @strawberry.field(
        description="Every chain touching this official, as responsible (explicitly, or as a principal "
        "in office on the day) or as subject of a case or measure; oldest first."
    )
    async def chains(
        self, info: Info, as_of: AsOf = None
    ) -> list[Annotated[AccountabilityChain, strawberry.lazy("api.types.chain")]]:
        from api.types.chain import chain_objects

        ctx = info.context
        roles = await ctx.call(queries.chains_of_official, ctx.store, str(self.id))
        return await chain_objects(info, [r.issue for r in roles], as_of or ctx.today)

    @strawberry.field(
        description="Measures applied to this official, oldest first; optionally only of a form, "
        "of a kind, or in effect (影响期) on a date."
    )
    async def measures(
        self,
        info: Info,
        form: FormFilter = None,
        measure_kind: MeasureKindFilter = None,
        in_effect_on: Annotated[
            date | None,
            strawberry.argument(
                description="影响期内 (in effect on): only measures whose effect period covers this date."
            ),
        ] = None,
    ) -> list[Annotated[Measure, strawberry.lazy("api.types.measure")]]:
        found = await linked(info, self, "APPLIES_TO", "in", "Measure")
        out = [
            m
            for m in found
            if (form is None or queries.measure_form(m.rec) == form)
            and (measure_kind is None or m.rec.get("measure_kind") == measure_kind)
            and (in_effect_on is None or queries.measure_in_effect(m.rec, in_effect_on))
        ]
        return oldest_first(out)

    @strawberry.field(description="Cases that CONCERN this official, oldest first.")
    async def cases(self, info: Info) -> list[Annotated[Case, strawberry.lazy("api.types.case")]]:
        return oldest_first(await linked(info, self, "CONCERNS", "in", "Case"))

    @strawberry.field(description="Study events (学习培训) ATTENDED, oldest first.")
    async def study_events(self, info: Info) -> list[Annotated[StudyEvent, strawberry.lazy("api.types.study_event")]]:
        return oldest_first(await linked(info, self, "ATTENDED", "out", "StudyEvent"))

    @strawberry.field(description="述法 reports SUBMITTED, by year.")
    async def duty_reports(self, info: Info) -> list[Annotated[DutyReport, strawberry.lazy("api.types.duty_report")]]:
        return oldest_first(await linked(info, self, "SUBMITTED", "out", "DutyReport"))

    @strawberry.field(description="Assessments (法治建设考评) that ASSESS this official.")
    async def assessments(self, info: Info) -> list[Annotated[Assessment, strawberry.lazy("api.types.assessment")]]:
        return await linked(info, self, "ASSESSES", "in", "Assessment")
