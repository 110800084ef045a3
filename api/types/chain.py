"""The accountability chain (问责链条): one call from the issue to its outcome."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from api.errors import NotFound
from api.types.enums import ChainStage
from api.types.node import Node, node_named, relationship_type, to_node
from graph import queries
from schema.rules import TRANSFER_OVERDUE_DAYS

if TYPE_CHECKING:  # strawberry resolves these lazily: the modules refer to each other
    from api.types.campaign import Campaign
    from api.types.case import Case
    from api.types.clue import Clue
    from api.types.document import Document
    from api.types.exposure import Exposure
    from api.types.inspection import Inspection
    from api.types.issue import Issue, Responsibility
    from api.types.measure import Measure
    from api.types.organisation import Organisation
    from api.types.rectification_step import RectificationStep
    from api.types.transfer import Transfer


@relationship_type("EVIDENCED_BY")
@strawberry.type(description="A document evidencing a node of the chain (EVIDENCED_BY).")
class ChainDocument:
    source: strawberry.Private[queries.ChainDocument]
    document: Annotated[Document, strawberry.lazy("api.types.document")] = strawberry.field(
        description="依据文件 (the document cited)."
    )
    page: int | None
    note: str | None

    @strawberry.field(description="The chain node it is evidence for.")
    async def evidences(self, info: Info) -> Node:
        return await node_named(info, self.source.evidences, Node)


@strawberry.type(description="A stage the chain has reached, and when (null when undated).")
class StageReached:
    stage: ChainStage = strawberry.field(description="阶段 (the stage reached).")
    on: date | None = strawberry.field(
        name="date", description="到达日期 (the date the stage was reached); null when the facts are undated."
    )


@strawberry.type(
    description="A missed deadline: rectification past its deadline, or a transfer with no outcome 90 days on."
)
class OverdueItem:
    node_id: strawberry.Private[str]
    kind: str = strawberry.field(description="rectification or transfer")
    due: date = strawberry.field(
        description="应完成日期 (due): the rectification deadline, or the transfer date plus "
        f"{TRANSFER_OVERDUE_DAYS} days."
    )
    days_over: int = strawberry.field(description="逾期天数 (days past `due` on the chain's `asOf` date).")

    @strawberry.field(description="The issue (rectification) or transfer that is overdue.")
    async def node(self, info: Info) -> Node:
        return await node_named(info, self.node_id, Node)


@strawberry.type(description="问责链条: an issue's whole chain, from discovery to outcome.")
class AccountabilityChain:
    data: strawberry.Private[queries.Chain]
    id: strawberry.ID = strawberry.field(
        description="链条标识 (identity): the id of the chain's issue — one issue, one chain — so client caches "
        "(Apollo) can normalise chains. `stage`, `stages` and `overdue` are judged as of `asOf`: a client asking "
        "for one chain at several dates should keep them apart (e.g. by the field's arguments)."
    )
    issue: Annotated[Issue, strawberry.lazy("api.types.issue")] = strawberry.field(
        description="问题 (the issue the chain starts from)."
    )
    inspection: Annotated[Inspection, strawberry.lazy("api.types.inspection")] | None = strawberry.field(
        description="督察 (the inspection that FOUND the issue); null when none did."
    )
    campaigns: list[Annotated[Campaign, strawberry.lazy("api.types.campaign")]] = strawberry.field(
        description="专项 (the campaigns that inspection is PART_OF)."
    )
    responsible: list[Annotated[Responsibility, strawberry.lazy("api.types.issue")]] = strawberry.field(
        description="责任人 (who bears responsibility for the issue, as Issue.responsible)."
    )
    steps: list[Annotated[RectificationStep, strawberry.lazy("api.types.rectification_step")]] = strawberry.field(
        description="Oldest first."
    )
    clues: list[Annotated[Clue, strawberry.lazy("api.types.clue")]] = strawberry.field(
        description="问题线索 (the clues the issue LED_TO), oldest received first."
    )
    cases: list[Annotated[Case, strawberry.lazy("api.types.case")]] = strawberry.field(
        description="Cases the issue LED_TO, directly or through a clue."
    )
    measures: list[Annotated[Measure, strawberry.lazy("api.types.measure")]] = strawberry.field(
        description="处置措施 (the measures the chain's cases DECIDED), oldest decided first."
    )
    transfers: list[Annotated[Transfer, strawberry.lazy("api.types.transfer")]] = strawberry.field(
        description="移送 (the chain's cases TRANSFERRED), oldest first."
    )
    exposures: list[Annotated[Exposure, strawberry.lazy("api.types.exposure")]] = strawberry.field(
        description="通报曝光 (where the chain's cases were EXPOSED_IN), oldest published first."
    )
    documents: list[ChainDocument] = strawberry.field(
        description="依据文件 (the documents any node of the chain is EVIDENCED_BY), with page and note."
    )
    stage: ChainStage = strawberry.field(description="当前阶段 (the furthest stage reached as of `asOf`).")
    stages: list[StageReached] = strawberry.field(description="Every stage reached, with its date.")
    overdue: list[OverdueItem] = strawberry.field(description="Deadlines missed as of the chain's `asOf` date.")

    @strawberry.field(description="The organisation the issue is AT.")
    def organisation(self) -> Annotated[Organisation, strawberry.lazy("api.types.organisation")]:
        org = self.data.organisation
        if org is None:
            raise NotFound(f"issue {self.data.issue['id']} is not AT any organisation; add an AT relationship")
        return to_node(org)  # type: ignore[no-any-return]


def chain_object(info: Info, c: queries.Chain) -> AccountabilityChain:
    from api.types.issue import Responsibility

    info.context.loaders.prime_nodes(c.nodes)
    known = c.complete_links()

    def make(rec: dict) -> object:  # type: ignore[type-arg]
        return to_node(rec, known.get(rec["id"]))

    return AccountabilityChain(
        data=c,
        id=c.issue["id"],
        issue=make(c.issue),  # type: ignore[arg-type]
        inspection=make(c.inspection) if c.inspection else None,  # type: ignore[arg-type]
        campaigns=[make(r) for r in c.campaigns],  # type: ignore[misc]
        responsible=[Responsibility.of(r) for r in c.responsible],
        steps=[make(r) for r in c.steps],  # type: ignore[misc]
        clues=[make(r) for r in c.clues],  # type: ignore[misc]
        cases=[make(r) for r in c.cases],  # type: ignore[misc]
        measures=[make(r) for r in c.measures],  # type: ignore[misc]
        transfers=[make(r) for r in c.transfers],  # type: ignore[misc]
        exposures=[make(r) for r in c.exposures],  # type: ignore[misc]
        documents=[
            ChainDocument(source=d, document=make(c.nodes[d.document]), page=d.page, note=d.note)  # type: ignore[arg-type]
            for d in c.documents
        ],
        stage=c.stage,
        stages=[StageReached(stage=s.stage, on=s.on) for s in c.stages],
        overdue=[OverdueItem(node_id=o.node, kind=o.kind, due=o.due, days_over=o.days_over) for o in c.overdue],
    )


async def chain_objects(info: Info, issue_ids: Sequence[str], as_of: date) -> list[AccountabilityChain]:
    """The chains of these issues (skipping ids that are not issues), in the order given."""
    ctx = info.context
    found = await ctx.call(queries.chains, ctx.store, list(issue_ids), as_of)
    return [chain_object(info, found[i]) for i in issue_ids if i in found]
