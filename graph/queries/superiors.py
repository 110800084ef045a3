"""Who was above the responsible when an issue happened: the 党政主要负责人 in office, on the issue's
responsibility date (``schema.rules.responsibility_date``: occurrence, else discovery), of the nearest
organisation above the issue's organisation that had any.

    superiors_for(store, "ISS-1")      # [SuperiorInOffice(official="OFF-CM", organisation="ORG-LZ-GOV", …)]

"Above" walks up one step at a time, at most ``MAX_STEPS``: an organisation's UNDER parent; one without a
parent goes by its region: a department to the governing bodies (``GOVERNING_KINDS``) IN_REGION of its
own region, a governing body to those of the region its region is PART_OF. Each step's organisations are
asked for their principals on the day (``graph.queries.posts.holders_of``, the rule
``schema.rules.principals_at`` applies to the responsible too); the first step that has any answers.
Acting holders count. Reads go through the store (a scoped store limits what is found).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from graph.port import GraphStore, property_key
from graph.queries.posts import Post, holders_of, post_order
from schema.rules import PRINCIPAL_POST_KINDS, responsibility_date

GOVERNING_KINDS = ("government", "party_committee")
ORG_KIND = property_key("Organisation", "kind")  # "organisation_kind" in a node record
MAX_STEPS = 4


@dataclass(frozen=True)
class SuperiorInOffice:
    official: str
    organisation: str
    post: Post  # the principal post held on ``on``
    on: date
    via: str  # "UNDER" (the parent organisation) or "region" (the governing body of the region above)


def _step_up(store: GraphStore, orgs: list[str]) -> tuple[list[str], str]:
    """The organisations one step above ``orgs``, and how they were reached."""
    parents = [e.target for e in store.edges(orgs, ("UNDER",), "out")]
    if parents:
        return list(dict.fromkeys(parents)), "UNDER"
    records = store.get_nodes(orgs)
    governing = [o for o in orgs if records.get(o, {}).get(ORG_KIND) in GOVERNING_KINDS]
    others = [o for o in orgs if o not in governing]
    regions = [e.target for e in store.edges(others, ("IN_REGION",), "out")] if others else []
    if governing:
        own = [e.target for e in store.edges(governing, ("IN_REGION",), "out")]
        regions += [e.target for e in store.edges(own, ("PART_OF",), "out")] if own else []
    if not regions:
        return [], "region"
    found = [e.source for e in store.edges(list(dict.fromkeys(regions)), ("IN_REGION",), "in")]
    kinds = store.get_nodes(found)
    return [o for o in dict.fromkeys(found) if kinds.get(o, {}).get(ORG_KIND) in GOVERNING_KINDS], "region"


def superiors_for(store: GraphStore, issue_id: str) -> list[SuperiorInOffice] | None:
    """The superiors in office when the issue happened (empty without a date or an organisation above);
    None when ``issue_id`` is not an issue."""
    issue = store.get_nodes([issue_id]).get(issue_id)
    if issue is None or issue["kind"] != "Issue":
        return None
    on = responsibility_date(issue.get("occurred_on"), issue.get("found_on"))
    current = [e.target for e in store.edges([issue_id], ("AT",), "out")]
    if on is None or not current:
        return []
    seen = set(current)
    for _ in range(MAX_STEPS):
        above, via = _step_up(store, current)
        above = [o for o in above if o not in seen]
        if not above:
            return []
        seen.update(above)
        held = holders_of(store, above, on)
        posts = sorted(
            (p for ps in held.values() for p in ps if p.post_kind in PRINCIPAL_POST_KINDS),
            key=lambda p: (p.organisation, p.official, post_order(p)),
        )
        if posts:
            return [SuperiorInOffice(p.official, p.organisation, p, on, via) for p in posts]
        current = above
    return []
