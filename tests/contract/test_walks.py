"""Walks (``GraphStore.follow``) of three and more hops that repeat a relationship kind, on every
backend, against the in-memory store (the reference: a plain enumeration of paths).

LadybugDB 0.22 dropped and invented rows for such walks when the "never the same relationship twice"
filter spanned more than two hops; the chain's walks repeat LED_TO, so this is not academic.
"""

from __future__ import annotations

import pytest

import loaders
from graph.memory_store import MemoryStore
from graph.port import Hop
from loaders.demo import generate

WALKS = {
    "posts, colleagues, their posts": [
        Hop(("HELD_POST",), "out"),
        Hop(("HELD_POST",), "in"),
        Hop(("HELD_POST",), "out"),
    ],
    "four hops through colleagues": [Hop(("HELD_POST",), "out"), Hop(("HELD_POST",), "in")] * 2,
    "region, siblings, their organisations": [
        Hop(("IN_REGION",), "out"),
        Hop(("PART_OF",), "out"),
        Hop(("PART_OF",), "in"),
        Hop(("IN_REGION",), "in"),
    ],
}


@pytest.fixture(scope="module")
def demo_tables():
    return generate("small")


@pytest.fixture(scope="module")
def reference(demo_tables):
    ref = MemoryStore()
    loaders.load(ref, demo_tables)
    return ref


@pytest.mark.parametrize("walk", sorted(WALKS))
def test_long_walks_match_the_reference(store, demo_tables, reference, walk):
    if store.backend == "memory":
        pytest.skip("the reference itself")
    loaders.load(store, demo_tables)
    starts = sorted({e.source for e in reference.edges(["620100"], ("IN_REGION",), "in")})
    officials = sorted({r for t in reference.scan_edges("HELD_POST") for r in t.column("from").to_pylist()})[:40]
    ids = officials if walk != "region, siblings, their organisations" else starts[:40]
    assert ids
    hops = WALKS[walk]
    for node in ids:
        want = reference.follow([node], hops)
        got = store.follow([node], hops)
        assert [e.id for e in got] == [e.id for e in want], f"{walk} from {node}"
    # and all at once
    assert [e.id for e in store.follow(ids, hops)] == [e.id for e in reference.follow(ids, hops)]
