"""学 and 述 figures counted where the data are: study events and attendance in a date window, 述法
reports of a year with their reporters and reviewers, aggregated by the engine (both engines run the
same Cypher; the in-memory store counts its records the same way in Python):

    store.count_study(StudyQuery(date(2023, 1, 1), date(2023, 12, 31)))
    # {"by_kind": [[kind, events, attendances, attendees], …], "attendees": n}
    store.count_duty_reports(DutyQuery(2023))
    # {"groups": [[role, form, grade, n], …], "reporters": n, "reviewers": [[org, reports, reporters], …]}

``graph.queries.study_figures`` and ``duty_report_figures`` (Python walks over every record) are the
test oracle; ``study_counts`` and ``duty_report_counts`` in ``graph.queries.figures`` shape these rows
into the same figures. ``scope`` (a caller's regions) keeps only visible nodes, and a relationship
only when both its ends are visible, as ``graph.scope`` does for every read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from graph.fact_counts import scope_test
from schema.derived import SCOPE


@dataclass(frozen=True)
class StudyQuery:
    date_from: date | None = None
    date_to: date | None = None
    scope: tuple[str, ...] | None = None


@dataclass(frozen=True)
class DutyQuery:
    year: int
    scope: tuple[str, ...] | None = None


def _scoped(var: str, scope: tuple[str, ...] | None, params: dict[str, Any], prefix: str) -> list[str]:
    if scope is None:
        return []
    test, more = scope_test(var, scope, prefix)
    params.update(more)
    return [test]


def study_queries(q: StudyQuery) -> tuple[str, str, dict[str, Any]]:
    """(per-kind query: kind, events, attendances, attendees; total distinct attendees query: n)."""
    params: dict[str, Any] = {}
    events: list[str] = []
    if q.date_from is not None:
        events.append("e.date >= $date_from")
        params["date_from"] = q.date_from
    if q.date_to is not None:
        events.append("e.date <= $date_to")
        params["date_to"] = q.date_to
    events += _scoped("e", q.scope, params, "e_")
    people = _scoped("o", q.scope, params, "o_")
    where_e = f" WHERE {' AND '.join(events)}" if events else ""
    where_o = f" WHERE {' AND '.join(people)}" if people else ""
    by_kind = (
        f"MATCH (e:StudyEvent){where_e} OPTIONAL MATCH (o:Official)-[:ATTENDED]->(e){where_o} "
        "RETURN e.kind AS kind, count(DISTINCT e.id) AS events, count(o.id) AS attendances, "
        "count(DISTINCT o.id) AS attendees"
    )
    both = [*events, *people]
    where = f" WHERE {' AND '.join(both)}" if both else ""
    total = f"MATCH (o:Official)-[:ATTENDED]->(e:StudyEvent){where} RETURN count(DISTINCT o.id) AS n"
    return by_kind, total, params


def duty_queries(q: DutyQuery) -> tuple[str, str, str, dict[str, Any]]:
    """(groups: role, form, grade, reports; reporters: n; reviewers: organisation, reports, reporters)."""
    params: dict[str, Any] = {"year": q.year}
    reports = ["r.year = $year", *_scoped("r", q.scope, params, "r_")]
    people = _scoped("o", q.scope, params, "o_")
    orgs = _scoped("g", q.scope, params, "g_")
    where_r = " WHERE " + " AND ".join(reports)
    groups = (
        f"MATCH (r:DutyReport){where_r} RETURN r.reporter_role AS role, r.form AS form, r.grade AS grade, count(*) AS n"
    )
    submitted = " WHERE " + " AND ".join([*reports, *people])
    reporters = f"MATCH (o:Official)-[:SUBMITTED]->(r:DutyReport){submitted} RETURN count(DISTINCT o.id) AS n"
    where_o = f" WHERE {' AND '.join(people)}" if people else ""
    reviewers = (
        f"MATCH (r:DutyReport)-[:REVIEWED_BY]->(g:Organisation) WHERE {' AND '.join([*reports, *orgs])} "
        f"OPTIONAL MATCH (o:Official)-[:SUBMITTED]->(r){where_o} "
        "RETURN g.id AS organisation, count(DISTINCT r.id) AS reports, count(DISTINCT o.id) AS reporters"
    )
    return groups, reporters, reviewers, params


def _sees(scope: tuple[str, ...] | None, props: Mapping[str, Any]) -> bool:
    return scope is None or bool(set(scope) & set(props.get(SCOPE) or ()))


def study_rows(
    q: StudyQuery, events: Mapping[str, Mapping[str, Any]], officials: Mapping[str, Mapping[str, Any]],
    attended: Iterable[tuple[str, str]],
) -> dict[str, Any]:  # fmt: skip
    """The same rows in Python (the in-memory store): events by id, officials by id, (official, event)."""
    kept = {
        i: p.get("kind")
        for i, p in events.items()
        if (q.date_from is None or (p.get("date") is not None and p["date"] >= q.date_from))
        and (q.date_to is None or (p.get("date") is not None and p["date"] <= q.date_to))
        and _sees(q.scope, p)
    }
    per_kind: dict[Any, list[Any]] = {}
    for i, kind in kept.items():
        per_kind.setdefault(kind, [set(), 0, set()])[0].add(i)
    everyone: set[str] = set()
    for o, e in attended:
        if e in kept and o in officials and _sees(q.scope, officials[o]):
            row = per_kind[kept[e]]
            row[1] += 1
            row[2].add(o)
            everyone.add(o)
    return {
        "by_kind": [[k, len(ev), n, len(who)] for k, (ev, n, who) in per_kind.items()],
        "attendees": len(everyone),
    }


def duty_rows(
    q: DutyQuery, reports: Mapping[str, Mapping[str, Any]], officials: Mapping[str, Mapping[str, Any]],
    organisations: Mapping[str, Mapping[str, Any]], submitted: Iterable[tuple[str, str]],
    reviewed: Iterable[tuple[str, str]],
) -> dict[str, Any]:  # fmt: skip
    """The same rows in Python: records by id, (official, report) and (report, organisation) pairs."""
    kept = {i: p for i, p in reports.items() if p.get("year") == q.year and _sees(q.scope, p)}
    groups: dict[tuple[Any, Any, Any], int] = defaultdict(int)
    for p in kept.values():
        groups[(p.get("reporter_role"), p.get("form"), p.get("grade"))] += 1
    by: dict[str, set[str]] = defaultdict(set)
    for o, r in submitted:
        if r in kept and o in officials and _sees(q.scope, officials[o]):
            by[r].add(o)
    per_org: dict[str, set[str]] = defaultdict(set)
    for r, g in reviewed:
        if r in kept and g in organisations and _sees(q.scope, organisations[g]):
            per_org[g].add(r)
    return {
        "groups": [[*k, n] for k, n in groups.items()],
        "reporters": len({o for who in by.values() for o in who}),
        "reviewers": [[g, len(rs), len({o for r in rs for o in by.get(r, ())})] for g, rs in per_org.items()],
    }
