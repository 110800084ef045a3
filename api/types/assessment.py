"""法治建设考评 Assessment: a routine or annual rule-of-law assessment, and whom it assesses."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from api.types.enums import AssessmentKind
from api.types.node import Node, linked, linked_one, node_type

if TYPE_CHECKING:  # strawberry resolves these lazily: the modules refer to each other
    from api.types.organisation import Organisation


@node_type("Assessment")
@strawberry.type(description="法治建设考评: a rule-of-law assessment.")
class Assessment(Node):
    year: int = 0
    assessment_kind: AssessmentKind = None
    score: float | None = None
    weight_points: float | None = None
    grade: str | None = None

    @strawberry.field(description="The organisation that ORGANISED it.")
    async def organiser(self, info: Info) -> Annotated[Organisation, strawberry.lazy("api.types.organisation")] | None:
        return await linked_one(info, self, "ORGANISED", "in", "Organisation")

    @strawberry.field(description="The organisations and officials it ASSESSES.")
    async def subjects(self, info: Info) -> list[Node]:
        return await linked(info, self, "ASSESSES", "out")
