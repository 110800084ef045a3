"""移送 Transfer: a case handed to a discipline commission, judicial organ or procuratorate."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from api.types.arguments import AsOf
from api.types.enums import TransferKind, TransferOutcome
from api.types.node import Node, linked_one, node_type
from schema.rules import TRANSFER_OVERDUE_DAYS, transfer_overdue

if TYPE_CHECKING:  # strawberry resolves these lazily: the modules refer to each other
    from api.types.case import Case
    from api.types.organisation import Organisation


@node_type("Transfer")
@strawberry.type(description="移送: a transfer, its outcome, and where it went (TO).")
class Transfer(Node):
    transfer_kind: TransferKind = None
    transferred_on: date | None = None
    outcome: TransferOutcome | None = None
    outcome_on: date | None = None

    @strawberry.field(description="The organisation it was sent TO.")
    async def to(self, info: Info) -> Annotated[Organisation, strawberry.lazy("api.types.organisation")] | None:
        return await linked_one(info, self, "TO", "out", "Organisation")

    @strawberry.field(description="The case it was TRANSFERRED from.")
    async def case(self, info: Info) -> Annotated[Case, strawberry.lazy("api.types.case")] | None:
        return await linked_one(info, self, "TRANSFERRED", "in", "Case")

    @strawberry.field(
        description=f"Whether it is still pending {TRANSFER_OVERDUE_DAYS} days after it was sent "
        "(as of `asOf`, default today)."
    )
    def overdue(self, info: Info, as_of: AsOf = None) -> bool:
        today = as_of or info.context.today
        return transfer_overdue(self.transferred_on, self.rec.get("outcome"), today) is not None
