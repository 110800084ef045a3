"""Fields the workbench (web/) needs beyond CONTRACT §3: the 督办 board and its reports, four forms per
organisation and per case (the drill-down region → organisation → case), and 述法 reporters per role.

    { supervision(asOf: "2024-06-30", filter: {regionId: "620100"}) {
        rectifications transfers items { kind due daysOver node { id label } organisation { name } } } }
    { supervisionReport(from: "2024-06-01", to: "2024-06-30") { issuesFound newlyOverdue board { transfers } } }
    { fourFormsByOrganisation(filter: {regionId: "620102"}) { organisation { name } cases form1 } }
    { fourFormsByCase(filter: {campaignId: "CP-2023-ROAD-TRAFFIC"}) { case { title } form1 form2 } }
    { dutyReportRoles(year: 2023) { role reports reporters } }

Additive: ``Query`` in api/schema.py inherits ``WorkbenchQuery``. The answers come from
``api.workbench_facts`` (store and graph.queries calls; to move into graph/ later).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from strawberry.permission import BasePermission
from strawberry.types import Info

from api import workbench_facts as facts
from api.errors import BadUserInput, NotFound
from api.permissions import CanRead
from api.types.arguments import UNSET, given
from api.types.node import Node, node_by_id, node_named
from api.types.stats import FourFormsFigures, StatsFilter, _figures
from graph import queries

MAX_REPORT_DAYS = 366


@strawberry.input(description="Which issues a 督办 list covers: every given criterion must hold.")
class SupervisionFilter:
    region_id: strawberry.ID | None = strawberry.field(
        default=None, description="Issues AT organisations in the region's subtree."
    )
    campaign_id: strawberry.ID | None = strawberry.field(
        default=None, description="Issues found by an inspection PART_OF the campaign."
    )
    organisation_id: strawberry.ID | None = None


@strawberry.type(description="A missed deadline on the 督办 list, with where it belongs.")
class SupervisionItem:
    item: strawberry.Private[facts.SupervisionItem]
    kind: str = strawberry.field(description="rectification (整改逾期) or transfer (移送 90 日未反馈)")
    due: date
    days_over: int

    @strawberry.field(description="The issue (rectification) or the transfer that is overdue.")
    async def node(self, info: Info) -> Node:
        return await node_named(info, self.item.node, Node)

    @strawberry.field(description="The issue behind it (for a transfer: the issue its case comes from).")
    async def issue(self, info: Info) -> Issue | None:
        return await node_by_id(info, self.item.issue, "Issue") if self.item.issue else None

    @strawberry.field(name="case", description="For a transfer: the case it was TRANSFERRED from.")
    async def case_(self, info: Info) -> Case | None:
        return await node_by_id(info, self.item.case, "Case") if self.item.case else None

    @strawberry.field(description="The organisation the issue is AT.")
    async def organisation(self, info: Info) -> Organisation | None:
        return await node_by_id(info, self.item.organisation, "Organisation") if self.item.organisation else None

    @strawberry.field(description="The region of that organisation.")
    async def region(self, info: Info) -> Region | None:
        return await node_by_id(info, self.item.region, "Region") if self.item.region else None

    @strawberry.field(description="The campaign whose inspection found the issue.")
    async def campaign(self, info: Info) -> Campaign | None:
        return await node_by_id(info, self.item.campaign, "Campaign") if self.item.campaign else None


@strawberry.type(description="督办 items of one child region (its whole subtree).")
class SupervisionRegionCount:
    region_id: strawberry.Private[str]
    rectifications: int
    transfers: int

    @strawberry.field
    async def region(self, info: Info) -> Region:
        return await node_named(info, self.region_id, Region)


@strawberry.type(description="督办: what is overdue as of a date.")
class SupervisionBoard:
    scope: strawberry.Private[facts.SupervisionScope]
    as_of: date
    items: list[SupervisionItem] = strawberry.field(description="Most days over first.")

    @strawberry.field(description="Rectifications past their deadline.")
    def rectifications(self) -> int:
        return sum(1 for i in self.items if i.kind == "rectification")

    @strawberry.field(description="Transfers with no outcome 90 days after they were sent.")
    def transfers(self) -> int:
        return sum(1 for i in self.items if i.kind == "transfer")

    @strawberry.field(description="Counts per child region of the filter's region (without one: of the root region).")
    async def by_region(self, info: Info) -> list[SupervisionRegionCount]:
        ctx = info.context
        items = [i.item for i in self.items]
        rows = await ctx.call(facts.items_by_child_region, ctx.store, items, self.scope.region_id)
        return [SupervisionRegionCount(region_id=r, rectifications=a, transfers=b) for r, a, b in rows]


def _board(scope: facts.SupervisionScope, as_of: date, items: list[facts.SupervisionItem]) -> SupervisionBoard:
    return SupervisionBoard(
        scope=scope,
        as_of=as_of,
        items=[SupervisionItem(item=i, kind=i.kind, due=i.due, days_over=i.days_over) for i in items],
    )


@strawberry.type(description="周汇总 / 月通报: the figures of a period and the 督办 list at its end.")
class SupervisionReport:
    date_from: date = strawberry.field(name="from")
    date_to: date = strawberry.field(name="to")
    issues_found: int = strawberry.field(description="Issues found in the period.")
    issues_rectified: int = strawberry.field(
        description="Issues with a completion report or closing step dated in the period."
    )
    transfers_sent: int
    transfers_answered: int = strawberry.field(description="Transfers whose outcome is dated in the period.")
    newly_overdue: int = strawberry.field(
        description="Items that became overdue in the period and still are at its end."
    )
    board: SupervisionBoard = strawberry.field(description="The 督办 list as of the last day of the period.")


@strawberry.type(description="The four-form figures of one organisation (cases from issues AT it).")
class OrganisationFourForms(FourFormsFigures):
    organisation_id: strawberry.Private[str]
    cases: int = strawberry.field(description="Cases with a fact in scope.")

    @strawberry.field
    async def organisation(self, info: Info) -> Organisation:
        return await node_named(info, self.organisation_id, Organisation)


@strawberry.type(description="The four-form figures of one case.")
class CaseFourForms(FourFormsFigures):
    source: strawberry.Private[facts.CaseFigures]

    @strawberry.field(name="case")
    async def case_(self, info: Info) -> Case:
        return await node_named(info, self.source.case, Case)

    @strawberry.field(description="The issue the case comes from (directly or through a clue).")
    async def issue(self, info: Info) -> Issue | None:
        return await node_by_id(info, self.source.issue, "Issue") if self.source.issue else None

    @strawberry.field(description="The organisation that issue is AT.")
    async def organisation(self, info: Info) -> Organisation | None:
        return await node_by_id(info, self.source.organisation, "Organisation") if self.source.organisation else None


@strawberry.type(description="述法 reports and distinct reporters of one reporter role in a year.")
class DutyReportRole:
    role: str
    reports: int
    reporters: int


def _scope(f: SupervisionFilter | None) -> facts.SupervisionScope:
    if f is None:
        return facts.SupervisionScope()
    return facts.SupervisionScope(
        region_id=str(f.region_id) if f.region_id else None,
        campaign_id=str(f.campaign_id) if f.campaign_id else None,
        organisation_id=str(f.organisation_id) if f.organisation_id else None,
    )


async def _check_scope(info: Info, scope: facts.SupervisionScope) -> None:
    given_ids = ((scope.region_id, "Region"), (scope.campaign_id, "Campaign"), (scope.organisation_id, "Organisation"))
    wanted = {i: k for i, k in given_ids if i is not None}
    if wanted:
        kinds = await info.context.call(info.context.store.kinds_of, list(wanted))
        for node_id, kind in wanted.items():
            if kinds.get(node_id) != kind:
                raise NotFound(f"no {kind} with id {node_id!r}")


def _stats_filter(f: StatsFilter | None) -> queries.StatsFilter:
    if f is None or f is strawberry.UNSET:
        return queries.StatsFilter()
    qf = queries.StatsFilter(
        campaign_id=str(f.campaign_id) if f.campaign_id else None,
        region_id=str(f.region_id) if f.region_id else None,
        date_from=given(f.date_from),
        date_to=given(f.date_to),
    )
    if qf.date_from and qf.date_to and qf.date_from > qf.date_to:
        raise BadUserInput(f"'from' ({qf.date_from}) is after 'to' ({qf.date_to})")
    return qf


def _read() -> list[type[BasePermission]]:
    return [CanRead]


@strawberry.type
class WorkbenchQuery:
    @strawberry.field(
        permission_classes=_read(),
        description="督办: rectifications past their deadline and transfers with no outcome 90 days on, as of `asOf` "
        "(default today), for the issues in the filter (a transfer counts with its case's issue).",
    )
    async def supervision(
        self, info: Info, as_of: date | None = None, filter: SupervisionFilter | None = None
    ) -> SupervisionBoard:
        ctx = info.context
        scope = _scope(filter)
        await _check_scope(info, scope)
        when = as_of or ctx.today
        return _board(scope, when, await ctx.call(facts.supervision_items, ctx.store, scope, when))

    @strawberry.field(
        permission_classes=_read(),
        description="周汇总 / 月通报 of a period (from/to inclusive, at most 366 days): issues found and rectified, "
        "transfers sent and answered, items newly overdue, and the 督办 list as of `to`.",
    )
    async def supervision_report(
        self,
        info: Info,
        date_from: Annotated[date, strawberry.argument(name="from")],
        date_to: Annotated[date, strawberry.argument(name="to")],
        filter: SupervisionFilter | None = None,
    ) -> SupervisionReport:
        if date_from > date_to:
            raise BadUserInput(f"'from' ({date_from}) is after 'to' ({date_to})")
        if (date_to - date_from).days >= MAX_REPORT_DAYS:
            raise BadUserInput(f"a report covers at most {MAX_REPORT_DAYS} days (got {date_from} to {date_to})")
        ctx = info.context
        scope = _scope(filter)
        await _check_scope(info, scope)
        r = await ctx.call(facts.supervision_report, ctx.store, scope, date_from, date_to)
        return SupervisionReport(
            date_from=r.date_from,
            date_to=r.date_to,
            issues_found=r.issues_found,
            issues_rectified=r.issues_rectified,
            transfers_sent=r.transfers_sent,
            transfers_answered=r.transfers_answered,
            newly_overdue=r.newly_overdue,
            board=_board(scope, date_to, r.items),
        )

    @strawberry.field(
        permission_classes=_read(),
        description="Four-form figures per organisation (the one a case's issue is AT), for the same filter as "
        "fourForms, most person-times first; optionally of one organisation. Facts of cases with no issue are left "
        "out.",
    )
    async def four_forms_by_organisation(
        self, info: Info, filter: StatsFilter | None = UNSET, organisation_id: strawberry.ID | None = None
    ) -> list[OrganisationFourForms]:
        ctx = info.context
        qf = _stats_filter(filter)
        rows = await ctx.call(
            facts.four_forms_by_organisation, ctx.store, qf, str(organisation_id) if organisation_id else None
        )
        return [OrganisationFourForms(organisation_id=o, cases=n, **_figures(c)) for o, c, n in rows]

    @strawberry.field(
        permission_classes=_read(),
        description="Four-form figures per case, for the same filter as fourForms, by case id; optionally only the "
        "cases whose issue is AT an organisation.",
    )
    async def four_forms_by_case(
        self, info: Info, filter: StatsFilter | None = UNSET, organisation_id: strawberry.ID | None = None
    ) -> list[CaseFourForms]:
        ctx = info.context
        rows = await ctx.call(facts.four_forms_by_case, ctx.store, _stats_filter(filter))
        wanted = str(organisation_id) if organisation_id else None
        return [
            CaseFourForms(source=r, **_figures(r.counts)) for r in rows if wanted is None or r.organisation == wanted
        ]

    @strawberry.field(
        permission_classes=_read(),
        description="述法 coverage of a year by reporter role: reports and distinct reporters, most reporters first.",
    )
    async def duty_report_roles(self, info: Info, year: int) -> list[DutyReportRole]:
        ctx = info.context
        rows = await ctx.call(facts.duty_report_roles, ctx.store, year)
        return [DutyReportRole(role=r, reports=n, reporters=p) for r, n, p in rows]


# Types this module refers to, imported last: the modules refer to each other.
from api.types.campaign import Campaign  # noqa: E402
from api.types.case import Case  # noqa: E402
from api.types.issue import Issue  # noqa: E402
from api.types.organisation import Organisation  # noqa: E402
from api.types.region import Region  # noqa: E402
