"""问责 / 审查调查 Case: its subjects, measures, transfers, exposures, and the chain it belongs to."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from api.types.arguments import AsOf, FormFilter, MeasureKindFilter
from api.types.enums import CaseKind
from api.types.node import Node, linked, node_by_id, node_type, oldest_first, to_node
from graph import queries

if TYPE_CHECKING:  # strawberry resolves these lazily: the modules refer to each other
    from api.types.chain import AccountabilityChain
    from api.types.clue import Clue
    from api.types.exposure import Exposure
    from api.types.issue import Issue
    from api.types.measure import Measure
    from api.types.transfer import Transfer


@node_type("Case")
@strawberry.type(
    description="问责 / 审查调查: an accountability case, disciplinary review or supervisory investigation."
)
class Case(Node):
    case_kind: CaseKind = None
    title: str | None = None
    opened_on: date | None = None
    closed_on: date | None = None
    status: str | None = None

    @strawberry.field(description="The officials and organisations it CONCERNS.")
    async def subjects(self, info: Info) -> list[Node]:
        return await linked(info, self, "CONCERNS", "out")

    @strawberry.field(description="Measures DECIDED in this case, oldest first; optionally of a form or kind.")
    async def measures(
        self, info: Info, form: FormFilter = None, measure_kind: MeasureKindFilter = None
    ) -> list[Annotated[Measure, strawberry.lazy("api.types.measure")]]:
        found = await linked(info, self, "DECIDED", "out", "Measure")
        out = [
            m
            for m in found
            if (form is None or queries.measure_form(m.rec) == form)
            and (measure_kind is None or m.rec.get("measure_kind") == measure_kind)
        ]
        return oldest_first(out)

    @strawberry.field(description="Transfers (移送) from this case, oldest first.")
    async def transfers(self, info: Info) -> list[Annotated[Transfer, strawberry.lazy("api.types.transfer")]]:
        return oldest_first(await linked(info, self, "TRANSFERRED", "out", "Transfer"))

    @strawberry.field(description="Exposures (通报曝光) of this case, oldest first.")
    async def exposures(self, info: Info) -> list[Annotated[Exposure, strawberry.lazy("api.types.exposure")]]:
        return oldest_first(await linked(info, self, "EXPOSED_IN", "out", "Exposure"))

    @strawberry.field(description="The clue it came through, if any.")
    async def clue(self, info: Info) -> Annotated[Clue, strawberry.lazy("api.types.clue")] | None:
        found = await linked(info, self, "LED_TO", "in", "Clue")
        return found[0] if found else None

    @strawberry.field(description="The issue it comes from (directly or through a clue).")
    async def issue(self, info: Info) -> Annotated[Issue, strawberry.lazy("api.types.issue")] | None:
        found = await info.context.loaders.ask(queries.issues_of_cases, str(self.id))
        return None if found is None else await node_by_id(info, found[0], "Issue")

    @strawberry.field(description="The whole chain of the issue this case comes from (null without an issue).")
    async def chain(
        self, info: Info, as_of: AsOf = None
    ) -> Annotated[AccountabilityChain, strawberry.lazy("api.types.chain")] | None:
        from api.types.chain import chain_objects

        issue = await Case.issue(self, info)
        if issue is None:
            return None
        found = await chain_objects(info, [str(issue.id)], as_of or info.context.today)
        return found[0] if found else None


__all__ = ["Case", "to_node"]
