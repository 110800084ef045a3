"""Pages of issues filtered, sorted and counted where the data are, over the properties ``graph.derived``
writes (an issue's ``fact_place`` and ``fact_campaigns``, its ``scope_regions``):

    total, ids = store.page_issues(IssueQuery(region_id="620100", found_from=date(2023, 1, 1), limit=15))

The order is that of ``graph.queries.find_issues`` (kept as the test oracle): by the date found
(occurred when found is unknown), undated last, then by id. ``region_id`` covers the region's
subtree (the issue's organisation's region and its ancestors, CONTRACT §3), ``campaign_id`` the
campaigns of the inspections that found it, ``organisation_id`` the organisation it is ``AT``.
Both engines run the same Cypher (``issue_page_queries``); the in-memory store runs ``issue_rows``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from graph.fact_counts import scope_test
from schema.derived import SCOPE


@dataclass(frozen=True)
class IssueQuery:
    """Which issues (every criterion given must hold), the caller's scope (None: all), and which page."""

    status: tuple[str, ...] = ()
    found_from: date | None = None  # inclusive, on found_on (occurred_on when found_on is unknown)
    found_to: date | None = None
    region_id: str | None = None
    campaign_id: str | None = None
    organisation_id: str | None = None
    scope: tuple[str, ...] | None = None
    skip: int = 0
    limit: int | None = None  # None: every issue from ``skip`` on


def issue_page_queries(q: IssueQuery) -> tuple[str, dict[str, Any], str, dict[str, Any]]:
    """(count query and its parameters, page query and its): the count returns ``n``, the page the ids in order."""
    params: dict[str, Any] = {}
    match = "MATCH (n:Issue)"
    if q.organisation_id is not None:
        match = "MATCH (n:Issue)-[:AT]->(o:Organisation) WHERE o.id = $organisation"
        params["organisation"] = q.organisation_id
    tests: list[str] = []
    if q.status:
        tests.append("n.status IN $status")
        params["status"] = list(q.status)
    if q.region_id is not None:
        tests.append("$region IN n.fact_place")
        params["region"] = q.region_id
    if q.campaign_id is not None:
        tests.append("$campaign IN n.fact_campaigns")
        params["campaign"] = q.campaign_id
    if q.scope is not None:
        test, more = scope_test("n", q.scope)
        tests.append(test)
        params.update(more)
    dated: list[str] = []
    if q.found_from is not None:
        dated.append("d >= $found_from")
        params["found_from"] = q.found_from
    if q.found_to is not None:
        dated.append("d <= $found_to")
        params["found_to"] = q.found_to
    joiner = " AND " if q.organisation_id is not None else " WHERE "
    head = match + (joiner + " AND ".join(tests) if tests else "")
    head += " WITH n, coalesce(n.found_on, n.occurred_on) AS d"
    if dated:
        head += " WHERE " + " AND ".join(dated)
    count = f"{head} RETURN count(n) AS n"
    page = f"{head} RETURN n.id AS id ORDER BY d IS NULL, d, n.id SKIP $skip"
    paged = {**params, "skip": q.skip}
    if q.limit is not None:
        page += " LIMIT $limit"
        paged["limit"] = q.limit
    return count, params, page, paged


def issue_rows(
    q: IssueQuery, issues: Iterable[Mapping[str, Any]], organisation_of: Mapping[str, str]
) -> tuple[int, list[str]]:
    """The same page over issue records in Python (the in-memory store); ``organisation_of``: issue → AT."""

    def keep(r: Mapping[str, Any]) -> bool:
        if q.status and r.get("status") not in q.status:
            return False
        if q.region_id is not None and q.region_id not in (r.get("fact_place") or ()):
            return False
        if q.campaign_id is not None and q.campaign_id not in (r.get("fact_campaigns") or ()):
            return False
        if q.organisation_id is not None and organisation_of.get(r["id"]) != q.organisation_id:
            return False
        if q.scope is not None and not set(q.scope) & set(r.get(SCOPE) or ()):
            return False
        d = r.get("found_on") or r.get("occurred_on")
        if q.found_from is not None and (d is None or d < q.found_from):
            return False
        return q.found_to is None or (d is not None and d <= q.found_to)

    found = [r for r in issues if keep(r)]
    found.sort(key=lambda r: (r.get("found_on") or r.get("occurred_on") or date.max, r["id"]))
    ids = [r["id"] for r in found]
    end = None if q.limit is None else q.skip + q.limit
    return len(ids), ids[q.skip : end]
