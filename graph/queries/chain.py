"""The accountability chain (问责链条) of an issue: a few walks fetch it, ``_assemble_chain`` reads it."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from graph.port import Edge, GraphStore, Hop, Node
from graph.queries.records import date_key, group_by, unique
from graph.queries.responsibility import PRINCIPAL_POSTS, Responsibility, responsibility
from schema.model import REL_KINDS
from schema.rules import (
    Overdue,
    chain_stage,
    overdue_items,
)


@dataclass(frozen=True)
class ChainDocument:
    document: str
    evidences: str  # the chain node it is evidence for
    page: int | None
    note: str | None


@dataclass(frozen=True)
class StageReached:
    stage: str
    on: date | None


@dataclass
class Chain:
    """One issue's whole accountability chain, with every record it touches in ``nodes``."""

    issue: Node
    inspection: Node | None
    campaigns: list[Node]
    organisation: Node | None
    responsible: list[Responsibility]
    steps: list[Node]  # oldest first
    clues: list[Node]
    cases: list[Node]
    case_clue: dict[str, str | None]  # case id -> the clue it came through (None: straight from the issue)
    measures: list[Node]
    measure_case: dict[str, str]
    measure_subject: dict[str, str]
    transfers: list[Node]
    transfer_case: dict[str, str]
    transfer_to: dict[str, str]
    exposures: list[Node]
    documents: list[ChainDocument]
    stage: str
    stages: list[StageReached]
    overdue: list[Overdue]
    nodes: dict[str, Node]
    edges: list[Edge] = field(default_factory=list)

    def complete_links(self) -> dict[str, dict[tuple[str, str], list[str]]]:
        """For each node of the chain, the relationships the chain holds in full: ``{id: {(type,
        direction): [other ids]}}``, so a reader need not fetch them again (``CHAIN_HOLDS``)."""
        chain_nodes = [
            self.issue,
            *([self.inspection] if self.inspection else []),
            *self.steps,
            *self.clues,
            *self.cases,
            *self.measures,
            *self.transfers,
            *self.exposures,
        ]
        known: dict[str, dict[tuple[str, str], list[str]]] = {}
        for rec in chain_nodes:
            known[rec["id"]] = {key: [] for key in CHAIN_HOLDS.get(rec["kind"], ())}
        for e in self.edges:
            out = known.get(e.source, {}).get((e.type, "out"))
            if out is not None:
                out.append(e.target)
            into = known.get(e.target, {}).get((e.type, "in"))
            if into is not None:
                into.append(e.source)
        return known


_CHAIN_ISSUE_OUT = ("AT", "RESPONSIBLE", "HAS_STEP", "LED_TO", "EVIDENCED_BY")
# Relationships a chain reads out of every node it reaches, and those it reaches further nodes by.
_CHAIN_OUT_TYPES = (
    "LED_TO",
    "DECIDED",
    "TRANSFERRED",
    "EXPOSED_IN",
    "CONCERNS",
    "APPLIES_TO",
    "BY",
    "TO",
    "PART_OF",
    "EVIDENCED_BY",
)
_CHAIN_EXPAND_VIA = ("LED_TO", "HAS_STEP", "DECIDED", "TRANSFERRED", "EXPOSED_IN")


def _longest_walk(start: str, via: Sequence[str]) -> int:
    """Most ``via`` relationships a walk from a ``start`` node can take, by the kinds schema/ allows.

    The walks of a chain are bounded by this; a cycle among those kinds would make them unbounded,
    which is refused here, when the module loads.
    """

    def longest(kind: str, path: frozenset[str]) -> int:
        if kind in path:
            raise ValueError(f"{via} can lead from {kind} back to {kind}: chains would be unbounded")
        following = {t for rel in via for f, t in REL_KINDS[rel].endpoints if f == kind}
        return max((1 + longest(k, path | {kind}) for k in sorted(following)), default=0)

    return longest(start, frozenset())


def _chain_walks() -> list[list[Hop]]:
    """The walks from an issue that fetch its whole chain (the principals' posts aside).

    From the issue: its own relationships and its inspection; then, from every node reached through
    ``_CHAIN_EXPAND_VIA`` (from the issue or its inspection), that node's ``_CHAIN_OUT_TYPES``. Each
    depth is one fixed-length walk, so a chain is a few queries whatever its size.
    """
    out, via = Hop(_CHAIN_OUT_TYPES, "out"), Hop(_CHAIN_EXPAND_VIA, "out")
    found = Hop(("FOUND",), "in")
    walks = [[Hop(_CHAIN_ISSUE_OUT, "out")], [found]]
    walks += [[found, *[via] * k, out] for k in range(_longest_walk("Inspection", _CHAIN_EXPAND_VIA) + 1)]
    walks += [[*[via] * k, out] for k in range(1, _longest_walk("Issue", _CHAIN_EXPAND_VIA) + 1)]
    return walks


_CHAIN_WALKS = _chain_walks()


def _holds() -> dict[str, tuple[tuple[str, str], ...]]:
    """What the walks fetch in full for each kind of chain node: the issue's own relationships, the
    ``_CHAIN_OUT_TYPES`` out of every node reached, and the one relationship each was reached by."""
    from schema.model import REL_KINDS

    kinds = {k for rel in (*_CHAIN_EXPAND_VIA, "FOUND") for k in REL_KINDS[rel].to_kinds} | {"Inspection"}
    held: dict[str, tuple[tuple[str, str], ...]] = {}
    for kind in sorted(kinds):
        out = _CHAIN_ISSUE_OUT if kind == "Issue" else _CHAIN_OUT_TYPES
        held[kind] = tuple((t, "out") for t in out if kind in REL_KINDS[t].from_kinds)
    # "in" relationships a chain node has exactly one of, by the model: the one it was reached by.
    for kind, rel in (
        ("Issue", "FOUND"),
        ("Measure", "DECIDED"),
        ("Transfer", "TRANSFERRED"),
        ("RectificationStep", "HAS_STEP"),
    ):
        held[kind] += ((rel, "in"),)
    return held


CHAIN_HOLDS = _holds()


def chain(store: GraphStore, issue_id: str, today: date) -> Chain | None:
    """The chain of one issue (None when no Issue has that id)."""
    return chains(store, [issue_id], today).get(issue_id)


def chains(store: GraphStore, issue_ids: Collection[str], today: date) -> dict[str, Chain]:
    """The chains of several issues, fetched together (a few port calls whatever their number)."""
    issues = {i: r for i, r in store.get_nodes(issue_ids).items() if r["kind"] == "Issue"}
    if not issues:
        return {}
    ids = list(issues)
    found: dict[str, Edge] = {}
    for walk in _CHAIN_WALKS:
        found.update((e.id, e) for e in store.follow(ids, walk))
    # Principals in office are the responsible ones only where no RESPONSIBLE edge names anyone.
    explicit = {e.source for e in found.values() if e.type == "RESPONSIBLE"}
    by_default = [i for i in ids if i not in explicit]
    if by_default:
        found.update((e.id, e) for e in store.follow(by_default, PRINCIPAL_POSTS))
    fetched = [found[k] for k in sorted(found)]
    nodes = dict(issues)
    nodes.update(store.get_nodes({i for e in fetched for i in (e.source, e.target)} - set(issues)))
    return {i: _assemble_chain(issues[i], fetched, nodes, today) for i in issues}


def _assemble_chain(issue: Node, fetched: list[Edge], nodes: dict[str, Node], today: date) -> Chain:
    iid = issue["id"]
    out = group_by(fetched, "source")
    edges_used: dict[str, Edge] = {}

    def follow(src: str, *types: str) -> list[Edge]:
        hits = [e for e in out.get(src, ()) if e.type in types]
        for e in hits:
            edges_used[e.id] = e
        return hits

    found_by = [e for e in fetched if e.type == "FOUND" and e.target == iid]
    for e in found_by:
        edges_used[e.id] = e
    inspection = nodes.get(found_by[0].source) if found_by else None
    at = follow(iid, "AT")
    org = nodes.get(at[0].target) if at else None
    campaigns = [nodes[e.target] for e in follow(inspection["id"], "PART_OF")] if inspection else []

    explicit = follow(iid, "RESPONSIBLE")
    principal_posts: list[Edge] = []
    if org is not None and not explicit:
        principal_posts = [e for e in fetched if e.type == "HELD_POST" and e.target == org["id"]]
    responsible = responsibility(issue, explicit, principal_posts)

    steps = sorted(
        (nodes[e.target] for e in follow(iid, "HAS_STEP") if e.target in nodes),
        key=lambda s: (date_key(s.get("date")), s["id"]),
    )
    clues: list[Node] = []
    case_clue: dict[str, str | None] = {}
    for e in follow(iid, "LED_TO"):
        target = nodes.get(e.target)
        if target is None:
            continue
        if target["kind"] == "Clue":
            clues.append(target)
            for e2 in follow(target["id"], "LED_TO"):
                case_clue.setdefault(e2.target, target["id"])
        elif target["kind"] == "Case":
            case_clue[target["id"]] = None
    cases = sorted((nodes[c] for c in case_clue if c in nodes), key=lambda c: (date_key(c.get("opened_on")), c["id"]))
    clues.sort(key=lambda c: (date_key(c.get("received_on")), c["id"]))

    measure_case: dict[str, str] = {}
    transfer_case: dict[str, str] = {}
    exposure_ids: list[str] = []
    for case in cases:
        for e in follow(case["id"], "DECIDED"):
            measure_case.setdefault(e.target, case["id"])
        for e in follow(case["id"], "TRANSFERRED"):
            transfer_case.setdefault(e.target, case["id"])
        exposure_ids += [e.target for e in follow(case["id"], "EXPOSED_IN")]
        follow(case["id"], "CONCERNS")
    measure_subject: dict[str, str] = {}
    for m in measure_case:
        for e in follow(m, "APPLIES_TO"):
            measure_subject.setdefault(m, e.target)
        follow(m, "BY")
    transfer_to: dict[str, str] = {}
    for t in transfer_case:
        for e in follow(t, "TO"):
            transfer_to.setdefault(t, e.target)
    for s in steps:
        follow(s["id"], "BY")
    measures = sorted(
        (nodes[m] for m in measure_case if m in nodes), key=lambda m: (date_key(m.get("decided_on")), m["id"])
    )
    transfers = sorted(
        (nodes[t] for t in transfer_case if t in nodes), key=lambda t: (date_key(t.get("transferred_on")), t["id"])
    )
    exposures = sorted(
        (nodes[x] for x in unique(exposure_ids) if x in nodes),
        key=lambda x: (date_key(x.get("published_on")), x["id"]),
    )

    chain_ids = [
        iid,
        *([inspection["id"]] if inspection else []),
        *(s["id"] for s in steps),
        *(c["id"] for c in clues),
        *(c["id"] for c in cases),
        *(m["id"] for m in measures),
        *(t["id"] for t in transfers),
        *(x["id"] for x in exposures),
    ]
    documents: list[ChainDocument] = []
    for cid in chain_ids:
        for e in follow(cid, "EVIDENCED_BY"):
            if e.target in nodes:
                documents.append(ChainDocument(e.target, cid, e.props.get("page"), e.props.get("note")))

    step_kinds = [s.get("rectification_step_kind") or "" for s in steps]
    stage = chain_stage(issue, step_kinds, cases, len(measures), transfers)
    return Chain(
        issue=issue,
        inspection=inspection,
        campaigns=campaigns,
        organisation=org,
        responsible=responsible,
        steps=steps,
        clues=clues,
        cases=cases,
        case_clue=case_clue,
        measures=measures,
        measure_case=measure_case,
        measure_subject=measure_subject,
        transfers=transfers,
        transfer_case=transfer_case,
        transfer_to=transfer_to,
        exposures=exposures,
        documents=documents,
        stage=stage,
        stages=_stages_reached(issue, steps, cases, measures, transfers, stage),
        overdue=overdue_items(issue, transfers, today),
        nodes=nodes,
        edges=sorted(edges_used.values(), key=lambda e: e.id),
    )


def _min(dates: Iterable[date | None]) -> date | None:
    known = [d for d in dates if d is not None]
    return min(known) if known else None


def _max(dates: Iterable[date | None]) -> date | None:
    known = [d for d in dates if d is not None]
    return max(known) if known else None


def _stages_reached(
    issue: Node, steps: list[Node], cases: list[Node], measures: list[Node], transfers: list[Node], stage: str
) -> list[StageReached]:
    """Each stage the chain has reached, with the earliest date known for it (None when undated)."""
    out = [StageReached("discovered", issue.get("found_on") or issue.get("occurred_on"))]
    if issue.get("feedback_on") is not None:
        out.append(StageReached("feedback", issue["feedback_on"]))
    if steps or issue.get("status") in ("rectifying", "rectified", "verified", "reopened"):
        out.append(StageReached("rectifying", _min(s.get("date") for s in steps)))
    done = [s for s in steps if s.get("rectification_step_kind") in ("completion_report", "closed")]
    if done or issue.get("status") in ("rectified", "verified"):
        out.append(StageReached("rectified", _min(s.get("date") for s in done)))
    if cases or measures:
        out.append(
            StageReached(
                "accountability", _min([*(c.get("opened_on") for c in cases), *(m.get("decided_on") for m in measures)])
            )
        )
    if transfers:
        out.append(StageReached("transferred", _min(t.get("transferred_on") for t in transfers)))
    if stage == "closed":
        out.append(
            StageReached(
                "closed",
                _max(
                    [
                        *(s.get("date") for s in steps if s.get("rectification_step_kind") == "closed"),
                        *(c.get("closed_on") for c in cases),
                        *(t.get("outcome_on") for t in transfers),
                    ]
                ),
            )
        )
    return out
