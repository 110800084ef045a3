"""通报曝光 Exposure: a published notice of cases."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from api.types.node import Node, linked, node_type

if TYPE_CHECKING:  # strawberry resolves these lazily: the modules refer to each other
    from api.types.case import Case


@node_type("Exposure")
@strawberry.type(description="通报曝光: a public exposure of typical cases.")
class Exposure(Node):
    published_on: date | None = None
    channel: str | None = None
    title: str | None = None

    @strawberry.field(description="The cases EXPOSED_IN it.")
    async def cases(self, info: Info) -> list[Annotated[Case, strawberry.lazy("api.types.case")]]:
        return await linked(info, self, "EXPOSED_IN", "in", "Case")
