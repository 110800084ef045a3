"""处置措施 Measure: a measure on an official or organisation, its form and its effect period."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, cast

import strawberry
from strawberry.types import Info

from api.types.enums import MeasureKind
from api.types.node import Node, linked_ids, linked_one, node_type, records
from graph import queries

if TYPE_CHECKING:  # strawberry resolves these lazily: the modules refer to each other
    from api.types.case import Case


@node_type("Measure")
@strawberry.type(description="处置措施: a measure, with the form (四种形态) derived from its kind.")
class Measure(Node):
    measure_kind: MeasureKind = None
    decided_on: date | None = None
    effective_on: date | None = None

    # Node.label is a plain field; a measure's needs its subject, so it is resolved here.
    @strawberry.field(description="Label: the measure and its subject, e.g. 诫勉（张伟）.")  # type: ignore[misc]
    async def label(self, info: Info) -> str:
        if self.label_hint is not None:
            return self.label_hint
        subjects = await records(info, await linked_ids(info, self, "APPLIES_TO", "out"))
        name = subjects[0].get("name") if subjects else None
        return queries.node_label(self.rec, str(name) if name else None)

    @strawberry.field(description="The form (1–3) derived from the kind (organisational measures: 1 or 2).")
    def form(self) -> int:
        return queries.measure_form(self.rec)

    @strawberry.field(
        description="Last day of the effect period (影响期); null when the kind has none or it is permanent."
    )
    def period_end(self) -> date | None:
        return queries.measure_period_end(self.rec)

    @strawberry.field(description="Whether the effect period covers `on` (default: today).")
    def in_effect(
        self,
        info: Info,
        on: Annotated[
            date | None, strawberry.argument(description="日期 (the day asked about); default today.")
        ] = None,
    ) -> bool:
        return queries.measure_in_effect(self.rec, on or info.context.today)

    @strawberry.field(description="The official or organisation it APPLIES_TO.")
    async def subject(self, info: Info) -> Node:
        found = await linked_one(info, self, "APPLIES_TO", "out")
        if found is None:
            from api.errors import NotFound

            raise NotFound(f"measure {self.id} has no APPLIES_TO subject in the graph")
        return cast(Node, found)

    @strawberry.field(description="The case that DECIDED it.")
    async def case(self, info: Info) -> Annotated[Case, strawberry.lazy("api.types.case")] | None:
        return await linked_one(info, self, "DECIDED", "in", "Case")

    @strawberry.field(description="The official or organisation that decided it (BY).")
    async def decided_by(self, info: Info) -> Node | None:
        return await linked_one(info, self, "BY", "out")
