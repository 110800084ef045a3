"""Regions: subtrees and ancestry (PART_OF), which organisations lie in a region, and where one lies."""

from __future__ import annotations

from collections.abc import Collection

from graph.port import GraphStore
from graph.queries.records import records_from_scan, unique


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
    found = unique(e.source for e in store.edges(sorted(region_ids), ("IN_REGION",), "in"))
    seen = set(found)
    frontier = found
    while frontier:
        below = unique(e.source for e in store.edges(frontier, ("UNDER",), "in") if e.source not in seen)
        placed = {e.source for e in store.edges(below, ("IN_REGION",), "out")} if below else set()
        frontier = [o for o in below if o not in placed]
        seen.update(frontier)
        found += frontier
    return found


def region_parents(store: GraphStore, region_ids: Collection[str]) -> dict[str, str | None]:
    """Each region's parent and the parents of those, up to the roots (one port call per level)."""
    parent: dict[str, str | None] = {}
    frontier = unique(region_ids)
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
        frontier = unique(nxt)
    return parent


def regions_of_orgs(store: GraphStore, org_ids: Collection[str]) -> dict[str, str]:
    """The region each organisation is IN_REGION, else (for departments) that of the nearest UNDER ancestor.

    One port call per level of ancestry: each level asks for the parents not yet known, so an
    organisation whose parent is itself among ``org_ids`` is resolved too.
    """
    region: dict[str, str | None] = {}
    parent: dict[str, str | None] = {}
    pending = unique(org_ids)
    for _ in range(8):
        if not pending:
            break
        found = store.edges(pending, ("IN_REGION", "UNDER"), "out")
        in_region = {e.source: e.target for e in sorted(found, key=lambda e: e.id) if e.type == "IN_REGION"}
        under: dict[str, str] = {}
        for e in sorted(found, key=lambda e: e.id):
            if e.type == "UNDER":
                under.setdefault(e.source, e.target)
        for org in pending:
            region[org] = in_region.get(org)
            parent[org] = under.get(org) if org not in in_region else None
        pending = unique(p for p in parent.values() if p is not None and p not in region)

    def resolve(org: str) -> str | None:
        seen: set[str] = set()
        cur: str | None = org
        while cur is not None and cur not in seen:
            seen.add(cur)
            if region.get(cur) is not None:
                return region[cur]
            cur = parent.get(cur)
        return None

    out: dict[str, str] = {}
    for org in unique(org_ids):
        r = resolve(org)
        if r is not None:
            out[org] = r
    return out


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
