"""问题 Issue: what an inspection found, where, who is responsible, and what followed."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from api.types.arguments import AsOf, given
from api.types.enums import (
    DeadlineKind,
    FeedbackForm,
    IssueStatus,
    ResponsibilityBasis,
    ResponsibilityKind,
    Severity,
)
from api.types.node import (
    Node,
    linked,
    linked_one,
    node_named,
    node_type,
    oldest_first,
    records,
    relationship_type,
    to_nodes,
)
from api.types.pagination import Connection
from graph import queries

if TYPE_CHECKING:  # strawberry resolves these lazily: the modules refer to each other
    from api.types.case import Case
    from api.types.chain import AccountabilityChain
    from api.types.clue import Clue
    from api.types.inspection import Inspection
    from api.types.official import Official
    from api.types.organisation import Organisation
    from api.types.post import Post
    from api.types.rectification_step import RectificationStep


@relationship_type("RESPONSIBLE")
@strawberry.type(description="Who bears responsibility for an issue, of what kind, and on what basis.")
class Responsibility:
    official_id: strawberry.Private[str]
    kind: ResponsibilityKind
    basis: ResponsibilityBasis = strawberry.field(
        description="认定依据 (basis): a RESPONSIBLE relationship, or the principal in office on the day."
    )
    post: Annotated[Post, strawberry.lazy("api.types.post")] | None = strawberry.field(
        default=None, description="For PRINCIPAL_AT_OCCURRENCE: the principal post held on the day."
    )

    @strawberry.field(description="责任人 (the official who bears it).")
    async def official(self, info: Info) -> Annotated[Official, strawberry.lazy("api.types.official")]:
        from api.types.official import Official

        return await node_named(info, self.official_id, Official)

    @classmethod
    def of(cls, r: queries.Responsibility) -> Responsibility:
        from api.types.post import Post

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
    async def inspection(self, info: Info) -> Annotated[Inspection, strawberry.lazy("api.types.inspection")] | None:
        return await linked_one(info, self, "FOUND", "in", "Inspection")

    @strawberry.field(description="The organisation it is AT.")
    async def organisation(
        self, info: Info
    ) -> Annotated[Organisation, strawberry.lazy("api.types.organisation")] | None:
        return await linked_one(info, self, "AT", "out", "Organisation")

    @strawberry.field(
        description="Explicit RESPONSIBLE officials first; otherwise the principals of the "
        "organisation in office on occurredOn (falling back to foundOn)."
    )
    async def responsible(self, info: Info) -> list[Responsibility]:
        found = await info.context.loaders.ask(queries.responsible_for, str(self.id))
        return [Responsibility.of(r) for r in found or []]

    @strawberry.field(description="Rectification steps (HAS_STEP), oldest first.")
    async def steps(
        self, info: Info
    ) -> list[Annotated[RectificationStep, strawberry.lazy("api.types.rectification_step")]]:
        return oldest_first(await linked(info, self, "HAS_STEP", "out", "RectificationStep"))

    @strawberry.field(description="Clues it LED_TO.")
    async def clues(self, info: Info) -> list[Annotated[Clue, strawberry.lazy("api.types.clue")]]:
        return await linked(info, self, "LED_TO", "out", "Clue")

    @strawberry.field(description="Cases it LED_TO, directly or through a clue; oldest first.")
    async def cases(self, info: Info) -> list[Annotated[Case, strawberry.lazy("api.types.case")]]:
        led = await linked(info, self, "LED_TO", "out")
        cases = [n for n in led if n.kind == "Case"]
        for clue in (n for n in led if n.kind == "Clue"):
            cases += await linked(info, clue, "LED_TO", "out", "Case")
        return oldest_first({c.id: c for c in cases}.values())

    @strawberry.field(description="The whole accountability chain (Query.chain).")
    async def chain(
        self, info: Info, as_of: AsOf = None
    ) -> Annotated[AccountabilityChain, strawberry.lazy("api.types.chain")] | None:
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
    """A page of issues matching a filter, filtered, sorted, counted and paged in the engine
    (``GraphStore.page_issues``; ``graph.queries.find_issues`` is the oracle it is tested against)."""
    from api.types.pagination import page_info, page_start
    from graph.issue_pages import IssueQuery

    ctx = info.context
    start = page_start(first, after)
    q = IssueQuery(
        status=tuple(given(status) or ()),
        found_from=given(found_from),
        found_to=given(found_to),
        region_id=region_id,
        campaign_id=campaign_id,
        organisation_id=organisation_id,
        skip=start,
        limit=first,
    )
    total, ids = await ctx.call(ctx.store.page_issues, q)
    page = await records(info, ids)
    return Connection(nodes=to_nodes(page), total_count=total, page_info=page_info(start, len(ids), total))


__all__ = ["Issue", "Node", "Responsibility", "issue_connection", "records"]
