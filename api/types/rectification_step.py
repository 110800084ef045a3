"""整改进展 RectificationStep: one step of rectifying an issue (批示, 方案, 督办函, 销号, …)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from api.types.enums import RectificationStepKind
from api.types.node import Node, linked_one, node_type

if TYPE_CHECKING:  # strawberry resolves these lazily: the modules refer to each other
    from api.types.issue import Issue


@node_type("RectificationStep")
@strawberry.type(description="整改进展: a rectification step.")
class RectificationStep(Node):
    rectification_step_kind: RectificationStepKind = None
    on: date | None = strawberry.field(name="date", default=None)
    note: str | None = None

    @strawberry.field(description="The issue that HAS this step.")
    async def issue(self, info: Info) -> Annotated[Issue, strawberry.lazy("api.types.issue")] | None:
        return await linked_one(info, self, "HAS_STEP", "in", "Issue")

    @strawberry.field(description="The official or organisation the step is BY.")
    async def by(self, info: Info) -> Node | None:
        return await linked_one(info, self, "BY", "out")
