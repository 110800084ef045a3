"""Fields the workbench (web/) needs beyond CONTRACT §3: the 督办 board and its reports, four forms per
organisation and per case (the drill-down region → organisation → case), and 述法 reporters per role.

    { supervision(asOf: "2024-06-30", filter: {regionId: "620100"}) {
        rectifications transfers items { kind due daysOver node { id label } organisation { name } } } }
    { supervisionReport(from: "2024-06-01", to: "2024-06-30") { issuesFound newlyOverdue board { transfers } } }
    { fourFormsByOrganisation(filter: {regionId: "620102"}) { organisation { name } cases form1 } }
    { fourFormsByCase(filter: {campaignId: "CP-2023-ROAD-TRAFFIC"}) { case { title } form1 form2 } }
    { dutyReportRoles(year: 2023) { role reports reporters } }

Additive: ``Query`` in api/schema.py inherits ``WorkbenchQuery``. The answers come from
``graph.queries.supervision``.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.permission import BasePermission
from strawberry.types import Info

from api.errors import BadUserInput, NotFound
from api.permissions import CanRead
from api.types.arguments import UNSET, given
from api.types.node import Node, node_by_id, node_named
from api.types.stats import FourFormsFigures, StatsFilter, _figures
from graph import queries
from graph.queries import supervision as facts

if TYPE_CHECKING:  # strawberry resolves these lazily: the modules refer to each other
    from api.types.campaign import Campaign
    from api.types.case import Case
    from api.types.issue import Issue
    from api.types.organisation import Organisation
    from api.types.region import Region

MAX_REPORT_DAYS = 366
LazyCampaign = Annotated["Campaign", strawberry.lazy("api.types.campaign")]
LazyCase = Annotated["Case", strawberry.lazy("api.types.case")]
LazyIssue = Annotated["Issue", strawberry.lazy("api.types.issue")]
LazyOrganisation = Annotated["Organisation", strawberry.lazy("api.types.organisation")]
LazyRegion = Annotated["Region", strawberry.lazy("api.types.region")]


@strawberry.input(description="Which issues a 督办 list covers: every given criterion must hold.")
class SupervisionFilter:
    region_id: strawberry.ID | None = strawberry.field(
        default=None, description="Issues AT organisations in the region's subtree."
    )
    campaign_id: strawberry.ID | None = strawberry.field(
        default=None, description="Issues found by an inspection PART_OF the campaign."
    )
    organisation_id: strawberry.ID | None = strawberry.field(default=None, description="Issues AT this organisation.")


@strawberry.type(description="A missed deadline on the 督办 list, with where it belongs.")
class SupervisionItem:
    item: strawberry.Private[facts.SupervisionItem]
    kind: str = strawberry.field(description="rectification (整改逾期) or transfer (移送 90 日未反馈)")
    due: date = strawberry.field(
        description="The deadline missed: the rectification's deadline, or the transfer's date plus 90 days."
    )
    days_over: int = strawberry.field(description="Days between the deadline and the board's asOf date.")

    @strawberry.field(description="The issue (rectification) or the transfer that is overdue.")
    async def node(self, info: Info) -> Node:
        return await node_named(info, self.item.node, Node)

    @strawberry.field(description="The issue behind it (for a transfer: the issue its case comes from).")
    async def issue(self, info: Info) -> LazyIssue | None:
        return await node_by_id(info, self.item.issue, "Issue") if self.item.issue else None

    @strawberry.field(name="case", description="For a transfer: the case it was TRANSFERRED from.")
    async def case_(self, info: Info) -> LazyCase | None:
        return await node_by_id(info, self.item.case, "Case") if self.item.case else None

    @strawberry.field(description="The organisation the issue is AT.")
    async def organisation(self, info: Info) -> LazyOrganisation | None:
        return await node_by_id(info, self.item.organisation, "Organisation") if self.item.organisation else None

    @strawberry.field(description="The region of that organisation.")
    async def region(self, info: Info) -> LazyRegion | None:
        return await node_by_id(info, self.item.region, "Region") if self.item.region else None

    @strawberry.field(description="The campaign whose inspection found the issue.")
    async def campaign(self, info: Info) -> LazyCampaign | None:
        return await node_by_id(info, self.item.campaign, "Campaign") if self.item.campaign else None


@strawberry.type(description="督办 items of one child region (its whole subtree).")
class SupervisionRegionCount:
    region_id: strawberry.Private[str]
    rectifications: int = strawberry.field(description="Rectifications past their deadline in the region.")
    transfers: int = strawberry.field(description="Transfers with no outcome 90 days on in the region.")

    @strawberry.field(description="下级行政区划 (the child region; the counts cover its whole subtree).")
    async def region(self, info: Info) -> LazyRegion:
        from api.types.region import Region

        return await node_named(info, self.region_id, Region)


@strawberry.type(description="督办: what is overdue as of a date.")
class SupervisionBoard:
    scope: strawberry.Private[facts.SupervisionScope]
    as_of: date = strawberry.field(description="The date the board is as of (the argument, or today).")
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
    date_from: date = strawberry.field(name="from", description="The first day of the period (inclusive).")
    date_to: date = strawberry.field(name="to", description="The last day of the period (inclusive).")
    issues_found: int = strawberry.field(description="Issues found in the period.")
    issues_rectified: int = strawberry.field(
        description="Issues with a completion report or closing step dated in the period."
    )
    transfers_sent: int = strawberry.field(description="Transfers (移送) dated in the period.")
    transfers_answered: int = strawberry.field(description="Transfers whose outcome is dated in the period.")
    newly_overdue: int = strawberry.field(
        description="Items that became overdue in the period and still are at its end."
    )
    board: SupervisionBoard = strawberry.field(description="The 督办 list as of the last day of the period.")


@strawberry.type(description="The four-form figures of one organisation (cases from issues AT it).")
class OrganisationFourForms(FourFormsFigures):
    organisation_id: strawberry.Private[str]
    cases: int = strawberry.field(description="Cases with a fact in scope.")

    @strawberry.field(description="The organisation the figures are of.")
    async def organisation(self, info: Info) -> LazyOrganisation:
        from api.types.organisation import Organisation

        return await node_named(info, self.organisation_id, Organisation)


@strawberry.type(description="The four-form figures of one case.")
class CaseFourForms(FourFormsFigures):
    source: strawberry.Private[facts.CaseFigures]

    @strawberry.field(name="case", description="The case the figures are of.")
    async def case_(self, info: Info) -> LazyCase:
        from api.types.case import Case

        return await node_named(info, self.source.case, Case)

    @strawberry.field(description="The issue the case comes from (directly or through a clue).")
    async def issue(self, info: Info) -> LazyIssue | None:
        return await node_by_id(info, self.source.issue, "Issue") if self.source.issue else None

    @strawberry.field(description="The organisation that issue is AT.")
    async def organisation(self, info: Info) -> LazyOrganisation | None:
        return await node_by_id(info, self.source.organisation, "Organisation") if self.source.organisation else None


@strawberry.type(description="述法 reports and distinct reporters of one reporter role in a year.")
class DutyReportRole:
    role: str = strawberry.field(description="The reporter role as the reports give it (未注明 when they give none).")
    reports: int = strawberry.field(description="述法 reports of the year by that role.")
    reporters: int = strawberry.field(description="Distinct officials who SUBMITTED those reports.")


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


_AS_OF = "The date the board is as of (default: today)."
_SCOPE = "Which issues the list covers (default: all)."
_STATS = "The same filter as fourForms: campaign, region, from/to dates of the facts."


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
        self,
        info: Info,
        as_of: Annotated[date | None, strawberry.argument(description=_AS_OF)] = None,
        filter: Annotated[SupervisionFilter | None, strawberry.argument(description=_SCOPE)] = None,
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
        date_from: Annotated[date, strawberry.argument(name="from", description="The period's first day.")],
        date_to: Annotated[date, strawberry.argument(name="to", description="The period's last day (inclusive).")],
        filter: Annotated[SupervisionFilter | None, strawberry.argument(description=_SCOPE)] = None,
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
        self,
        info: Info,
        filter: Annotated[StatsFilter | None, strawberry.argument(description=_STATS)] = UNSET,
        organisation_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="Only the figures of this organisation.")
        ] = None,
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
        self,
        info: Info,
        filter: Annotated[StatsFilter | None, strawberry.argument(description=_STATS)] = UNSET,
        organisation_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="Only the cases whose issue is AT this organisation.")
        ] = None,
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
    async def duty_report_roles(
        self,
        info: Info,
        year: Annotated[int, strawberry.argument(description="The reports' year (述法 of 2023: 2023).")],
    ) -> list[DutyReportRole]:
        ctx = info.context
        rows = await ctx.call(facts.duty_report_roles, ctx.store, year)
        return [DutyReportRole(role=r, reports=n, reporters=p) for r, n, p in rows]
