"""The four forms (四种形态): facts in scope, placed and dated, counted by ``schema.rules``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from graph.port import GraphStore
from graph.queries.issues import issues_of_cases
from graph.queries.posts import posts_of
from graph.queries.records import records_from_scan, unique
from graph.queries.regions import region_parents, regions_of_orgs
from schema.rules import (
    AccountabilityFacts,
    FourFormsCount,
    MeasureFact,
    TransferFact,
    count_four_forms,
)


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


def _campaign_cases(store: GraphStore, campaign_id: str) -> dict[str, str]:
    """Cases whose issue was found by an inspection PART_OF the campaign: ``{case: issue}``."""
    inspections = [e.source for e in store.edges([campaign_id], ("PART_OF",), "in")]
    issues = unique(e.target for e in store.edges(inspections, ("FOUND",), "out"))
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
        cases_needing_subjects = unique([*transfer_case.values(), *(c for _, c in exposure_case)])
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
        cases = unique(
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
                store.edges(unique(case_issue[c] for c in cases if c in case_issue), ("AT",), "out"),
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
        post_list = posts_of(store, unique(s for s, _ in wanted)) if wanted else {}
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


def four_forms_counts(
    store: GraphStore, f: StatsFilter, group: str = "all", regions: Sequence[str] = ()
) -> dict[Any, FourFormsCount]:
    """The figures of ``four_forms`` counted in the engine over the facts' derived placement
    (``GraphStore.count_facts``), grouped as ``graph.fact_counts.FactQuery`` says; a scoped store
    (``graph.scope``) counts only what its caller sees. ``four_forms`` above stays as the test oracle.

        four_forms_counts(store, StatsFilter(region_id="620100"))[None].form1
    """
    from graph.fact_counts import FactQuery

    query = FactQuery(
        campaign_id=f.campaign_id,
        region_id=f.region_id,
        date_from=f.date_from,
        date_to=f.date_to,
        group=group,  # type: ignore[arg-type]
        regions=tuple(regions),
    )
    return {k: FourFormsCount(**v) for k, v in store.count_facts(query).items()}
