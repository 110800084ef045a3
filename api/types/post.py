"""任职 Post: one HELD_POST, an official's post in an organisation (``end`` is the last day in post)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from api.types.enums import PostKind
from api.types.node import node_named, relationship_type
from graph import queries

if TYPE_CHECKING:  # strawberry resolves these lazily: the modules refer to each other
    from api.types.official import Official
    from api.types.organisation import Organisation


@relationship_type("HELD_POST")
@strawberry.type(description="任职: a post held (HELD_POST). `end` is the last day in post; null = still in post.")
class Post:
    post: strawberry.Private[queries.Post]
    title: str | None
    post_kind: PostKind
    acting: bool
    start: date | None
    end: date | None = strawberry.field(
        description="离任日期 (HELD_POST.end): the last day in post; null = still in post."
    )

    @classmethod
    def of(cls, post: queries.Post) -> Post:
        return cls(
            post=post, title=post.title, post_kind=post.post_kind, acting=post.acting, start=post.start, end=post.end
        )

    @strawberry.field(description="任职单位 (the organisation the post is in).")
    async def organisation(self, info: Info) -> Annotated[Organisation, strawberry.lazy("api.types.organisation")]:
        from api.types.organisation import Organisation

        return await node_named(info, self.post.organisation, Organisation)

    @strawberry.field(description="任职人员 (the official who holds or held it).")
    async def official(self, info: Info) -> Annotated[Official, strawberry.lazy("api.types.official")]:
        from api.types.official import Official

        return await node_named(info, self.post.official, Official)

    @strawberry.field(description="Whether the post covers this date (start ≤ on ≤ end).")
    def held_on(self, on: Annotated[date, strawberry.argument(description="日期 (the day asked about).")]) -> bool:
        return self.post.covers(on)
