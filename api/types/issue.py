"""问题 Issue: what an inspection found, where, who is responsible, and what followed."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from api.types.arguments import given
from api.types.enums import (
    DeadlineKind,
    FeedbackForm,
    IssueStatus,
    ResponsibilityBasis,
    ResponsibilityKind,
    Severity,
)
from api.types.node import Node, linked, linked_edges, linked_one, node_named, node_type, records, to_nodes
from api.types.pagination import Connection, paginate
from graph import queries
from schema.rules import PRINCIPAL_POST_KINDS, responsibility_date, responsible_for_issue


@strawberry.type(description="Who bears responsibility for an issue, of what kind, and on what basis.")
class Responsibility:
    official_id: strawberry.Private[str]
    kind: ResponsibilityKind
    basis: ResponsibilityBasis
    post: Post | None = strawberry.field(
        default=None, description="For PRINCIPAL_AT_OCCURRENCE: the principal post held on the day."
    )

    @strawberry.field
    async def official(self, info: Info) -> Official:
        return await node_named(info, self.official_id, Official)

    @classmethod
    def of(cls, r: queries.ChainResponsibility) -> Responsibility:
        return cls(official_id=r.official, kind=r.kind, basis=r.basis, post=Post.of(r.post) if r.post else None)


@node_type("Issue")
@strawberry.type(description="问题: an issue found by an inspection at an organisation.")
class Issue(Node):
    summary: str = ""
    category: str | None = None
    severity: Severity | None = None
    occurred_on: date | None = None
    found_on: date | None = None
    feedback_on: date | None = None
    feedback_form: FeedbackForm | None = None
    deadline: date | None = None
    deadline_kind: DeadlineKind | None = None
    status: IssueStatus | None = None

    @strawberry.field(description="The inspection that FOUND it.")
    async def inspection(self, info: Info) -> Inspection | None:
        return await linked_one(info, self, "FOUND", "in", "Inspection")

    @strawberry.field(description="The organisation it is AT.")
    async def organisation(self, info: Info) -> Organisation | None:
        return await linked_one(info, self, "AT", "out", "Organisation")

    @strawberry.field(
        description="Explicit RESPONSIBLE officials first; otherwise the principals of the "
        "organisation in office on occurredOn (falling back to foundOn)."
    )
    async def responsible(self, info: Info) -> list[Responsibility]:
        explicit = [
            (e.target, e.props.get("kind") or "direct") for e in await linked_edges(info, self, "RESPONSIBLE", "out")
        ]
        posts: list[queries.Post] = []
        if not explicit:
            orgs = [e.target for e in await linked_edges(info, self, "AT", "out")]
            if orgs:
                held = await info.context.loaders.edges.load((orgs[0], ("HELD_POST",), "in"))
                posts = [queries.Post.from_edge(e) for e in held if e.props.get("post_kind") in PRINCIPAL_POST_KINDS]
        rec = self.rec
        on = responsibility_date(rec.get("occurred_on"), rec.get("found_on"))
        out = []
        for r in responsible_for_issue(
            explicit, [p.as_row() for p in posts], rec.get("occurred_on"), rec.get("found_on")
        ):
            held_posts = sorted(
                (p for p in posts if p.official == r.official and on is not None and p.covers(on)),
                key=lambda p: (p.start or date.min, p.organisation),
            )
            post = held_posts[0] if held_posts else None
            out.append(Responsibility.of(queries.ChainResponsibility(r.official, r.kind, r.basis, post)))
        return out

    @strawberry.field(description="Rectification steps (HAS_STEP), oldest first.")
    async def steps(self, info: Info) -> list[RectificationStep]:
        found = await linked(info, self, "HAS_STEP", "out", "RectificationStep")
        return sorted(found, key=lambda s: (s.rec.get("date") or date.max, s.id))

    @strawberry.field(description="Clues it LED_TO.")
    async def clues(self, info: Info) -> list[Clue]:
        return await linked(info, self, "LED_TO", "out", "Clue")

    @strawberry.field(description="Cases it LED_TO, directly or through a clue; oldest first.")
    async def cases(self, info: Info) -> list[Case]:
        led = await linked(info, self, "LED_TO", "out")
        cases = [n for n in led if n.kind == "Case"]
        for clue in (n for n in led if n.kind == "Clue"):
            cases += await linked(info, clue, "LED_TO", "out", "Case")
        unique = {c.id: c for c in cases}
        return sorted(unique.values(), key=lambda c: (c.rec.get("opened_on") or date.max, c.id))

    @strawberry.field(description="The whole accountability chain (Query.chain).")
    async def chain(self, info: Info, as_of: date | None = None) -> AccountabilityChain | None:
        from api.types.chain import chain_objects

        found = await chain_objects(info, [str(self.id)], as_of or info.context.today)
        return found[0] if found else None


async def issue_connection(
    info: Info,
    first: int,
    after: str | None,
    *,
    status: list[str] | None = None,
    found_from: date | None = None,
    found_to: date | None = None,
    region_id: str | None = None,
    campaign_id: str | None = None,
    organisation_id: str | None = None,
) -> Connection[Issue]:
    """A page of issues matching a filter (graph.queries.find_issues)."""
    from api.types.pagination import check_first

    check_first(first)
    ctx = info.context
    f = queries.IssueFilter(
        status=tuple(given(status) or ()),
        found_from=given(found_from),
        found_to=given(found_to),
        region_id=region_id,
        campaign_id=campaign_id,
        organisation_id=organisation_id,
    )
    found = await ctx.call(queries.find_issues, ctx.store, f)
    page, total, page_info = paginate(found, first, after)
    ctx.loaders.prime_nodes({r["id"]: r for r in page})
    return Connection(nodes=to_nodes(page), total_count=total, page_info=page_info)


__all__ = ["Issue", "Node", "Responsibility", "issue_connection", "records"]


# Types this module refers to, imported last: the modules refer to each other.
from api.types.case import Case  # noqa: E402
from api.types.chain import AccountabilityChain  # noqa: E402
from api.types.clue import Clue  # noqa: E402
from api.types.inspection import Inspection  # noqa: E402
from api.types.official import Official  # noqa: E402
from api.types.organisation import Organisation  # noqa: E402
from api.types.post import Post  # noqa: E402
from api.types.rectification_step import RectificationStep  # noqa: E402
