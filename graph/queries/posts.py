"""Posts (HELD_POST) and principals: who held which post when, and the 党政主要负责人 on a date."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from graph.port import Direction, Edge, GraphStore
from schema.rules import (
    post_covers,
)


@dataclass(frozen=True)
class Post:
    """One HELD_POST: an official's post in an organisation, ``end`` being the last day in post."""

    official: str
    organisation: str
    title: str | None
    post_kind: str
    acting: bool
    start: date | None
    end: date | None

    @classmethod
    def from_edge(cls, e: Edge) -> Post:
        p = e.props
        return cls(
            e.source,
            e.target,
            p.get("title"),
            p.get("post_kind") or "staff",
            bool(p.get("acting")),
            p.get("start"),
            p.get("end"),
        )

    def covers(self, on: date) -> bool:
        return post_covers(self.start, self.end, on)

    def as_row(self) -> dict[str, Any]:
        """The mapping ``schema.rules.principals_at`` reads."""
        return {"official": self.official, "post_kind": self.post_kind, "start": self.start, "end": self.end}


def post_order(p: Post) -> tuple[date, str, str]:
    return (p.start or date.min, p.organisation, p.official)


def posts_of(store: GraphStore, official_ids: Collection[str], on: date | None = None) -> dict[str, list[Post]]:
    """Each official's posts (oldest first), or only those held on ``on``."""
    return _posts(store, official_ids, "out", on)


def holders_of(store: GraphStore, org_ids: Collection[str], on: date | None = None) -> dict[str, list[Post]]:
    """Each organisation's posts (oldest first), or only those held on ``on``."""
    return _posts(store, org_ids, "in", on)


def _posts(store: GraphStore, ids: Collection[str], direction: Direction, on: date | None) -> dict[str, list[Post]]:
    out: dict[str, list[Post]] = {i: [] for i in ids}
    for e in store.edges(ids, ("HELD_POST",), direction):
        post = Post.from_edge(e)
        if on is None or post.covers(on):
            out.setdefault(e.source if direction == "out" else e.target, []).append(post)
    for posts in out.values():
        posts.sort(key=post_order)
    return out


def principals_at(store: GraphStore, org_ids: Collection[str], on: date) -> dict[str, list[str]]:
    """The 党政主要负责人 of each organisation on ``on`` (MODEL.md; acting holders count), sorted by id."""
    from schema.rules import principals_at as rule

    return {org: rule([p.as_row() for p in posts], on) for org, posts in holders_of(store, org_ids, on).items()}
