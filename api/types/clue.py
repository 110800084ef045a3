"""问题线索 Clue: a lead handed to the discipline commission, between an issue and a case."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from api.types.enums import ClueDisposal
from api.types.node import Node, linked, linked_one, node_type

if TYPE_CHECKING:  # strawberry resolves these lazily: the modules refer to each other
    from api.types.case import Case
    from api.types.issue import Issue


@node_type("Clue")
@strawberry.type(description="问题线索: a clue, and how it was disposed of.")
class Clue(Node):
    source: str | None = None
    received_on: date | None = None
    disposal: ClueDisposal | None = None
    disposed_on: date | None = None

    @strawberry.field(description="The issue that LED_TO it.")
    async def issue(self, info: Info) -> Annotated[Issue, strawberry.lazy("api.types.issue")] | None:
        return await linked_one(info, self, "LED_TO", "in", "Issue")

    @strawberry.field(description="Cases it LED_TO.")
    async def cases(self, info: Info) -> list[Annotated[Case, strawberry.lazy("api.types.case")]]:
        return await linked(info, self, "LED_TO", "out", "Case")
