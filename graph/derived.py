"""Derived at write time: each node's jurisdiction and each fact's placement (``schema.derived``).

Every backend's ``write`` calls ``derive(store, batch)`` first, under its write lock: the values are
computed over the store as it will be once the batch lands (``Overlay``: the store's rows with the
batch's over them) and go into the same transaction as extra columns, so they are never out of date
and a refused or torn write leaves none behind.

    batch = derive(store, batch)      # the batch with derived columns, plus update rows for stored
                                      # nodes whose derived values this batch changes

Only what a batch can change is recomputed. Its nodes are recomputed; each relationship marks the
end whose values read it (``READS``); a recomputed node whose values changed — or that a relationship
marked — sends its dependents (``DEPENDENTS``: the reverse of every read, and the walks a fact's
placement takes) to be recomputed in turn, kind by kind in ``ORDER``. A region whose ancestry changes
sends the organisations in it. The rules follow CONTRACT §3 (placement) and §4 (jurisdiction);
``graph.queries.four_forms`` computes the same placement from scratch and is the test oracle.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from datetime import date
from typing import Any

import pyarrow as pa

from graph.columns import arrow_type
from graph.overlay import Overlay
from graph.port import Edge, GraphStore, NodeRows, WriteBatch, property_key
from schema.derived import DERIVED, FACT_KINDS, HOME_REGION, SCOPE
from schema.model import NODE_KINDS, REL_KINDS
from schema.rules import DISCIPLINE_TRANSFER, FORM_OF_KIND, GOV_SANCTIONS, JUDICIAL_TRANSFERS, PARTY_SANCTIONS

Values = dict[str, Any]
Hop = tuple[tuple[str, ...], str]  # relationship kinds, direction seen from the node

# Where a node's regions come from (CONTRACT §4): groups of hops to neighbours whose regions it takes;
# the first group that yields any region wins (a case with no issue: what it CONCERNS; a measure
# without a case: its subject).
SCOPE_RULES: dict[str, tuple[tuple[Hop, ...], ...]] = {
    "Official": (((("HELD_POST",), "out"),),),
    "Issue": (((("AT",), "out"),),),
    "RectificationStep": (((("HAS_STEP",), "in"),),),
    "Clue": (((("LED_TO",), "in"),),),
    "Case": (((("LED_TO",), "in"),), ((("CONCERNS",), "out"),)),
    "Measure": (((("DECIDED",), "in"),), ((("APPLIES_TO",), "out"),)),
    "Transfer": (((("TRANSFERRED",), "in"),),),
    "Exposure": (((("EXPOSED_IN",), "in"),),),
    "Inspection": (((("ORGANISED",), "in"), (("INSPECTED",), "out")),),
    "Campaign": (((("PART_OF",), "in"),),),
    "StudyEvent": (((("ORGANISED",), "in"), (("ATTENDED",), "in")),),
    "Assessment": (((("ORGANISED",), "in"), (("ASSESSES",), "out")),),
    "DutyReport": (((("SUBMITTED",), "in"),),),
    "Document": (((("EVIDENCED_BY",), "in"),),),
}
# Kinds in the order they are computed: each reads only kinds before it (or itself: UNDER, documents).
ORDER = (
    "Organisation", "Official", "Inspection", "Issue", "RectificationStep", "Clue", "Case",
    "Measure", "Transfer", "Exposure", "Campaign", "StudyEvent", "Assessment", "DutyReport", "Document",
)  # fmt: skip
_FACT_EDGE = {"Measure": "DECIDED", "Transfer": "TRANSFERRED", "Exposure": "EXPOSED_IN"}
_FACT_DATE = {"Measure": "decided_on", "Transfer": "transferred_on", "Exposure": "published_on"}


def _reads() -> set[tuple[str, str, str]]:
    """(kind, relationship kind, direction) of every relationship a kind's values read."""
    out = {(k, t, d) for k, groups in SCOPE_RULES.items() for g in groups for types, d in g for t in types}
    out |= {("Organisation", "IN_REGION", "out"), ("Organisation", "UNDER", "out")}
    out |= {("Issue", "FOUND", "in"), ("Inspection", "PART_OF", "out")}  # campaigns of an issue
    return out


READS = _reads()
READ_RELS = frozenset(rel for _, rel, _ in READS)  # the relationship kinds derived values read
# The relationship properties a derived value reads (a fact's placement by the posts on its date).
_READ_PROPS = {"HELD_POST": ("start", "end")}


def _overlay(store: GraphStore, batch: WriteBatch) -> Overlay:
    return Overlay(store, batch, READ_RELS, _READ_PROPS)


def _dependents() -> dict[str, list[tuple[str, tuple[Hop, ...]]]]:
    """For each kind, the (kind, walk) of the nodes whose values read it."""
    deps: dict[str, list[tuple[str, tuple[Hop, ...]]]] = defaultdict(list)
    for kind, groups in SCOPE_RULES.items():
        for group in groups:
            for types, direction in group:
                back = "in" if direction == "out" else "out"
                for t in types:
                    for source_kind, target_kind in REL_KINDS[t].endpoints:
                        near, far = (source_kind, target_kind) if direction == "out" else (target_kind, source_kind)
                        if near == kind and far != "Region":
                            deps[far].append((kind, (((t,), back),)))
    deps["Organisation"].append(("Organisation", (((("UNDER",), "in")),)))
    deps["Inspection"].append(("Issue", (((("FOUND",), "out")),)))
    # A fact without an issue is placed by its subjects' posts on its date.
    for fact in FACT_KINDS:
        deps["Official"].append((fact, ((("CONCERNS",), "in"), ((_FACT_EDGE[fact],), "out"))))
        by_post = ((("HELD_POST",), "in"), (("CONCERNS",), "in"), ((_FACT_EDGE[fact],), "out"))
        deps["Organisation"].append((fact, by_post))
    deps["Organisation"].append(("Measure", ((("HELD_POST",), "in"), (("APPLIES_TO",), "in"))))
    return {k: sorted(set(v)) for k, v in deps.items()}


DEPENDENTS = _dependents()


class _Regions:
    """Region ancestry (PART_OF between regions), before and after the batch."""

    def __init__(self, ov: Overlay) -> None:
        before: dict[str, list[str]] = defaultdict(list)
        if not ov.empty:
            for table in ov.store.scan_edges("PART_OF"):
                for s, t in zip(table.column("from").to_pylist(), table.column("to").to_pylist(), strict=True):
                    before[s].append(t)
        after = {k: list(v) for k, v in before.items()}
        for e in ov.rels.get("PART_OF", ()):
            after.setdefault(e.source, []).append(e.target)
        regions = {i for i, k in ov.kinds_of({*before, *after, *(p for ps in after.values() for p in ps)}).items()
                   if k == "Region"}  # fmt: skip
        # The first parent by id (as graph.queries.regions.region_parents).
        self.parent = {r: min(p for p in after[r] if p in regions) for r in after if r in regions
                       and any(p in regions for p in after[r])}  # fmt: skip
        old_parent = {r: min(p for p in before[r] if p in regions) for r in before if r in regions
                      and any(p in regions for p in before[r])}  # fmt: skip
        self.changed = {r for r in regions if self._up(r, self.parent) != self._up(r, old_parent)}

    @staticmethod
    def _up(region: str, parent: dict[str, str]) -> list[str]:
        chain = [region]
        while (nxt := parent.get(chain[-1])) is not None and nxt not in chain:
            chain.append(nxt)
        return chain

    def closure(self, region: str | None) -> list[str]:
        return sorted(self._up(region, self.parent)) if region else []


def _sorted(values: Iterable[str]) -> list[str]:
    return sorted(set(values))


class Deriver:
    """One derivation over an overlay: ``run`` returns each recomputed node's values and which changed."""

    def __init__(self, ov: Overlay) -> None:
        self.ov = ov
        self.regions = _Regions(ov)
        self.values: dict[str, Values] = {}

    def value(self, node_id: str) -> Values:
        if node_id in self.values:
            return self.values[node_id]
        if self.ov.empty:
            return {}
        return self.ov.stored([node_id])[node_id] or {}

    def _prefetch(self, ids: Collection[str]) -> None:
        if self.ov.empty:
            return
        self.ov.stored([i for i in ids if i not in self.values])

    def scope_of(self, node_id: str, kind: str | None) -> list[str]:
        if kind == "Region":
            return self.regions.closure(node_id)
        return list(self.value(node_id).get(SCOPE) or [])

    # ------------------------------------------------------------ per kind

    def compute(self, kind: str, ids: list[str]) -> dict[str, Values]:
        if kind == "Organisation":
            return self._organisations(ids)
        out = self._scopes(kind, ids)
        if kind == "Issue":
            self._issue_context(ids, out)
        elif kind in ("Clue", "Case"):
            self._case_context(kind, ids, out)
        elif kind in FACT_KINDS:
            self._facts(kind, ids, out)
        return out

    def _organisations(self, ids: list[str]) -> dict[str, Values]:
        edges = self.ov.edges(ids, ("IN_REGION", "UNDER"), "out")
        kinds = self.ov.kinds_of({e.target for e in edges})
        region: dict[str, str] = {}
        parent: dict[str, str] = {}
        for e in edges:
            if e.type == "IN_REGION" and kinds.get(e.target) == "Region":
                region[e.source] = max(region.get(e.source, e.target), e.target)
            elif e.type == "UNDER" and kinds.get(e.target) == "Organisation":
                parent[e.source] = min(parent.get(e.source, e.target), e.target)
        self._prefetch(parent.values())
        home: dict[str, str | None] = {}

        def home_of(org: str, seen: frozenset[str]) -> str | None:
            # Departments without a region of their own lie where their parent does (regions_of_orgs).
            if org in home:
                return home[org]
            found = region.get(org)
            up = parent.get(org)
            if found is None and up is not None and up not in seen:
                found = home_of(up, seen | {org}) if up in wanted else self.value(up).get(HOME_REGION)
            home[org] = found
            return found

        wanted = set(ids)
        out: dict[str, Values] = {}
        for org in ids:
            h = home_of(org, frozenset())
            out[org] = {HOME_REGION: h, SCOPE: self.regions.closure(h)}
        return out

    def _scopes(self, kind: str, ids: list[str]) -> dict[str, Values]:
        regions: dict[str, list[str]] = {i: [] for i in ids}
        pending = list(ids)
        for group in SCOPE_RULES[kind]:
            if not pending:
                break
            found: dict[str, set[str]] = defaultdict(set)
            for types, direction in group:
                edges = self.ov.edges(pending, types, direction)
                near = [(e.source, e.target) if direction == "out" else (e.target, e.source) for e in edges]
                far_kinds = self.ov.kinds_of({f for _, f in near})
                self._prefetch([f for f in far_kinds if far_kinds[f] != "Region"])
                for n, f in near:
                    found[n].update(self.scope_of(f, far_kinds.get(f)))
            for n, rs in found.items():
                if rs:
                    regions[n] = sorted(rs)
            pending = [i for i in pending if not regions[i]]
        return {i: {SCOPE: regions[i]} for i in ids}

    def _issue_context(self, ids: list[str], out: dict[str, Values]) -> None:
        found = self.ov.edges(ids, ("FOUND",), "in")
        inspections = {e.source for e in found}
        part_of = self.ov.edges(inspections, ("PART_OF",), "out")
        kinds = self.ov.kinds_of({e.target for e in part_of})
        campaigns: dict[str, set[str]] = defaultdict(set)
        for e in part_of:
            if kinds.get(e.target) == "Campaign":
                campaigns[e.source].add(e.target)
        of_issue: dict[str, set[str]] = defaultdict(set)
        for e in found:
            of_issue[e.target] |= campaigns.get(e.source, set())
        for i in ids:
            out[i]["fact_campaigns"] = _sorted(of_issue.get(i, ()))
            out[i]["fact_place"] = out[i][SCOPE]

    def _case_context(self, kind: str, ids: list[str], out: dict[str, Values]) -> None:
        led = self.ov.edges(ids, ("LED_TO",), "in")
        kinds = self.ov.kinds_of({e.source for e in led})
        self._prefetch({e.source for e in led})
        issues: dict[str, list[str]] = defaultdict(list)
        clues: dict[str, list[str]] = defaultdict(list)
        for e in led:
            (issues if kinds.get(e.source) == "Issue" else clues)[e.target].append(e.source)
        subjects: dict[str, list[str]] = defaultdict(list)
        if kind == "Case":
            concerns = self.ov.edges(ids, ("CONCERNS",), "out")
            subject_kinds = self.ov.kinds_of({e.target for e in concerns})
            for e in concerns:
                if subject_kinds.get(e.target) == "Official":
                    subjects[e.source].append(e.target)
        for i in ids:
            direct = issues.get(i, [])
            via = [self.value(c) for c in clues.get(i, [])]
            # The issue a case is placed by: the first direct one, else the first through a clue (issues_of_cases).
            chosen = min(direct) if direct else min((v["fact_issue"] for v in via if v.get("fact_issue")), default=None)
            camps: set[str] = set()
            for issue in direct:
                camps.update(self.value(issue).get("fact_campaigns") or ())
            for v in via:
                camps.update(v.get("fact_campaigns") or ())
            vals = out[i]
            vals["fact_issue"] = chosen
            vals["fact_campaigns"] = sorted(camps)
            vals["fact_place"] = list(self.value(chosen).get("fact_place") or []) if chosen else None
            if kind == "Case":
                vals["fact_subjects"] = _sorted(subjects.get(i, ()))

    def _facts(self, kind: str, ids: list[str], out: dict[str, Values]) -> None:
        records = self.ov.records(ids)
        into = self.ov.edges(ids, (_FACT_EDGE[kind],), "in")
        case_of: dict[str, str] = {}
        for e in into:
            case_of[e.target] = max(case_of.get(e.target, e.source), e.source)
        self._prefetch(case_of.values())
        subject_of: dict[str, str] = {}
        if kind == "Measure":
            for e in self.ov.edges(ids, ("APPLIES_TO",), "out"):
                subject_of[e.source] = max(subject_of.get(e.source, e.target), e.target)
        subject_kinds = self.ov.kinds_of(set(subject_of.values()))
        by_posts: dict[str, tuple[list[str], date | None]] = {}
        for i in ids:
            rec = records[i]
            on = rec.get(_FACT_DATE[kind])
            case = case_of.get(i)
            ctx = self.value(case) if case else {}
            vals = out[i]
            vals["fact_case"] = case
            vals["fact_issue"] = ctx.get("fact_issue")
            vals["fact_campaigns"] = list(ctx.get("fact_campaigns") or [])
            vals["fact_on"] = on
            vals["fact_month"] = on.strftime("%Y-%m") if on is not None else None
            vals["fact_form"] = vals["fact_sanction"] = vals["fact_transfer"] = None
            if kind == "Measure":
                subject = subject_of.get(i)
                official = subject is not None and subject_kinds.get(subject) == "Official"
                vals["fact_subjects"] = [subject] if official and subject else []
                measure_kind = rec.get(property_key("Measure", "kind"))
                if measure_kind and subject is not None:
                    vals["fact_form"] = FORM_OF_KIND.get(measure_kind)
                    vals["fact_sanction"] = (
                        "party" if measure_kind in PARTY_SANCTIONS else "gov" if measure_kind in GOV_SANCTIONS else None
                    )
                else:
                    vals["fact_subjects"] = []  # not counted: no subject or no kind
                placed_by = [subject] if subject else []
            else:
                vals["fact_subjects"] = list(ctx.get("fact_subjects") or []) if case else []
                placed_by = vals["fact_subjects"]
                if kind == "Transfer":
                    transfer_kind = rec.get(property_key("Transfer", "kind"))
                    if not transfer_kind or case is None:
                        vals["fact_subjects"] = []
                        vals["fact_case"] = None  # not counted
                    elif transfer_kind in JUDICIAL_TRANSFERS:
                        vals["fact_transfer"], vals["fact_form"] = "judicial", 4
                    elif transfer_kind == DISCIPLINE_TRANSFER:
                        vals["fact_transfer"] = "discipline"
                    else:
                        vals["fact_transfer"] = "other"
            if ctx.get("fact_issue"):
                vals["fact_place"] = list(ctx.get("fact_place") or [])
            else:
                by_posts[i] = (placed_by, on)
        if by_posts:
            posts = self.ov.edges({s for ss, _ in by_posts.values() for s in ss}, ("HELD_POST",), "out")
            mine: dict[str, list[Edge]] = defaultdict(list)
            for e in posts:
                mine[e.source].append(e)
            self._prefetch({e.target for e in posts})
            for i, (subjects, on) in by_posts.items():
                place: set[str] = set()
                for s in subjects:
                    for e in mine.get(s, ()):
                        start, end = e.props.get("start"), e.props.get("end")
                        if on is None or ((start is None or start <= on) and (end is None or on <= end)):
                            place.update(self.value(e.target).get(SCOPE) or ())
                out[i]["fact_place"] = sorted(place)

    # ------------------------------------------------------------ propagation

    def dependents(self, kind: str, ids: Collection[str], skip: Collection[str] = ()) -> dict[str, set[str]]:
        """The nodes whose values read ``ids`` (of ``kind``), by kind; kinds in ``skip`` are not walked."""
        out: dict[str, set[str]] = defaultdict(set)
        for target_kind, walk in DEPENDENTS.get(kind, ()):
            if target_kind in skip:
                continue
            frontier: Collection[str] = ids
            for types, direction in walk:
                if not frontier:
                    break
                edges = self.ov.edges(frontier, types, direction)
                frontier = {e.target if direction == "out" else e.source for e in edges}
            if frontier:
                kinds = self.ov.kinds_of(frontier)
                out[target_kind].update(i for i in frontier if kinds.get(i) == target_kind)
        return out

    def run(
        self, pending: dict[str, set[str]], forced: set[str], complete: Collection[str] = ()
    ) -> dict[str, dict[str, Values]]:
        """Recompute ``pending`` and what depends on what changed; ``forced`` nodes pass on regardless.
        ``complete``: kinds every node of which is pending (a first load): no walk needs to find them.

        Returns, per kind, the values of the nodes whose stored values differ (new nodes included)."""
        done: set[str] = set()
        changed: dict[str, dict[str, Values]] = defaultdict(dict)
        for org in self.dependents_of_regions():
            pending.setdefault("Organisation", set()).add(org)
        rank = {k: n for n, k in enumerate(ORDER)}
        rounds = 0
        while any(pending.values()):
            kind = min((k for k, v in pending.items() if v), key=rank.__getitem__)
            ids = sorted(pending.pop(kind))
            rounds += 1
            if rounds > 10_000:
                raise RuntimeError("derived values do not settle (a cycle the rules do not expect)")
            computed = self.compute(kind, ids)
            stored = self.ov.stored(ids)
            moved = []
            for i in ids:
                # An empty list is stored as null (Neo4j keeps no empty lists apart from absent ones).
                vals = {k: (None if v == [] else v) for k, v in computed[i].items()}
                # Computed again in this run (a node that reads its own kind): it passes on only if
                # it differs from what its dependents were last given, or a cycle (an organisation
                # UNDER itself, or UNDER its own department) would never settle.
                before = self.values[i] if i in self.values else stored[i]
                self.values[i] = vals
                if vals != stored[i]:
                    changed[kind][i] = vals
                else:
                    changed[kind].pop(i, None)  # back to its stored values after all
                if vals != before:
                    moved.append(i)
                elif i in forced:
                    # Once: its dependents are now pending. A forced node that is its own dependent
                    # (an organisation UNDER itself, a cycle of UNDER) would otherwise pass on forever.
                    forced.discard(i)
                    moved.append(i)
            done.add(kind)
            if moved:
                skip = [k for k in complete if k not in done]
                for dep_kind, dep_ids in self.dependents(kind, moved, skip).items():
                    if rank[dep_kind] < rank[kind]:
                        raise RuntimeError(f"{dep_kind} depends on {kind}, which is computed after it")
                    pending.setdefault(dep_kind, set()).update(dep_ids)
        return {k: v for k, v in changed.items() if v}

    def dependents_of_regions(self) -> set[str]:
        if not self.regions.changed:
            return set()
        edges = self.ov.edges(self.regions.changed, ("IN_REGION",), "in")
        return {e.source for e in edges}


def touched(ov: Overlay) -> tuple[dict[str, set[str]], set[str]]:
    """What a batch makes stale: its own nodes, and the end of each relationship whose values read it
    (those pass on to their dependents even when their own values stay the same)."""
    pending: dict[str, set[str]] = defaultdict(set)
    forced: set[str] = set()
    for node_id, kind in ov.kind.items():
        if kind != "Region":
            pending[kind].add(node_id)
    if ov.empty:
        return pending, forced  # every node is the batch's: all are pending, none needs to pass on
    ends = {e for es in ov.rels.values() for x in es for e in (x.source, x.target)}
    kinds = ov.kinds_of(ends)
    for rel, edges in ov.rels.items():
        for e in edges:
            for node_id, direction in ((e.source, "out"), (e.target, "in")):
                end_kind = kinds.get(node_id)
                if end_kind is not None and (end_kind, rel, direction) in READS:
                    pending[end_kind].add(node_id)
                    forced.add(node_id)
    return pending, forced


def derive(store: GraphStore, batch: WriteBatch) -> WriteBatch:
    """``batch`` with every derived value it makes: columns on its own node tables, and update tables
    for stored nodes whose values change (see the module docstring)."""
    ov = _overlay(store, batch)
    pending, forced = touched(ov)
    deriver = Deriver(ov)
    # On an empty store every node is the batch's, and all of them are pending.
    changed = deriver.run(pending, forced, complete=ORDER if ov.empty else ())
    nodes: list[NodeRows] = []
    in_batch: set[str] = set()
    for rows in batch.nodes:
        ids = rows.table.column("id").to_pylist()
        in_batch.update(ids)
        table = rows.table
        for name, prop in DERIVED[rows.kind].items():
            column = [deriver.values.get(i, {}).get(name) for i in ids]
            table = table.append_column(pa.field(name, arrow_type(prop)), pa.array(column, arrow_type(prop)))
        nodes.append(NodeRows(rows.kind, table))
    for kind, values in changed.items():
        rest = [i for i in values if i not in in_batch]
        if not rest:
            continue
        columns: dict[str, pa.Array] = {"id": pa.array(rest, pa.string())}
        for name, prop in DERIVED[kind].items():
            columns[name] = pa.array([values[i].get(name) for i in rest], arrow_type(prop))
        nodes.append(NodeRows(kind, pa.table(columns)))
    return WriteBatch(nodes=nodes, rels=batch.rels, derived=True)


def rederive(store: GraphStore) -> WriteBatch:
    """A batch that sets every node's derived values afresh (a store written before they existed,
    or after the rules changed): every node pending, nothing forced."""
    ov = _overlay(store, WriteBatch())
    pending: dict[str, set[str]] = {}
    for kind in NODE_KINDS:
        if kind == "Region":
            continue
        ids: set[str] = set()
        for table in store.scan_nodes(kind, []):
            ids.update(table.column("id").to_pylist())
        if ids:
            pending[kind] = ids
    deriver = Deriver(ov)
    changed = deriver.run(pending, set(), complete=ORDER)
    nodes = []
    for kind, values in changed.items():
        columns: dict[str, pa.Array] = {"id": pa.array(list(values), pa.string())}
        for name, prop in DERIVED[kind].items():
            columns[name] = pa.array([values[i].get(name) for i in values], arrow_type(prop))
        nodes.append(NodeRows(kind, pa.table(columns)))
    return WriteBatch(nodes=nodes, derived=True)
