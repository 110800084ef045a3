"""Who is responsible for an issue (MODEL.md): explicit RESPONSIBLE edges, else the principals of its
organisation in office on the day it occurred (falling back to the day it was found).

    responsible_for(store, ["ISS-1"])["ISS-1"]      # [Responsibility(official="OFF-1", …)]

The chain reads the same edges in its walks and calls ``responsibility`` on them, so both answers
come from one rule.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from graph.port import Edge, GraphStore, Hop, Node
from graph.queries.posts import Post, post_order
from schema.rules import PRINCIPAL_POST_KINDS, responsibility_date, responsible_for_issue

# From an issue to the principal posts of the organisation it is AT (the default rule's input).
PRINCIPAL_POSTS = (Hop(("AT",), "out"), Hop(("HELD_POST",), "in", ("post_kind", PRINCIPAL_POST_KINDS)))


@dataclass(frozen=True)
class Responsibility:
    official: str
    kind: str  # RESPONSIBILITY_KINDS
    basis: str  # "explicit" | "principal_at_occurrence"
    post: Post | None = None  # for the default rule: the principal post held on the day


def responsibility(issue: Node, explicit: Iterable[Edge], principal_posts: Iterable[Edge]) -> list[Responsibility]:
    """The responsible of one issue from its RESPONSIBLE edges and its organisation's principal HELD_POSTs."""
    given = [(e.target, e.props.get("kind") or "direct") for e in explicit]
    posts = [Post.from_edge(e) for e in principal_posts if e.props.get("post_kind") in PRINCIPAL_POST_KINDS]
    occurred, found = issue.get("occurred_on"), issue.get("found_on")
    on = responsibility_date(occurred, found)
    out: list[Responsibility] = []
    for r in responsible_for_issue(given, [p.as_row() for p in posts], occurred, found):
        post = None
        if r.basis == "principal_at_occurrence" and on is not None:
            held = sorted((p for p in posts if p.official == r.official and p.covers(on)), key=post_order)
            post = held[0] if held else None
        out.append(Responsibility(r.official, r.kind, r.basis, post))
    return out


def responsible_for(store: GraphStore, issue_ids: Collection[str]) -> dict[str, list[Responsibility]]:
    """Each issue's responsible (ids that are not issues are left out); three port calls for any number."""
    issues = {i: r for i, r in store.get_nodes(issue_ids).items() if r["kind"] == "Issue"}
    if not issues:
        return {}
    out_edges = store.edges(list(issues), ("RESPONSIBLE", "AT"), "out")
    explicit: dict[str, list[Edge]] = {i: [] for i in issues}
    org_of: dict[str, str] = {}
    for e in out_edges:
        if e.type == "RESPONSIBLE":
            explicit[e.source].append(e)
        else:
            org_of.setdefault(e.source, e.target)
    by_default = sorted(i for i in issues if not explicit[i] and i in org_of)
    posts_at: dict[str, list[Edge]] = {}
    for e in store.follow(by_default, PRINCIPAL_POSTS) if by_default else []:
        posts_at.setdefault(e.target, []).append(e)
    return {i: responsibility(rec, explicit[i], posts_at.get(org_of.get(i, ""), [])) for i, rec in issues.items()}
