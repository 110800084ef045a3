"""学习培训 StudyEvent: a central-group study, training course, lecture or rotation training."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from api.types.enums import StudyEventKind
from api.types.node import Node, linked_ids, linked_one, node_type
from api.types.pagination import DEFAULT_PAGE, After, Connection, First, paginate

if TYPE_CHECKING:  # strawberry resolves these lazily: the modules refer to each other
    from api.types.official import Official
    from api.types.organisation import Organisation


@node_type("StudyEvent")
@strawberry.type(description="学习培训: a study or training event.")
class StudyEvent(Node):
    study_event_kind: StudyEventKind = None
    title: str | None = None
    on: date = strawberry.field(name="date", default=None)

    @strawberry.field(description="The organisation that ORGANISED it.")
    async def organiser(self, info: Info) -> Annotated[Organisation, strawberry.lazy("api.types.organisation")] | None:
        return await linked_one(info, self, "ORGANISED", "in", "Organisation")

    @strawberry.field(description="Officials who ATTENDED, by id.")
    async def attendees(
        self, info: Info, first: First = DEFAULT_PAGE, after: After = None
    ) -> Connection[Annotated[Official, strawberry.lazy("api.types.official")]]:
        from api.types.node import records, to_nodes

        ids = sorted(set(await linked_ids(info, self, "ATTENDED", "in")))
        page_ids, total, page_info = paginate(ids, first, after)
        return Connection(nodes=to_nodes(await records(info, page_ids)), total_count=total, page_info=page_info)

    @strawberry.field(description="Number of officials who ATTENDED.")
    async def attendee_count(self, info: Info) -> int:
        return len(set(await linked_ids(info, self, "ATTENDED", "in")))
