"""述法 DutyReport: a principal's report on performing rule-of-law duties, and who reviewed it."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from api.types.enums import DutyReportForm
from api.types.node import Node, linked_edges, linked_one, node_named, node_type, relationship_type

if TYPE_CHECKING:  # strawberry resolves these lazily: the modules refer to each other
    from api.types.official import Official
    from api.types.organisation import Organisation


@relationship_type("REVIEWED_BY")
@strawberry.type(description="A review of a 述法 report (REVIEWED_BY).")
class DutyReportReview:
    organisation_id: strawberry.Private[str]
    on: date | None = strawberry.field(name="date")

    @strawberry.field(description="审议单位 (the organisation that reviewed the report).")
    async def organisation(self, info: Info) -> Annotated[Organisation, strawberry.lazy("api.types.organisation")]:
        from api.types.organisation import Organisation

        return await node_named(info, self.organisation_id, Organisation)


@node_type("DutyReport")
@strawberry.type(description="述法: a report on performing rule-of-law duties.")
class DutyReport(Node):
    year: int = 0
    form: DutyReportForm | None = None
    reporter_role: str | None = None
    score: float | None = None
    grade: str | None = None
    commentary: str | None = None

    @strawberry.field(description="The official who SUBMITTED it.")
    async def reporter(self, info: Info) -> Annotated[Official, strawberry.lazy("api.types.official")] | None:
        return await linked_one(info, self, "SUBMITTED", "in", "Official")

    @strawberry.field(description="Who reviewed it (REVIEWED_BY) and when.")
    async def reviews(self, info: Info) -> list[DutyReportReview]:
        edges = await linked_edges(info, self, "REVIEWED_BY", "out")
        return [DutyReportReview(organisation_id=e.target, on=e.props.get("date")) for e in edges]
