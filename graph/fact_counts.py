"""Four-forms figures counted where the data are: over the fact properties ``graph.derived`` writes.

Both engines run the same few aggregations (``fact_count_queries``; only the way to match two
labels at once differs), the in-memory store runs ``count_rows`` over its records; all three return
``{group: {figure: n}}`` for a ``FactQuery``:

    store.count_facts(FactQuery(region_id="620100", date_from=date(2023, 1, 1)))
    # {None: {"form1": 12, "form2": 4, …, "exposed_cases": 1}}
    store.count_facts(FactQuery(group="month"))          # {"2023-01": {…}, "2023-02": {…}, …}

The figures are those of ``schema.rules.count_four_forms`` (CONTRACT §3): person-times per form,
distinct officials for sanctions, transfers and being held accountable, (case, subject) pairs for
form 4, cases for exposures. ``scope`` (a caller's regions, CONTRACT §4) keeps only facts visible to
the caller; None counts every fact.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from schema.derived import SCOPE

if TYPE_CHECKING:
    from graph.scope import Scope

FIGURES = (
    "form1", "form2", "form3", "form4", "held_accountable", "sanctioned", "party_sanctioned", "gov_sanctioned",
    "transferred_to_discipline", "transferred_to_judicial", "exposed_cases",
)  # fmt: skip
Group = Literal["all", "region", "month", "measure_kind"]


@dataclass(frozen=True)
class FactQuery:
    """What to count: CONTRACT §3's StatsFilter, the caller's scope, and how to group.

    ``group``: ``all`` (one group, key None), ``region`` (each of ``regions``, covering its subtree),
    ``month`` (``YYYY-MM`` of each fact's date; undated facts left out), ``measure_kind`` (measures only).
    """

    campaign_id: str | None = None
    region_id: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    scope: tuple[str, ...] | None = None
    group: Group = "all"
    regions: tuple[str, ...] = ()


def _where(q: FactQuery, params: dict[str, Any]) -> list[str]:
    tests: list[str] = []
    if q.date_from is not None:
        tests.append("f.fact_on >= $date_from")
        params["date_from"] = q.date_from
    if q.date_to is not None:
        tests.append("f.fact_on <= $date_to")
        params["date_to"] = q.date_to
    if q.region_id is not None:
        tests.append("$region IN f.fact_place")
        params["region"] = q.region_id
    if q.campaign_id is not None:
        tests.append("$campaign IN f.fact_campaigns")
        params["campaign"] = q.campaign_id
    if q.scope is not None:
        test, more = scope_test("f", q.scope)
        tests.append(test)
        params.update(more)
    return tests


def scope_test(var: str, regions: Sequence[str], prefix: str = "") -> tuple[str, dict[str, Any]]:
    """Cypher that keeps a node ``var`` one of whose derived regions is among ``regions``, and its
    parameters (named ``<prefix>scope<i>``, so several nodes of one query can be tested): one test
    per region (a list intersection is not in every engine's Cypher)."""
    names = [f"{prefix}scope{i}" for i in range(len(regions))]
    if not names:
        return "false", {}
    return "(" + " OR ".join(f"${n} IN {var}.{SCOPE}" for n in names) + ")", dict(zip(names, regions, strict=True))


def walk_scope_test(var: str, scope: Scope | None, is_region: str, kind_in: str) -> tuple[str, dict[str, Any]]:
    """Cypher that keeps a node ``var`` of a walk that ``scope`` sees (``graph.scope.Scope.sees``: its
    kind among the scope's kinds, and a Region or one of its derived regions among the scope's), and
    its parameters (``scope<i>``, ``kinds``: the same for every node of one walk); ``""`` when the
    scope sees everything. ``is_region`` and ``kind_in`` are the engine's tests, with ``{v}`` for the
    variable (``label({v}) = 'Region'`` on LadybugDB, ``{v}:Region`` on Neo4j).

        walk_scope_test("{v}", Scope(regions=("620102",)), "{v}:Region", "…")
        # ("({v}:Region OR $scope0 IN {v}.scope_regions)", {"scope0": "620102"})
    """
    tests: list[str] = []
    params: dict[str, Any] = {}
    if scope is None:
        return "", params
    if scope.kinds is not None:
        tests.append(kind_in.format(v=var))
        params["kinds"] = sorted(scope.kinds)
    if scope.regions is not None:
        test, more = scope_test(var, scope.regions)
        tests.append(f"({is_region.format(v=var)} OR {test})")
        params.update(more)
    return " AND ".join(tests), params


def _grouped(q: FactQuery, params: dict[str, Any]) -> tuple[str, str]:
    """The clause that binds ``g`` (the group key) and what else it needs kept."""
    if q.group == "region":
        params["regions"] = list(q.regions)
        return "UNWIND f.fact_place AS g WITH f, g WHERE g IN $regions", "g"
    if q.group == "month":
        return "WITH f, f.fact_month AS g WHERE g IS NOT NULL", "g"
    if q.group == "measure_kind":
        return "WITH f, f.kind AS g", "g"
    return "WITH f, 0 AS g", "g"


Query = tuple[str, dict[str, Any], tuple[str, ...]]


def fact_count_queries(q: FactQuery, labels: Callable[[tuple[str, ...]], str]) -> list[Query]:
    """The aggregations for ``q``: (Cypher, parameters, the figures its columns after ``g`` hold).

    ``labels(("Measure", "Transfer"))`` is the engine's pattern for a node of either kind
    (``f:Measure:Transfer`` on LadybugDB, ``f:Measure|Transfer`` on Neo4j). Every value is a parameter.
    """
    out: list[Query] = []

    def add(kinds: tuple[str, ...], extra: list[str], body: str, figures: tuple[str, ...]) -> None:
        params: dict[str, Any] = {}
        tests = _where(q, params) + extra
        where = f" WHERE {' AND '.join(tests)}" if tests else ""
        group, _ = _grouped(q, params)
        out.append((f"MATCH ({labels(kinds)}){where} {group} {body}", params, figures))

    add(
        ("Measure",),
        ["f.fact_subjects IS NOT NULL"],
        "UNWIND f.fact_subjects AS s RETURN g, "
        "sum(CASE WHEN f.fact_form = 1 THEN 1 ELSE 0 END), sum(CASE WHEN f.fact_form = 2 THEN 1 ELSE 0 END), "
        "sum(CASE WHEN f.fact_form = 3 THEN 1 ELSE 0 END), "
        "count(DISTINCT CASE WHEN f.fact_sanction IS NOT NULL THEN s END), "
        "count(DISTINCT CASE WHEN f.fact_sanction = 'party' THEN s END), "
        "count(DISTINCT CASE WHEN f.fact_sanction = 'gov' THEN s END)",
        ("form1", "form2", "form3", "sanctioned", "party_sanctioned", "gov_sanctioned"),
    )
    if q.group == "measure_kind":
        return out
    add(
        ("Measure", "Transfer"),
        ["f.fact_subjects IS NOT NULL"],
        "UNWIND f.fact_subjects AS s RETURN g, count(DISTINCT s)",
        ("held_accountable",),
    )
    add(
        ("Transfer",),
        ["f.fact_subjects IS NOT NULL", "f.fact_transfer IS NOT NULL"],
        "UNWIND f.fact_subjects AS s RETURN g, "
        "count(DISTINCT CASE WHEN f.fact_transfer = 'judicial' THEN f.fact_case + '|' + s END), "
        "count(DISTINCT CASE WHEN f.fact_transfer = 'discipline' THEN s END), "
        "count(DISTINCT CASE WHEN f.fact_transfer = 'judicial' THEN s END)",
        ("form4", "transferred_to_discipline", "transferred_to_judicial"),
    )
    add(
        ("Exposure",),
        ["f.fact_case IS NOT NULL"],
        "RETURN g, count(DISTINCT f.fact_case)",
        ("exposed_cases",),
    )
    return out


def collect(q: FactQuery, results: Iterable[tuple[tuple[str, ...], Iterable[list[Any]]]]) -> dict[Any, dict[str, int]]:
    """``{group: {figure: n}}`` from each query's figures and rows (``g`` first); groups with no
    fact are left out, and every figure of a group present is there (0 where none counted)."""
    out: dict[Any, dict[str, int]] = {}
    for figures, rows in results:
        for g, *values in rows:
            key = None if q.group == "all" else g
            counts = out.setdefault(key, dict.fromkeys(FIGURES, 0))
            for name, value in zip(figures, values, strict=True):
                counts[name] += int(value or 0)
    return out


def count_rows(q: FactQuery, facts: Mapping[str, Iterable[Mapping[str, Any]]]) -> dict[Any, dict[str, int]]:
    """The same figures over fact records in Python (the in-memory store): ``facts`` by kind."""

    def keep(f: Mapping[str, Any]) -> bool:
        on = f.get("fact_on")
        if q.date_from is not None and (on is None or on < q.date_from):
            return False
        if q.date_to is not None and (on is None or on > q.date_to):
            return False
        if q.region_id is not None and q.region_id not in (f.get("fact_place") or ()):
            return False
        if q.campaign_id is not None and q.campaign_id not in (f.get("fact_campaigns") or ()):
            return False
        return q.scope is None or any(r in (f.get(SCOPE) or ()) for r in q.scope)

    def keys(f: Mapping[str, Any]) -> list[Any]:
        if q.group == "region":
            return [g for g in (f.get("fact_place") or ()) if g in q.regions]
        if q.group == "month":
            return [f["fact_month"]] if f.get("fact_month") else []
        if q.group == "measure_kind":
            return [f.get("kind")]
        return [None]

    sets: dict[Any, dict[str, set[Any]]] = defaultdict(lambda: defaultdict(set))
    sums: dict[Any, dict[str, int]] = defaultdict(lambda: dict.fromkeys(FIGURES, 0))
    kinds = ("Measure",) if q.group == "measure_kind" else ("Measure", "Transfer", "Exposure")
    for kind in kinds:
        for f in facts.get(kind, ()):
            if not keep(f):
                continue
            subjects = f.get("fact_subjects") or ()
            for g in keys(f):
                s, n = sets[g], sums[g]
                if kind == "Measure" and subjects:
                    n[f"form{f['fact_form']}"] += len(subjects)
                    s["held_accountable"].update(subjects)
                    if f.get("fact_sanction"):
                        s["sanctioned"].update(subjects)
                        s[f"{f['fact_sanction']}_sanctioned"].update(subjects)
                elif kind == "Transfer" and subjects and f.get("fact_transfer"):
                    s["held_accountable"].update(subjects)
                    if f["fact_transfer"] == "judicial":
                        s["form4"].update((f["fact_case"], x) for x in subjects)
                        s["transferred_to_judicial"].update(subjects)
                    elif f["fact_transfer"] == "discipline":
                        s["transferred_to_discipline"].update(subjects)
                elif kind == "Exposure" and f.get("fact_case"):
                    s["exposed_cases"].add(f["fact_case"])
    out: dict[Any, dict[str, int]] = {}
    for g in {*sets, *sums}:
        counts = dict(sums[g])
        for name, members in sets[g].items():
            counts[name] = len(members)
        if q.group == "measure_kind":
            counts = {k: v for k, v in counts.items() if k in ("form1", "form2", "form3", "sanctioned",
                                                                 "party_sanctioned", "gov_sanctioned")}  # fmt: skip
            counts = {**dict.fromkeys(FIGURES, 0), **counts}
        if any(counts.values()):  # as the engines: a group appears when something in it counts
            out[g] = counts
    return out
