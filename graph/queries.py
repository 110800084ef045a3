"""Domain questions answered on the storage port, so every backend gives the same answers.

    chain(store, "ISS-1", today=date(2024, 1, 1)).stage              # 'accountability'
    posts_of(store, ["OFF-1"], on=date(2023, 5, 1))["OFF-1"]          # [Post(...)]
    four_forms(store, StatsFilter(campaign_id="CAMP-1")).total()      # FourFormsCount(form1=…, …)
    neighbourhood(store, "OFF-1", depth=2, limit=200).as_json()       # {"nodes", "edges", "truncated"}

Only ``GraphStore`` operations and ``schema.rules`` are used. Every traversal is a handful of
batched port calls (one ``edges`` call per hop for a whole frontier, one ``get_nodes`` for all the
records at the end), never one query per node, and every function that the API calls per object
takes a collection of ids so a DataLoader can batch it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from graph.port import Direction, Edge, GraphStore, Hop, Node, node_record, property_key
from schema.model import NODE_KINDS
from schema.rules import (
    FORM_OF_KIND,
    MEASURE_LABELS,
    PRINCIPAL_POST_KINDS,
    AccountabilityFacts,
    FourFormsCount,
    MeasureFact,
    Overdue,
    TransferFact,
    chain_stage,
    count_four_forms,
    in_effect,
    overdue_items,
    period_end_of,
    post_covers,
    responsibility_date,
    responsible_for_issue,
)

# ---------------------------------------------------------------- labels (what users see)

KIND_LABELS: dict[str, str] = {name: nk.label for name, nk in NODE_KINDS.items()}
TRANSFER_LABELS = {
    "to_discipline_commission_for_filing": "移交纪检监察机关立案审查",
    "to_judicial_organ": "移送司法机关",
    "to_procuratorate_for_prosecution": "移送检察机关审查起诉",
}
STEP_LABELS = {
    "leader_instruction": "领导批示",
    "plan": "整改方案",
    "weekly_summary": "周汇总",
    "monthly_notice": "月通报",
    "dispatch_meeting": "调度会",
    "notice": "通知",
    "supervision_letter": "督办函",
    "look_back": "回头看",
    "completion_report": "整改完成报告",
    "closed": "销号",
}
RESPONSIBILITY_LABELS = {
    "direct": "直接责任",
    "principal_leadership": "主要领导责任",
    "important_leadership": "重要领导责任",
    "overall_leadership": "全面领导责任",
}
FORM_LABELS = {1: "第一种形态", 2: "第二种形态", 3: "第三种形态", 4: "第四种形态"}


def _iso(d: date | None) -> str:
    return d.isoformat() if d is not None else ""


def node_label(rec: Node, subject_name: str | None = None) -> str:
    """A Chinese, human-readable label: the name/title/summary, else the kind's label and a detail.

    >>> node_label({"id": "M1", "kind": "Measure", "measure_kind": "admonishment"}, "张伟")
    '诫勉（张伟）'
    """
    kind = rec["kind"]
    if kind == "Measure":
        base = MEASURE_LABELS.get(rec.get("measure_kind") or "", KIND_LABELS[kind])
        return f"{base}（{subject_name}）" if subject_name else base
    if kind == "Transfer":
        base = TRANSFER_LABELS.get(rec.get("transfer_kind") or "", KIND_LABELS[kind])
        when = rec.get("transferred_on")
        return f"{base}（{when.isoformat()}）" if when else base
    if kind == "DutyReport":
        role = rec.get("reporter_role")
        year = rec.get("year")
        base = f"{year}年度述法" if year else "述法"
        return f"{base}（{role}）" if role else base
    if kind == "Assessment":
        year = rec.get("year")
        base = f"{year}年度法治建设考评" if year else "法治建设考评"
        return f"{base}（{rec['grade']}）" if rec.get("grade") else base
    if kind == "RectificationStep":
        base = STEP_LABELS.get(rec.get("rectification_step_kind") or "", KIND_LABELS[kind])
        return f"{base}（{rec['date'].isoformat()}）" if rec.get("date") else base
    if kind == "Clue":
        when = rec.get("received_on")
        source = rec.get("source")
        detail = "，".join(x for x in (source, _iso(when)) if x)
        return f"问题线索（{detail}）" if detail else "问题线索"
    title = rec.get(NODE_KINDS[kind].title_property)
    if title:
        return str(title)
    for date_prop in ("date", "opened_on", "published_on", "start"):
        if rec.get(date_prop):
            return f"{KIND_LABELS[kind]}（{rec[date_prop].isoformat()}）"
    return KIND_LABELS[kind]


def labels_for(store: GraphStore, records: Iterable[Node]) -> dict[str, str]:
    """Labels of many records; measure labels name their subject (one batched lookup for all)."""
    recs = list(records)
    measures = [r["id"] for r in recs if r["kind"] == "Measure"]
    subject_name: dict[str, str] = {}
    if measures:
        applies = store.edges(measures, ("APPLIES_TO",), "out")
        known = {r["id"]: r for r in recs}
        missing = [e.target for e in applies if e.target not in known]
        known.update(store.get_nodes(missing) if missing else {})
        for e in applies:
            subj = known.get(e.target)
            if subj is not None:
                subject_name[e.source] = str(subj.get("name") or subj["id"])
    return {r["id"]: node_label(r, subject_name.get(r["id"])) for r in recs}


def json_value(value: Any) -> Any:
    """A property value as JSON: dates become ISO strings."""
    return value.isoformat() if isinstance(value, date) else value


# ---------------------------------------------------------------- small helpers


def _group(edges: Iterable[Edge], by: str) -> dict[str, list[Edge]]:
    out: dict[str, list[Edge]] = defaultdict(list)
    for e in edges:
        out[e.source if by == "source" else e.target].append(e)
    return out


def _unique(ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(ids))


def records_from_scan(store: GraphStore, kind: str, columns: Sequence[str] | None = None) -> list[Node]:
    """Every node of a kind as records (``scan_nodes`` keeps MODEL.md column names; records rename ``kind``)."""
    out: list[Node] = []
    for table in store.scan_nodes(kind, columns):
        for row in table.to_pylist():
            out.append(node_record(kind, row["id"], row))
    return out


# ---------------------------------------------------------------- posts and principals


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


def _post_order(p: Post) -> tuple[date, str, str]:
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
        posts.sort(key=_post_order)
    return out


def principals_at(store: GraphStore, org_ids: Collection[str], on: date) -> dict[str, list[str]]:
    """The 党政主要负责人 of each organisation on ``on`` (MODEL.md; acting holders count), sorted by id."""
    from schema.rules import principals_at as rule

    return {org: rule([p.as_row() for p in posts], on) for org, posts in holders_of(store, org_ids, on).items()}


# ---------------------------------------------------------------- the accountability chain


@dataclass(frozen=True)
class ChainResponsibility:
    official: str
    kind: str  # RESPONSIBILITY_KINDS
    basis: str  # "explicit" | "principal_at_occurrence"
    post: Post | None = None  # for the default rule: the principal post held on the day


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
    responsible: list[ChainResponsibility]
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
    from schema.model import REL_KINDS

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
_PRINCIPAL_POSTS = [Hop(("AT",), "out"), Hop(("HELD_POST",), "in", ("post_kind", PRINCIPAL_POST_KINDS))]


def _date_key(value: date | None) -> date:
    return value if value is not None else date.max


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
        found.update((e.id, e) for e in store.follow(by_default, _PRINCIPAL_POSTS))
    fetched = [found[k] for k in sorted(found)]
    nodes = dict(issues)
    nodes.update(store.get_nodes({i for e in fetched for i in (e.source, e.target)} - set(issues)))
    return {i: _assemble_chain(issues[i], fetched, nodes, today) for i in issues}


def _assemble_chain(issue: Node, fetched: list[Edge], nodes: dict[str, Node], today: date) -> Chain:
    iid = issue["id"]
    out = _group(fetched, "source")
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

    explicit = [(e.target, e.props.get("kind") or "direct") for e in follow(iid, "RESPONSIBLE")]
    posts: list[Post] = []
    if org is not None and not explicit:
        posts = [
            Post.from_edge(e)
            for e in fetched
            if e.type == "HELD_POST" and e.target == org["id"] and e.props.get("post_kind") in PRINCIPAL_POST_KINDS
        ]
    on = responsibility_date(issue.get("occurred_on"), issue.get("found_on"))
    responsible: list[ChainResponsibility] = []
    for r in responsible_for_issue(
        explicit, [p.as_row() for p in posts], issue.get("occurred_on"), issue.get("found_on")
    ):
        post = None
        if r.basis == "principal_at_occurrence" and on is not None:
            held = sorted((p for p in posts if p.official == r.official and p.covers(on)), key=_post_order)
            post = held[0] if held else None
        responsible.append(ChainResponsibility(r.official, r.kind, r.basis, post))

    steps = sorted(
        (nodes[e.target] for e in follow(iid, "HAS_STEP") if e.target in nodes),
        key=lambda s: (_date_key(s.get("date")), s["id"]),
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
    cases = sorted((nodes[c] for c in case_clue if c in nodes), key=lambda c: (_date_key(c.get("opened_on")), c["id"]))
    clues.sort(key=lambda c: (_date_key(c.get("received_on")), c["id"]))

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
        (nodes[m] for m in measure_case if m in nodes), key=lambda m: (_date_key(m.get("decided_on")), m["id"])
    )
    transfers = sorted(
        (nodes[t] for t in transfer_case if t in nodes), key=lambda t: (_date_key(t.get("transferred_on")), t["id"])
    )
    exposures = sorted(
        (nodes[x] for x in _unique(exposure_ids) if x in nodes),
        key=lambda x: (_date_key(x.get("published_on")), x["id"]),
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


# ---------------------------------------------------------------- cases and issues


def issues_of_cases(store: GraphStore, case_ids: Collection[str]) -> dict[str, tuple[str, str | None]]:
    """The issue each case comes from, and the clue in between if any: ``{case: (issue, clue)}``."""
    if not case_ids:
        return {}
    led = store.edges(case_ids, ("LED_TO",), "in")
    kinds = store.kinds_of({e.source for e in led})
    out: dict[str, tuple[str, str | None]] = {}
    via_clue: dict[str, list[str]] = defaultdict(list)
    for e in led:
        if kinds.get(e.source) == "Issue":
            out.setdefault(e.target, (e.source, None))
        elif kinds.get(e.source) == "Clue":
            via_clue[e.source].append(e.target)
    if via_clue:
        for e in store.edges(list(via_clue), ("LED_TO",), "in"):
            for case in via_clue[e.target]:
                if case not in out:
                    out[case] = (e.source, e.target)
    return out


@dataclass(frozen=True)
class ChainRole:
    issue: str
    responsible: bool  # explicitly, or as a principal in office on the day
    subject: bool  # a case of the chain concerns them, or one of its measures applies to them


def chains_of_official(store: GraphStore, official_id: str) -> list[ChainRole]:
    """Every issue whose chain touches an official, as responsible or as subject; oldest first."""
    mine = store.edges([official_id], ("RESPONSIBLE", "CONCERNS", "APPLIES_TO", "HELD_POST"), "both")
    responsible = {e.source for e in mine if e.type == "RESPONSIBLE"}
    cases = {e.source for e in mine if e.type == "CONCERNS"}
    measures = [e.source for e in mine if e.type == "APPLIES_TO"]
    if measures:
        cases |= {e.source for e in store.edges(measures, ("DECIDED",), "in")}
    subject = {issue for issue, _ in issues_of_cases(store, sorted(cases)).values()}
    principal_posts = [
        Post.from_edge(e) for e in mine if e.type == "HELD_POST" and e.props.get("post_kind") in PRINCIPAL_POST_KINDS
    ]
    if principal_posts:
        at = store.edges(_unique(p.organisation for p in principal_posts), ("AT",), "in")
        candidates = _unique(e.source for e in at)
        with_explicit = {e.source for e in store.edges(candidates, ("RESPONSIBLE",), "out")}
        recs = store.get_nodes([c for c in candidates if c not in with_explicit])
        org_of = {e.source: e.target for e in at}
        for iid, rec in recs.items():
            on = responsibility_date(rec.get("occurred_on"), rec.get("found_on"))
            if on is not None and any(p.organisation == org_of.get(iid) and p.covers(on) for p in principal_posts):
                responsible.add(iid)
    all_issues = responsible | subject
    recs = store.get_nodes(sorted(all_issues))
    order = sorted(recs.values(), key=lambda r: (_date_key(r.get("found_on") or r.get("occurred_on")), r["id"]))
    return [ChainRole(r["id"], r["id"] in responsible, r["id"] in subject) for r in order]


@dataclass(frozen=True)
class IssueFilter:
    status: tuple[str, ...] = ()
    found_from: date | None = None  # inclusive, on found_on (occurred_on when not found_on is unknown)
    found_to: date | None = None
    region_id: str | None = None  # the region's whole subtree
    campaign_id: str | None = None
    organisation_id: str | None = None


def region_subtree(store: GraphStore, region_id: str) -> set[str]:
    """A region and every region PART_OF it, at any depth."""
    seen = {region_id}
    frontier = [region_id]
    while frontier:
        below = [e.source for e in store.edges(frontier, ("PART_OF",), "in") if e.source not in seen]
        seen.update(below)
        frontier = below
    return seen


def organisations_in(store: GraphStore, region_ids: Collection[str]) -> list[str]:
    """Organisations IN_REGION one of the regions, and (at any depth) those UNDER them with no region of their own.

    The second part mirrors ``regions_of_orgs``: a department without IN_REGION is where its parent is.
    """
    found = _unique(e.source for e in store.edges(sorted(region_ids), ("IN_REGION",), "in"))
    seen = set(found)
    frontier = found
    while frontier:
        below = _unique(e.source for e in store.edges(frontier, ("UNDER",), "in") if e.source not in seen)
        placed = {e.source for e in store.edges(below, ("IN_REGION",), "out")} if below else set()
        frontier = [o for o in below if o not in placed]
        seen.update(frontier)
        found += frontier
    return found


def find_issues(store: GraphStore, f: IssueFilter) -> list[Node]:
    """Issues matching every given criterion, oldest found first."""
    candidates: set[str] | None = None

    def narrow(ids: Iterable[str]) -> None:
        nonlocal candidates
        found = set(ids)
        candidates = found if candidates is None else candidates & found

    if f.campaign_id is not None:
        inspections = [e.source for e in store.edges([f.campaign_id], ("PART_OF",), "in")]
        narrow(e.target for e in store.edges(inspections, ("FOUND",), "out"))
    if f.organisation_id is not None:
        narrow(e.source for e in store.edges([f.organisation_id], ("AT",), "in"))
    if f.region_id is not None:
        orgs = organisations_in(store, region_subtree(store, f.region_id))
        narrow(e.source for e in store.edges(orgs, ("AT",), "in"))
    if candidates is None:
        recs = records_from_scan(store, "Issue")
    else:
        recs = [r for r in store.get_nodes(sorted(candidates)).values() if r["kind"] == "Issue"]
    out = []
    for r in recs:
        if f.status and r.get("status") not in f.status:
            continue
        when = r.get("found_on") or r.get("occurred_on")
        if f.found_from is not None and (when is None or when < f.found_from):
            continue
        if f.found_to is not None and (when is None or when > f.found_to):
            continue
        out.append(r)
    out.sort(key=lambda r: (_date_key(r.get("found_on") or r.get("occurred_on")), r["id"]))
    return out


# ---------------------------------------------------------------- measures and an official's timeline


def measure_period_end(rec: Node) -> date | None:
    """Last day of a measure's effect period (stored, else derived from its kind)."""
    if rec.get("period_end") is not None:
        return rec["period_end"]  # type: ignore[no-any-return]
    kind = rec.get("measure_kind")
    return period_end_of(kind, rec.get("effective_on") or rec.get("decided_on")) if kind else None


def measure_in_effect(rec: Node, on: date) -> bool:
    """Whether a measure's effect period (影响期) covers ``on``."""
    kind = rec.get("measure_kind")
    if not kind:
        return False
    return in_effect(kind, rec.get("effective_on") or rec.get("decided_on"), measure_period_end(rec), on)


def measure_form(rec: Node) -> int:
    kind = rec.get("measure_kind")
    if rec.get("form") is not None:
        return int(rec["form"])
    return FORM_OF_KIND[kind] if kind else 0


@dataclass(frozen=True)
class TimelineEntry:
    on: date
    kind: str  # post_start, post_end, study, duty_report, assessment, responsibility, case, measure, transfer
    summary: str
    node: str


_TIMELINE_ORDER = {
    k: i
    for i, k in enumerate(
        ("post_start", "study", "duty_report", "responsibility", "case", "measure", "transfer", "post_end")
    )
}


def timeline(
    store: GraphStore, official_id: str, date_from: date | None = None, date_to: date | None = None
) -> list[TimelineEntry]:
    """Dated events of every kind in an official's life, oldest first (``from``/``to`` inclusive)."""
    mine = store.edges([official_id], ("HELD_POST", "ATTENDED", "SUBMITTED", "CONCERNS", "APPLIES_TO"), "both")
    posts = [Post.from_edge(e) for e in mine if e.type == "HELD_POST"]
    reports = [e.target for e in mine if e.type == "SUBMITTED"]
    cases = [e.source for e in mine if e.type == "CONCERNS"]
    second = store.edges(_unique(reports + cases), ("REVIEWED_BY", "TRANSFERRED"), "out")
    reviewed_on: dict[str, date] = {}
    for e in second:
        if e.type == "REVIEWED_BY" and e.props.get("date") is not None:
            reviewed_on[e.source] = min(reviewed_on.get(e.source, date.max), e.props["date"])
    transfers = [e.target for e in second if e.type == "TRANSFERRED"]
    roles = [r for r in chains_of_official(store, official_id) if r.responsible]
    explicit_kind = {}
    if roles:
        for e in store.edges([official_id], ("RESPONSIBLE",), "in"):
            explicit_kind[e.source] = e.props.get("kind") or "direct"
    ids = {p.organisation for p in posts} | {e.target for e in mine if e.type in ("ATTENDED", "SUBMITTED")}
    ids |= {e.source for e in mine if e.type in ("CONCERNS", "APPLIES_TO")} | set(transfers) | {r.issue for r in roles}
    nodes = store.get_nodes(ids)

    entries: list[TimelineEntry] = []

    def add(on: date | None, kind: str, summary: str, node: str) -> None:
        if on is None or node not in nodes:
            return
        if (date_from is not None and on < date_from) or (date_to is not None and on > date_to):
            return
        entries.append(TimelineEntry(on, kind, summary, node))

    for p in posts:
        org = nodes.get(p.organisation, {})
        title = p.title or ""
        acting = "（代理）" if p.acting and "代" not in title else ""
        add(p.start, "post_start", f"任{org.get('name', '')}{title}{acting}", p.organisation)
        add(p.end, "post_end", f"离任{org.get('name', '')}{title}{acting}", p.organisation)
    for e in mine:
        if e.type == "ATTENDED" and e.target in nodes:
            ev = nodes[e.target]
            add(ev.get("date"), "study", f"参加{node_label(ev)}", ev["id"])
        elif e.type == "SUBMITTED" and e.target in nodes:
            rep = nodes[e.target]
            grade = f"，{rep['grade']}" if rep.get("grade") else ""
            add(reviewed_on.get(rep["id"]), "duty_report", f"{node_label(rep)}{grade}", rep["id"])
        elif e.type == "CONCERNS" and e.source in nodes:
            case = nodes[e.source]
            add(case.get("opened_on"), "case", f"立案：{node_label(case)}", case["id"])
        elif e.type == "APPLIES_TO" and e.source in nodes:
            m = nodes[e.source]
            form = measure_form(m)
            add(m.get("decided_on"), "measure", f"{node_label(m)}（{FORM_LABELS.get(form, '')}）", m["id"])
    for t in transfers:
        tr = nodes.get(t)
        if tr is not None:
            add(tr.get("transferred_on"), "transfer", node_label(tr), t)
    for r in roles:
        issue = nodes.get(r.issue)
        if issue is None:
            continue
        kind = explicit_kind.get(r.issue, "principal_leadership")
        add(
            responsibility_date(issue.get("occurred_on"), issue.get("found_on")),
            "responsibility",
            f"负有{RESPONSIBILITY_LABELS.get(kind, kind)}：{issue.get('summary', '')}",
            r.issue,
        )
    entries.sort(key=lambda x: (x.on, _TIMELINE_ORDER.get(x.kind, 99), x.node))
    return entries


# ---------------------------------------------------------------- the four forms (四种形态)


@dataclass(frozen=True)
class StatsFilter:
    """CONTRACT §3 StatsFilter. ``date_from``/``date_to`` are inclusive and filter measures on
    ``decided_on``, transfers on ``transferred_on`` and exposures on ``published_on``."""

    campaign_id: str | None = None
    region_id: str | None = None
    date_from: date | None = None
    date_to: date | None = None

    def admits(self, on: date | None) -> bool:
        if self.date_from is None and self.date_to is None:
            return True
        if on is None:
            return False
        return (self.date_from is None or on >= self.date_from) and (self.date_to is None or on <= self.date_to)


@dataclass(frozen=True)
class _Placed:
    """A fact with the date it is counted on and the regions it belongs to."""

    on: date | None
    regions: frozenset[str]


@dataclass
class FourFormsResult:
    """Facts in scope, each dated and placed; counts for the whole scope, by child region, by month."""

    filter: StatsFilter
    measures: list[tuple[MeasureFact, _Placed]]
    transfers: list[tuple[TransferFact, _Placed]]
    exposures: list[tuple[str, _Placed]]
    parent: dict[str, str | None]  # region ancestry of every region a fact belongs to
    region_names: dict[str, str] = field(default_factory=dict)

    def _count(self, keep: Any) -> FourFormsCount:
        facts = AccountabilityFacts(
            measures=[m for m, p in self.measures if keep(p)],
            transfers=[t for t, p in self.transfers if keep(p)],
            exposed_cases={c for c, p in self.exposures if keep(p)},
        )
        return count_four_forms(facts)

    def total(self) -> FourFormsCount:
        return self._count(lambda p: True)

    def by_month(self) -> list[tuple[str, FourFormsCount]]:
        """Counts per calendar month (``YYYY-MM``) of each fact's date; undated facts are left out."""
        months = sorted(
            {p.on.strftime("%Y-%m") for _, p in [*self.measures, *self.transfers, *self.exposures] if p.on is not None}
        )
        return [(m, self._count(lambda p, m=m: p.on is not None and p.on.strftime("%Y-%m") == m)) for m in months]

    def _ancestors(self, region: str) -> list[str]:
        chain: list[str] = []
        cur: str | None = region
        while cur is not None and cur not in chain:
            chain.append(cur)
            cur = self.parent.get(cur)
        return chain

    def by_child_region(self, children: Sequence[str]) -> list[tuple[str, FourFormsCount]]:
        """Counts per child region, each covering its whole subtree."""
        under: dict[str, set[str]] = {}
        for region in self.parent:
            for a in self._ancestors(region):
                under.setdefault(a, set()).add(region)
        out = []
        for child in children:
            members = under.get(child, {child})
            out.append((child, self._count(lambda p, s=members: bool(p.regions & s))))
        return out


def region_parents(store: GraphStore, region_ids: Collection[str]) -> dict[str, str | None]:
    """Each region's parent and the parents of those, up to the roots (one port call per level)."""
    parent: dict[str, str | None] = {}
    frontier = _unique(region_ids)
    while frontier:
        for r in frontier:
            parent.setdefault(r, None)
        ups = [e for e in store.edges(frontier, ("PART_OF",), "out") if e.source in parent]
        nxt = []
        for e in sorted(ups, key=lambda e: e.id):
            if parent.get(e.source) is None:
                parent[e.source] = e.target
                if e.target not in parent:
                    nxt.append(e.target)
        frontier = _unique(nxt)
    return parent


def regions_of_orgs(store: GraphStore, org_ids: Collection[str]) -> dict[str, str]:
    """The region each organisation is IN_REGION, else (for departments) that of the nearest UNDER ancestor."""
    out: dict[str, str] = {}
    pending = _unique(org_ids)
    origin = {o: o for o in pending}
    for _ in range(8):
        if not pending:
            break
        found = store.edges(pending, ("IN_REGION", "UNDER"), "out")
        in_region = {e.source: e.target for e in sorted(found, key=lambda e: e.id) if e.type == "IN_REGION"}
        nxt: dict[str, str] = {}
        for org in pending:
            if org in in_region:
                out.setdefault(origin[org], in_region[org])
        for e in found:
            if e.type == "UNDER" and e.source not in in_region and e.target not in origin:
                nxt.setdefault(e.target, origin[e.source])
        origin.update(nxt)
        pending = list(nxt)
    return out


def _campaign_cases(store: GraphStore, campaign_id: str) -> dict[str, str]:
    """Cases whose issue was found by an inspection PART_OF the campaign: ``{case: issue}``."""
    inspections = [e.source for e in store.edges([campaign_id], ("PART_OF",), "in")]
    issues = _unique(e.target for e in store.edges(inspections, ("FOUND",), "out"))
    led = store.edges(issues, ("LED_TO",), "out")
    kinds = store.kinds_of({e.target for e in led})
    case_issue: dict[str, str] = {}
    clue_issue: dict[str, str] = {}
    for e in led:
        if kinds.get(e.target) == "Case":
            case_issue.setdefault(e.target, e.source)
        elif kinds.get(e.target) == "Clue":
            clue_issue.setdefault(e.target, e.source)
    if clue_issue:
        for e in store.edges(list(clue_issue), ("LED_TO",), "out"):
            case_issue.setdefault(e.target, clue_issue[e.source])
    return case_issue


def four_forms(store: GraphStore, f: StatsFilter, with_regions: bool = False) -> FourFormsResult:
    """The four-form figures of CONTRACT §3, counted by ``schema.rules.count_four_forms``.

    Scope: ``campaign_id`` keeps cases whose issue was found by an inspection PART_OF the campaign;
    ``region_id`` keeps facts placed in the region's subtree (a case is placed by the organisation its
    issue is AT, through a clue if any; a case without an issue, and a measure without a case, by the
    subject's posts on the date of the fact). ``with_regions`` places facts even without a region filter
    (for the breakdown by child region).
    """
    case_issue: dict[str, str] | None = None
    if f.campaign_id is not None:
        case_issue = _campaign_cases(store, f.campaign_id)
        case_ids = sorted(case_issue)
        from_cases = store.edges(case_ids, ("DECIDED", "TRANSFERRED", "EXPOSED_IN", "CONCERNS"), "out")
        measure_case = {e.target: e.source for e in from_cases if e.type == "DECIDED"}
        transfer_case = {e.target: e.source for e in from_cases if e.type == "TRANSFERRED"}
        exposure_case = [(e.target, e.source) for e in from_cases if e.type == "EXPOSED_IN"]
        concerns = [e for e in from_cases if e.type == "CONCERNS"]
        recs = store.get_nodes([*measure_case, *transfer_case, *(x for x, _ in exposure_case)])
        measures = [recs[m] for m in measure_case if m in recs]
        transfers = [recs[t] for t in transfer_case if t in recs]
        exposure_on = {x: recs[x].get("published_on") for x, _ in exposure_case if x in recs}
        applies = store.edges(list(measure_case), ("APPLIES_TO",), "out")
    else:
        measures = records_from_scan(store, "Measure", ["kind", "decided_on"])
        transfers = records_from_scan(store, "Transfer", ["kind", "transferred_on"])
        exposure_recs = records_from_scan(store, "Exposure", ["published_on"])
        exposure_on = {x["id"]: x.get("published_on") for x in exposure_recs}
        into = store.edges(
            [*(m["id"] for m in measures), *(t["id"] for t in transfers), *exposure_on],
            ("DECIDED", "TRANSFERRED", "EXPOSED_IN"),
            "in",
        )
        measure_case = {e.target: e.source for e in into if e.type == "DECIDED"}
        transfer_case = {e.target: e.source for e in into if e.type == "TRANSFERRED"}
        exposure_case = [(e.target, e.source) for e in into if e.type == "EXPOSED_IN"]
        cases_needing_subjects = _unique([*transfer_case.values(), *(c for _, c in exposure_case)])
        concerns = store.edges(cases_needing_subjects, ("CONCERNS",), "out")
        applies = store.edges([m["id"] for m in measures], ("APPLIES_TO",), "out")

    subject_of = {e.source: e.target for e in sorted(applies, key=lambda e: e.id)}
    case_subjects: dict[str, list[str]] = defaultdict(list)
    for e in sorted(concerns, key=lambda e: e.id):
        case_subjects[e.source].append(e.target)
    kinds = store.kinds_of(set(subject_of.values()) | {s for ss in case_subjects.values() for s in ss})
    officials_of_case = {c: tuple(s for s in ss if kinds.get(s) == "Official") for c, ss in case_subjects.items()}

    measure_facts = [
        (
            MeasureFact(
                m["id"],
                m["measure_kind"],
                subject_of.get(m["id"], ""),
                kinds.get(subject_of.get(m["id"], "")) == "Official",
                measure_case.get(m["id"]),
            ),
            m.get("decided_on"),
        )
        for m in measures
        if m["id"] in subject_of and m.get("measure_kind")
    ]
    transfer_facts = [
        (
            TransferFact(
                t["id"], t["transfer_kind"], transfer_case[t["id"]], officials_of_case.get(transfer_case[t["id"]], ())
            ),
            t.get("transferred_on"),
        )
        for t in transfers
        if t["id"] in transfer_case and t.get("transfer_kind")
    ]
    exposure_facts = [(case, x, exposure_on.get(x)) for x, case in exposure_case]

    measure_facts = [(m, on) for m, on in measure_facts if f.admits(on)]
    transfer_facts = [(t, on) for t, on in transfer_facts if f.admits(on)]
    exposure_facts = [(c, x, on) for c, x, on in exposure_facts if f.admits(on)]

    place = with_regions or f.region_id is not None
    placed_case: dict[str, frozenset[str]] = {}
    placed_by_posts: dict[tuple[str, date | None], frozenset[str]] = {}
    parent: dict[str, str | None] = {}
    if place:
        cases = _unique(
            [
                *(m.case for m, _ in measure_facts if m.case),
                *(t.case for t, _ in transfer_facts),
                *(c for c, _, _ in exposure_facts),
            ]
        )
        if case_issue is None:
            case_issue = {c: i for c, (i, _) in issues_of_cases(store, cases).items()}
        issue_org = {
            e.source: e.target
            for e in sorted(
                store.edges(_unique(case_issue[c] for c in cases if c in case_issue), ("AT",), "out"),
                key=lambda e: e.id,
            )
        }
        # Facts of cases without an issue are placed by their subjects' posts on the fact's date.
        wanted: list[tuple[str, date | None]] = []
        for m, on in measure_facts:
            if m.case is None or m.case not in case_issue:
                wanted.append((m.subject, on))
        for t, on in transfer_facts:
            if t.case not in case_issue:
                wanted += [(s, on) for s in t.subjects]
        for c, _, on in exposure_facts:
            if c not in case_issue:
                wanted += [(s, on) for s in officials_of_case.get(c, ())]
        post_list = posts_of(store, _unique(s for s, _ in wanted)) if wanted else {}
        orgs = set(issue_org.values()) | {p.organisation for ps in post_list.values() for p in ps}
        org_region = regions_of_orgs(store, sorted(orgs))
        for c in cases:
            issue = case_issue.get(c)
            if issue is not None:
                region = org_region.get(issue_org.get(issue, ""))
                placed_case[c] = frozenset([region] if region else [])
        for s, on in wanted:
            posts = [p for p in post_list.get(s, []) if on is None or p.covers(on)]
            placed_by_posts[(s, on)] = frozenset(
                org_region[p.organisation] for p in posts if p.organisation in org_region
            )
        regions = (
            set().union(*placed_case.values(), *placed_by_posts.values()) if (placed_case or placed_by_posts) else set()
        )
        if f.region_id is not None:
            regions.add(f.region_id)
        parent = region_parents(store, sorted(regions))

    def where_case(case: str | None, subjects: Iterable[str], on: date | None) -> frozenset[str]:
        if not place:
            return frozenset()
        if case is not None and case in placed_case:
            return placed_case[case]
        out: set[str] = set()
        for s in subjects:
            out |= placed_by_posts.get((s, on), frozenset())
        return frozenset(out)

    result = FourFormsResult(
        filter=f,
        measures=[(m, _Placed(on, where_case(m.case, [m.subject], on))) for m, on in measure_facts],
        transfers=[(t, _Placed(on, where_case(t.case, t.subjects, on))) for t, on in transfer_facts],
        exposures=[(c, _Placed(on, where_case(c, officials_of_case.get(c, ()), on))) for c, _, on in exposure_facts],
        parent=parent,
    )
    if f.region_id is not None:
        subtree = {r for r in parent if f.region_id in result._ancestors(r)}
        result.measures = [(m, p) for m, p in result.measures if p.regions & subtree]
        result.transfers = [(t, p) for t, p in result.transfers if p.regions & subtree]
        result.exposures = [(c, p) for c, p in result.exposures if p.regions & subtree]
    return result


def child_regions(store: GraphStore, region_id: str | None) -> list[str]:
    """The regions directly PART_OF a region; without one, those of the single root (else the roots)."""
    if region_id is not None:
        return sorted(e.source for e in store.edges([region_id], ("PART_OF",), "in"))
    regions = records_from_scan(store, "Region", ["level"])
    ids = [r["id"] for r in regions]
    with_parent = {e.source for e in store.edges(ids, ("PART_OF",), "out")}
    roots = sorted(set(ids) - with_parent)
    if len(roots) == 1:
        return child_regions(store, roots[0])
    return roots


# ---------------------------------------------------------------- subgraphs (visualisation)


@dataclass
class Subgraph:
    nodes: list[Node]
    labels: dict[str, str]
    edges: list[Edge]
    truncated: bool

    def as_json(self) -> dict[str, Any]:
        """``{nodes: [{id, kind, label}], edges: [{id, type, source, target, properties}], truncated}``."""
        return {
            "nodes": [
                {"id": n["id"], "kind": n["kind"], "label": self.labels.get(n["id"], n["id"])} for n in self.nodes
            ],
            "edges": [
                {
                    "id": e.id,
                    "type": e.type,
                    "source": e.source,
                    "target": e.target,
                    "properties": {k: json_value(v) for k, v in e.props.items() if v is not None},
                }
                for e in self.edges
            ],
            "truncated": self.truncated,
        }


MAX_DEPTH = 3
MAX_HOPS = 6


def neighbourhood(store: GraphStore, node_id: str, depth: int = 1, limit: int = 200) -> Subgraph | None:
    """Nodes within ``depth`` hops (breadth first, at most ``limit``) and the edges found between them.

    ``truncated`` says a cap cut the answer short (the node limit, or a hub with too many edges).
    """
    if not 0 <= depth <= MAX_DEPTH:
        raise ValueError(f"depth must be between 0 and {MAX_DEPTH}")
    root = store.get_nodes([node_id]).get(node_id)
    if root is None:
        return None
    order = [node_id]
    seen = {node_id}
    kept: dict[str, Edge] = {}
    truncated = False
    frontier = [node_id]
    edge_cap = max(limit * 4, 100)
    for _ in range(depth):
        if not frontier or len(order) >= limit and truncated:
            break
        found = store.edges(frontier, (), "both", limit=edge_cap + 1)
        if len(found) > edge_cap:
            truncated = True
            found = found[:edge_cap]
        nxt = []
        for e in found:
            for nb in (e.source, e.target):
                if nb not in seen:
                    if len(order) >= limit:
                        truncated = True
                        continue
                    seen.add(nb)
                    order.append(nb)
                    nxt.append(nb)
            if e.source in seen and e.target in seen:
                kept[e.id] = e
        frontier = nxt
    recs = store.get_nodes(order[1:])
    recs[node_id] = root
    nodes = [recs[i] for i in order if i in recs]
    edges = sorted((e for e in kept.values() if e.source in recs and e.target in recs), key=lambda e: e.id)
    return Subgraph(nodes, labels_for(store, nodes), edges, truncated)


def paths(store: GraphStore, source: str, target: str, max_hops: int = 4, limit: int = 10) -> Subgraph | None:
    """The shortest paths (up to ``limit``, any direction) between two nodes, as one subgraph."""
    if not 1 <= max_hops <= MAX_HOPS:
        raise ValueError(f"maxHops must be between 1 and {MAX_HOPS}")
    ends = store.get_nodes([source, target])
    if source not in ends or target not in ends:
        return None
    found = store.shortest_paths(source, target, max_hops, limit + 1) if source != target else []
    truncated = len(found) > limit
    order = [source]
    kept: dict[str, Edge] = {}
    for path in found[:limit]:
        for e in path:
            kept[e.id] = e
            for nb in (e.source, e.target):
                if nb not in order:
                    order.append(nb)
    if target not in order:
        order.append(target)
    recs = store.get_nodes([i for i in order if i not in ends])
    recs.update(ends)
    nodes = [recs[i] for i in order if i in recs]
    return Subgraph(nodes, labels_for(store, nodes), sorted(kept.values(), key=lambda e: e.id), truncated)


__all__ = [
    "Chain",
    "ChainDocument",
    "ChainResponsibility",
    "ChainRole",
    "FourFormsResult",
    "IssueFilter",
    "Post",
    "StageReached",
    "StatsFilter",
    "Subgraph",
    "TimelineEntry",
    "chain",
    "chains",
    "chains_of_official",
    "child_regions",
    "find_issues",
    "four_forms",
    "holders_of",
    "issues_of_cases",
    "labels_for",
    "measure_form",
    "measure_in_effect",
    "measure_period_end",
    "neighbourhood",
    "node_label",
    "paths",
    "posts_of",
    "principals_at",
    "property_key",
    "records_from_scan",
    "region_parents",
    "region_subtree",
    "regions_of_orgs",
    "timeline",
]
