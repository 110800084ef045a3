"""Measures (form, 影响期) and an official's timeline: every dated event of their life, oldest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from graph.port import GraphStore, Node
from graph.queries.issues import chains_of_official
from graph.queries.labels import node_label
from graph.queries.posts import Post
from graph.queries.records import unique
from schema.rules import (
    FORM_OF_KIND,
    in_effect,
    period_end_of,
    responsibility_date,
)
from schema.vocabulary import FORM_LABELS, RESPONSIBILITY_KIND


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
    second = store.edges(unique(reports + cases), ("REVIEWED_BY", "TRANSFERRED"), "out")
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
            f"负有{RESPONSIBILITY_KIND.labels().get(kind, kind)}：{issue.get('summary', '')}",
            r.issue,
        )
    entries.sort(key=lambda x: (x.on, _TIMELINE_ORDER.get(x.kind, 99), x.node))
    return entries
