"""四种形态 figures (CONTRACT §3 fourForms), with breakdowns by child region, month and measure kind."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Annotated
from urllib.parse import urlencode

import strawberry
from strawberry.types import Info

from api.errors import BadUserInput, NotFound
from api.types.arguments import given
from api.types.enums import MeasureKind
from api.types.node import node_named
from graph import queries
from schema.rules import FORM_OF_KIND, GOV_SANCTIONS, MEASURE_LABELS, ORG_MEASURE_KINDS, PARTY_SANCTIONS, FourFormsCount
from schema.vocabulary import FORM_LABELS

if TYPE_CHECKING:  # strawberry resolves these lazily: the modules refer to each other
    from api.types.region import Region


def scope_id(field: str, criteria: Mapping[str, object]) -> strawberry.ID:
    """The identity of a set of figures: the field that counts them and the criteria given (None left out).

    >>> scope_id("fourForms", {"campaignId": "CAM-1", "regionId": None, "from": date(2024, 1, 1)})
    'fourForms?campaignId=CAM-1&from=2024-01-01'
    """
    given_criteria = {k: str(v) for k, v in criteria.items() if v is not None}
    return strawberry.ID(f"{field}?{urlencode(given_criteria)}" if given_criteria else field)


def _four_forms_id(f: queries.StatsFilter) -> strawberry.ID:
    return scope_id(
        "fourForms", {"campaignId": f.campaign_id, "regionId": f.region_id, "from": f.date_from, "to": f.date_to}
    )


def _form(form: int) -> str:
    kinds = "、".join(MEASURE_LABELS[k] for k, f in FORM_OF_KIND.items() if f == form and k not in ORG_MEASURE_KINDS)
    return f"{FORM_LABELS[form]} (form {form}), 人次 (person-times): one per measure on an official of kind {kinds}."


def _sanctioned(what: str, kinds: tuple[str, ...]) -> str:
    return f"{what}: distinct officials with a measure of kind " + "、".join(MEASURE_LABELS[k] for k in kinds) + "."


_SCOPE_ID = (
    "The same scope always has the same id, and on the same data the same figures, so client caches (Apollo) can "
    "normalise them; it is not a node id (Query.node does not know it)."
)


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
    campaign_id: strawberry.ID | None = strawberry.field(
        default=None, description="专项 (campaign): only cases whose issue an inspection PART_OF it found."
    )
    region_id: strawberry.ID | None = strawberry.field(
        default=None, description="行政区划 (region, GB/T 2260 code): only cases of the region's whole subtree."
    )
    date_from: date | None = strawberry.field(
        name="from",
        default=None,
        description="起始日期（含） (from, inclusive): on decidedOn, transferredOn, publishedOn.",
    )
    date_to: date | None = strawberry.field(
        name="to", default=None, description="截止日期（含） (to, inclusive): on decidedOn, transferredOn, publishedOn."
    )


@strawberry.type(
    description="Counts: forms in person-times (人次), sanctions and transfers in persons (人), "
    "exposures in cases (起)."
)
class FourFormsFigures:
    form1: int = strawberry.field(description=_form(1))
    form2: int = strawberry.field(description=_form(2))
    form3: int = strawberry.field(description=_form(3))
    form4: int = strawberry.field(
        description="One per subject of a case with a transfer to a judicial organ or procuratorate."
    )
    held_accountable: int = strawberry.field(description="Distinct officials with a measure or a transfer.")
    sanctioned: int = strawberry.field(
        description="Distinct officials with a party or government sanction (both count once)."
    )
    party_sanctioned: int = strawberry.field(
        description=_sanctioned("受党纪处分人数 (party sanctions)", PARTY_SANCTIONS)
    )
    gov_sanctioned: int = strawberry.field(
        description=_sanctioned("受政务处分人数 (government sanctions)", GOV_SANCTIONS)
    )
    transferred_to_discipline: int = strawberry.field(description="Distinct officials transferred for case filing.")
    transferred_to_judicial: int = strawberry.field(
        description="Distinct officials transferred to judicial organs or the procuratorate."
    )
    exposed_cases: int = strawberry.field(description="Cases exposed (起).")


def _figures(c: FourFormsCount | None) -> dict[str, int]:
    c = c or FourFormsCount()
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
    id: strawberry.ID = strawberry.field(
        description="统计范围标识 (identity of the figures): the id of fourForms with this region in place of the "
        "filter's region (campaign and dates kept), whose figures these are. " + _SCOPE_ID
    )

    @strawberry.field(description="下级行政区划 (the child region; the figures cover its whole subtree).")
    async def region(self, info: Info) -> Annotated[Region, strawberry.lazy("api.types.region")]:
        from api.types.region import Region

        return await node_named(info, self.region_id, Region)


@strawberry.type(
    description="The figures of one calendar month (of each fact's date). A value object without an id: it belongs "
    "to the FourFormsStats whose byMonth lists it."
)
class MonthFourForms(FourFormsFigures):
    month: str = strawberry.field(description="YYYY-MM")


@strawberry.type(
    description="Person-times (人次) of one measure kind. A value object without an id: it belongs to the "
    "FourFormsStats whose byMeasureKind lists it."
)
class MeasureKindCount:
    measure_kind: MeasureKind = strawberry.field(description="措施种类 (the measure kind).")
    form: int = strawberry.field(description="形态 (the form of the 四种形态 the kind belongs to, 1–3).")
    count: int = strawberry.field(description="人次 (measures of this kind on officials).")


@strawberry.type(description="四种形态 figures of a scope, with breakdowns to rebuild the official tables.")
class FourFormsStats(FourFormsFigures):
    filter: strawberry.Private[queries.StatsFilter]
    id: strawberry.ID = strawberry.field(
        description="统计范围标识 (identity of the figures): the scope counted, as the field and its filter "
        "(fourForms?campaignId=…&regionId=…&from=…&to=…, criteria not given left out). " + _SCOPE_ID
    )

    @strawberry.field(
        description="The same figures for each child region of the filter's region (without one: "
        "of the root region), by code."
    )
    async def by_region(self, info: Info) -> list[RegionFourForms]:
        ctx = info.context
        f = self.filter
        children = await ctx.call(queries.child_regions, ctx.store, f.region_id)
        counts = await ctx.call(queries.four_forms_counts, ctx.store, f, "region", children)
        return [
            RegionFourForms(region_id=r, id=_four_forms_id(replace(f, region_id=r)), **_figures(counts.get(r)))
            for r in children
        ]

    @strawberry.field(description="The same figures per month (undated facts left out), oldest first.")
    async def by_month(self, info: Info) -> list[MonthFourForms]:
        ctx = info.context
        counts = await ctx.call(queries.four_forms_counts, ctx.store, self.filter, "month")
        return [MonthFourForms(month=m, **_figures(counts[m])) for m in sorted(counts)]

    @strawberry.field(description="Person-times per measure kind (measures on officials), in MODEL.md order.")
    async def by_measure_kind(self, info: Info) -> list[MeasureKindCount]:
        ctx = info.context
        counts = await ctx.call(queries.four_forms_counts, ctx.store, self.filter, "measure_kind")
        out = []
        for k in MeasureKind.__members__.values():
            form = FORM_OF_KIND[k.value]
            c = counts.get(k.value)
            n = getattr(c, f"form{form}") if c is not None else 0
            if n:
                out.append(MeasureKindCount(measure_kind=k.value, form=form, count=n))
        return out


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
    counts = await ctx.call(queries.four_forms_counts, ctx.store, qf)
    total = counts.get(None)
    wanted = {i: k for i, k in ((qf.campaign_id, "Campaign"), (qf.region_id, "Region")) if i is not None}
    if wanted and total is None:
        # Nothing counted: say so if it is because an id names nothing (checked only then: one call saved).
        kinds = await ctx.call(ctx.store.kinds_of, list(wanted))
        for node_id, kind in wanted.items():
            if kinds.get(node_id) != kind:
                raise NotFound(f"no {kind} with id {node_id!r}")
    return FourFormsStats(filter=qf, id=_four_forms_id(qf), **_figures(total))
