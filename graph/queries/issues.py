"""Issues and the cases they led to: filters, the chains an official is part of, who is responsible."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date

from graph.port import GraphStore, Node
from graph.queries.posts import Post
from graph.queries.records import date_key, records_from_scan, unique
from graph.queries.regions import organisations_in, region_subtree
from schema.rules import (
    PRINCIPAL_POST_KINDS,
    responsibility_date,
)


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
        at = store.edges(unique(p.organisation for p in principal_posts), ("AT",), "in")
        candidates = unique(e.source for e in at)
        with_explicit = {e.source for e in store.edges(candidates, ("RESPONSIBLE",), "out")}
        recs = store.get_nodes([c for c in candidates if c not in with_explicit])
        org_of = {e.source: e.target for e in at}
        for iid, rec in recs.items():
            on = responsibility_date(rec.get("occurred_on"), rec.get("found_on"))
            if on is not None and any(p.organisation == org_of.get(iid) and p.covers(on) for p in principal_posts):
                responsible.add(iid)
    all_issues = responsible | subject
    recs = store.get_nodes(sorted(all_issues))
    order = sorted(recs.values(), key=lambda r: (date_key(r.get("found_on") or r.get("occurred_on")), r["id"]))
    return [ChainRole(r["id"], r["id"] in responsible, r["id"] in subject) for r in order]


@dataclass(frozen=True)
class IssueFilter:
    status: tuple[str, ...] = ()
    found_from: date | None = None  # inclusive, on found_on (occurred_on when not found_on is unknown)
    found_to: date | None = None
    region_id: str | None = None  # the region's whole subtree
    campaign_id: str | None = None
    organisation_id: str | None = None


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
    out.sort(key=lambda r: (date_key(r.get("found_on") or r.get("occurred_on")), r["id"]))
    return out
