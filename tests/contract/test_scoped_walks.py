"""A scoped walk (``ScopedStore.follow``, one engine query with the scope tested on every node it
passes through) equals walking hop by hop and keeping only visible nodes at each hop (the way it was
answered before, kept here as the oracle), on every backend, for the chain's walks and others."""

from __future__ import annotations

from pathlib import Path

from graph.port import Hop
from graph.queries.chain import _CHAIN_WALKS
from graph.queries.responsibility import PRINCIPAL_POSTS
from graph.scope import Scope, ScopedStore
from loaders.demo.generator import generate
from loaders.load import load
from tests.e2e.trap_bundle import write_bundle

SCOPES = [
    Scope(regions=("620102",)),
    Scope(regions=("620100",)),
    Scope(regions=("620102", "620122")),
    Scope(regions=("620102",), kinds=frozenset({"Issue", "Organisation", "Official", "Region", "Inspection"})),
    Scope(kinds=frozenset({"Issue", "Case", "Clue", "Measure", "Official", "Organisation", "Region"})),
]
WALKS = [
    *_CHAIN_WALKS,
    list(PRINCIPAL_POSTS),
    [Hop(("AT",), "out"), Hop(("UNDER",), "out"), Hop(("IN_REGION",), "out"), Hop(("PART_OF",), "out")],
    [Hop(("LED_TO",), "out"), Hop(("LED_TO",), "out"), Hop(("DECIDED",), "out")],
    [Hop(("HELD_POST",), "out"), Hop(("HELD_POST",), "in")],
]


def _hop_by_hop(scoped: ScopedStore, ids: list[str], hops: list[Hop]) -> list[str]:
    """The oracle: one hop at a time through the unscoped store, keeping visible nodes only."""
    inner = scoped.inner
    frontier = sorted(scoped.visible(ids))
    last = []
    for n, hop in enumerate(hops):
        if not frontier:
            return []
        got = inner.follow(frontier, [hop])
        ok = scoped.visible({x for e in got for x in (e.source, e.target)})
        last = [e for e in got if e.source in ok and e.target in ok]
        if n < len(hops) - 1:
            frontier = sorted({e.target if hop.direction == "out" else e.source for e in last})
    if len(hops) > 1:  # a walk never uses one relationship twice: the whole walk's own check
        whole = {e.id for e in inner.follow(sorted(scoped.visible(ids)), hops)}
        last = [e for e in last if e.id in whole]
    return sorted(e.id for e in last)


def _starts(store) -> list[str]:
    ids: list[str] = []
    for kind in ("Issue", "Official", "Organisation"):
        for t in store.scan_nodes(kind, ["id"]):
            ids += t.column("id").to_pylist()
    return sorted(ids)


def _same(store, every: int) -> int:
    starts = _starts(store)[::every]
    compared = 0
    for scope in SCOPES:
        scoped = ScopedStore(store, scope)
        for hops in WALKS:
            want = _hop_by_hop(scoped, starts, hops)
            assert sorted(e.id for e in scoped.follow(starts, hops)) == want, (scope, hops)
            compared += len(want)
    return compared


def test_scoped_walks_equal_hop_by_hop_on_the_trap_bundle(store, tmp_path: Path) -> None:
    load(store, write_bundle(tmp_path / "trap"))
    assert _same(store, 1) > 0


def test_scoped_walks_equal_hop_by_hop_on_the_small_demo(store) -> None:
    load(store, generate("small"))
    assert _same(store, 7) > 100
