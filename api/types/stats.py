"""四种形态 figures (CONTRACT §3 fourForms), with breakdowns by child region, month and measure kind."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from api.errors import BadUserInput, NotFound
from api.types.arguments import given
from api.types.enums import MeasureKind
from api.types.node import node_named
from graph import queries
from schema.rules import FORM_OF_KIND, FourFormsCount

if TYPE_CHECKING:  # strawberry resolves these lazily: the modules refer to each other
    from api.types.region import Region


@strawberry.input(
    description=(
        "Scope of the four-form figures. regionId covers the region's whole subtree; a case belongs to the region of "
        "the organisation its issue is AT (through a clue if there is one), a case with no issue to the region of the "
        "subject's post on the date of the measure (transfer, exposure). campaignId keeps cases whose issue was found "
        "by an inspection PART_OF that campaign. from/to (inclusive) filter measures on decidedOn, transfers on "
        "transferredOn and exposures on publishedOn."
    )
)
class StatsFilter:
    campaign_id: strawberry.ID | None = None
    region_id: strawberry.ID | None = None
    date_from: date | None = strawberry.field(name="from", default=None)
    date_to: date | None = strawberry.field(name="to", default=None)


@strawberry.type(
    description="Counts: forms in person-times (人次), sanctions and transfers in persons (人), "
    "exposures in cases (起)."
)
class FourFormsFigures:
    form1: int
    form2: int
    form3: int
    form4: int = strawberry.field(
        description="One per subject of a case with a transfer to a judicial organ or procuratorate."
    )
    held_accountable: int = strawberry.field(description="Distinct officials with a measure or a transfer.")
    sanctioned: int = strawberry.field(
        description="Distinct officials with a party or government sanction (both count once)."
    )
    party_sanctioned: int
    gov_sanctioned: int
    transferred_to_discipline: int = strawberry.field(description="Distinct officials transferred for case filing.")
    transferred_to_judicial: int = strawberry.field(
        description="Distinct officials transferred to judicial organs or the procuratorate."
    )
    exposed_cases: int = strawberry.field(description="Cases exposed (起).")


def _figures(c: FourFormsCount) -> dict[str, int]:
    return {
        "form1": c.form1,
        "form2": c.form2,
        "form3": c.form3,
        "form4": c.form4,
        "held_accountable": c.held_accountable,
        "sanctioned": c.sanctioned,
        "party_sanctioned": c.party_sanctioned,
        "gov_sanctioned": c.gov_sanctioned,
        "transferred_to_discipline": c.transferred_to_discipline,
        "transferred_to_judicial": c.transferred_to_judicial,
        "exposed_cases": c.exposed_cases,
    }


@strawberry.type(description="The figures of one child region (its whole subtree).")
class RegionFourForms(FourFormsFigures):
    region_id: strawberry.Private[str]

    @strawberry.field
    async def region(self, info: Info) -> Annotated[Region, strawberry.lazy("api.types.region")]:
        from api.types.region import Region

        return await node_named(info, self.region_id, Region)


@strawberry.type(description="The figures of one calendar month (of each fact's date).")
class MonthFourForms(FourFormsFigures):
    month: str = strawberry.field(description="YYYY-MM")


@strawberry.type(description="Person-times (人次) of one measure kind.")
class MeasureKindCount:
    measure_kind: MeasureKind
    form: int
    count: int


@strawberry.type(description="四种形态 figures of a scope, with breakdowns to rebuild the official tables.")
class FourFormsStats(FourFormsFigures):
    result: strawberry.Private[queries.FourFormsResult]

    @strawberry.field(
        description="The same figures for each child region of the filter's region (without one: "
        "of the root region), by code."
    )
    async def by_region(self, info: Info) -> list[RegionFourForms]:
        ctx = info.context
        f = self.result.filter
        result = self.result
        if f.region_id is None:
            result = await ctx.call(queries.four_forms, ctx.store, f, True)
        children = await ctx.call(queries.child_regions, ctx.store, f.region_id)
        return [RegionFourForms(region_id=r, **_figures(c)) for r, c in result.by_child_region(children)]

    @strawberry.field(description="The same figures per month (undated facts left out), oldest first.")
    def by_month(self) -> list[MonthFourForms]:
        return [MonthFourForms(month=m, **_figures(c)) for m, c in self.result.by_month()]

    @strawberry.field(description="Person-times per measure kind (measures on officials), in MODEL.md order.")
    def by_measure_kind(self) -> list[MeasureKindCount]:
        counts = Counter(m.kind for m, _ in self.result.measures if m.subject_is_official)
        order = list(MeasureKind.__members__.values())
        return [
            MeasureKindCount(measure_kind=k.value, form=FORM_OF_KIND[k.value], count=counts[k.value])
            for k in order
            if counts.get(k.value)
        ]


async def four_forms_stats(info: Info, f: StatsFilter | queries.StatsFilter | None) -> FourFormsStats:
    """Check the filter (unknown ids are NOT_FOUND), count, and wrap."""
    ctx = info.context
    asked = None if f is strawberry.UNSET else f
    if asked is None:
        qf = queries.StatsFilter()
    else:
        qf = queries.StatsFilter(
            campaign_id=str(asked.campaign_id) if asked.campaign_id else None,
            region_id=str(asked.region_id) if asked.region_id else None,
            date_from=given(asked.date_from),
            date_to=given(asked.date_to),
        )
    if qf.date_from and qf.date_to and qf.date_from > qf.date_to:
        raise BadUserInput(f"'from' ({qf.date_from}) is after 'to' ({qf.date_to})")
    result = await ctx.call(queries.four_forms, ctx.store, qf, False)
    wanted = {i: k for i, k in ((qf.campaign_id, "Campaign"), (qf.region_id, "Region")) if i is not None}
    if wanted and not (result.measures or result.transfers or result.exposures):
        # Nothing counted: say so if it is because an id names nothing (checked only then: one call saved).
        kinds = await ctx.call(ctx.store.kinds_of, list(wanted))
        for node_id, kind in wanted.items():
            if kinds.get(node_id) != kind:
                raise NotFound(f"no {kind} with id {node_id!r}")
    return FourFormsStats(result=result, **_figures(result.total()))
