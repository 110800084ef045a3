"""What the contract suite (tests/contract, which runs on MemoryStore too) cannot show about it:
readers never see half a write, edge properties are the caller's copies, and walks and shortest
paths stay exact on graphs where relationships of one kind meet again (checked against a brute-force
search over ``edges``). Also: ``WENZE_BACKEND=memory`` opens one in-memory graph per process."""

from __future__ import annotations

import threading
from datetime import date
from itertools import product

import pyarrow as pa

from api.settings import Settings
from api.stores import open_store
from graph.columns import arrow_type, node_columns, rel_columns
from graph.memory_store import MemoryStore
from graph.port import Edge, Hop, NodeRows, RelRows, WriteBatch

OFFICIALS = [f"P{i}" for i in range(5)]
ORGS = ["ORG-A", "ORG-B", "ORG-C"]


def _nodes(kind: str, **columns: list[object]) -> NodeRows:
    props = node_columns(kind)
    return NodeRows(kind, pa.table({c: pa.array(v, arrow_type(props[c])) for c, v in columns.items()}))


def _rels(kind: str, pairs: list[tuple[str, str, str, str]], **columns: list[object]) -> RelRows:
    props = rel_columns(kind)
    data = {name: pa.array([p[i] for p in pairs], pa.string()) for i, name in enumerate(
        ("from", "to", "from_kind", "to_kind"))}  # fmt: skip
    data.update({c: pa.array(v, arrow_type(props[c])) for c, v in columns.items()})
    return RelRows(kind, pa.table(data))


def _tangle() -> MemoryStore:
    """Five officials, each with two posts (two starts) at each of three organisations, the
    organisations UNDER one another and IN_REGION one region: many walks and shortest paths."""
    store = MemoryStore()
    posts = [(p, o, s) for p, o, s in product(OFFICIALS, ORGS, (date(2019, 1, 1), date(2021, 6, 1)))]
    store.write(WriteBatch(
        nodes=[_nodes("Official", id=OFFICIALS, name=[f"干部{i}" for i in range(5)]),
               _nodes("Organisation", id=ORGS, name=["甲局", "乙局", "丙局"]),
               _nodes("Region", id=["620100"], name=["兰州市"])],
        rels=[_rels("HELD_POST", [(p, o, "Official", "Organisation") for p, o, _ in posts],
                    post_kind=["staff"] * len(posts), start=[s for _, _, s in posts]),
              _rels("UNDER", [("ORG-B", "ORG-A", "Organisation", "Organisation"),
                              ("ORG-C", "ORG-B", "Organisation", "Organisation")]),
              _rels("IN_REGION", [(o, "620100", "Organisation", "Region") for o in ORGS])],
    ))  # fmt: skip
    return store


def _walk_by_brute_force(store: MemoryStore, starts: list[str], hops: list[Hop]) -> list[str]:
    """Every walk, one ``edges`` call per step, no relationship twice in a walk: last edges' ids."""
    found: set[str] = set()

    def go(node_id: str, i: int, used: frozenset[str]) -> None:
        hop = hops[i]
        for e in store.edges([node_id], hop.types, hop.direction):
            if e.id in used or (hop.where is not None and e.props[hop.where[0]] not in hop.where[1]):
                continue
            if i == len(hops) - 1:
                found.add(e.id)
            else:
                go(e.target if hop.direction == "out" else e.source, i + 1, used | {e.id})

    for start in starts:
        go(start, 0, frozenset())
    return sorted(found)


def _paths_by_brute_force(store: MemoryStore, source: str, target: str, max_hops: int) -> list[list[str]]:
    """Every shortest undirected path (no node twice) as lists of edge ids, sorted."""
    paths: list[list[str]] = []

    def go(node_id: str, seen: frozenset[str], path: list[str]) -> None:
        if node_id == target:
            paths.append(path)
            return
        if len(path) == max_hops:
            return
        for e in store.edges([node_id]):
            other = e.target if e.source == node_id else e.source
            if other not in seen:
                go(other, seen | {other}, [*path, e.id])

    go(source, frozenset([source]), [])
    shortest = min((len(p) for p in paths), default=0)
    return sorted(p for p in paths if len(p) == shortest)


def test_walks_never_reuse_a_relationship_and_miss_none():
    store = _tangle()
    back_and_forth = [Hop(("HELD_POST",), "out"), Hop(("HELD_POST",), "in"), Hop(("HELD_POST",), "out")]
    walks = [
        back_and_forth,
        [*back_and_forth, Hop(("HELD_POST",), "in")],
        [Hop(("HELD_POST",), "out"), Hop(("UNDER",), "out"), Hop(("HELD_POST",), "in")],
        [Hop(("HELD_POST",), "out"), Hop(("IN_REGION",), "out"), Hop(("IN_REGION",), "in"), Hop(("HELD_POST",), "in")],
    ]
    for walk in walks:
        for starts in (["P0"], OFFICIALS):
            got = [e.id for e in store.follow(starts, walk)]
            assert got == _walk_by_brute_force(store, starts, walk) != []
    # From P0 out, back in and out again: P0's own posts come back only through another official's.
    again = [e.id for e in store.follow(["P0"], back_and_forth)]
    assert len(again) == 30 and "HELD_POST|P0|ORG-A|2019-01-01" in again


def test_shortest_paths_come_in_edge_id_order_up_to_the_limit():
    store = _tangle()
    for source, target in [("P0", "P1"), ("P0", "620100"), ("P3", "ORG-A"), ("620100", "P4"), ("P2", "ORG-C")]:
        every = _paths_by_brute_force(store, source, target, 4)
        assert [[e.id for e in p] for p in store.shortest_paths(source, target, 4, limit=100)] == every != []
        assert [[e.id for e in p] for p in store.shortest_paths(source, target, 4, limit=5)] == every[:5]
    # P0 and P1 share three organisations, each by two posts of each: 3 × 2 × 2 paths of two hops.
    assert len(store.shortest_paths("P0", "P1", 2, limit=100)) == 12


def test_edge_properties_are_the_callers_copies():
    store = _tangle()
    post = store.edges(["P0"], ["HELD_POST"], limit=1)[0]
    post.props["post_kind"] = "changed by the caller"
    store.follow(["P0"], [Hop(("HELD_POST",), "out")])[0].props.clear()
    store.shortest_paths("P0", "ORG-A", 1)[0][0].props["start"] = None
    assert store.edges(["P0"], ["HELD_POST"], limit=1) == [
        Edge("HELD_POST", "P0", "ORG-A", {"title": None, "post_kind": "staff", "acting": None,
                                          "start": date(2019, 1, 1), "end": None})]  # fmt: skip


def test_readers_see_a_write_whole_or_not_at_all():
    store = MemoryStore()
    ids = [f"P{i}" for i in range(3000)]
    store.write(WriteBatch(nodes=[_nodes("Official", id=ids, name=["v0"] * len(ids))]))
    seen: list[set[str]] = []
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            seen.append({r["name"] for r in store.get_nodes(ids).values()})

    readers = [threading.Thread(target=read) for _ in range(2)]
    for t in readers:
        t.start()
    try:
        for version in range(1, 30):
            store.write(WriteBatch(nodes=[_nodes("Official", id=ids, name=[f"v{version}"] * len(ids))]))
    finally:
        done.set()
        for t in readers:
            t.join()
    assert len(seen) > 10
    assert all(len(names) == 1 for names in seen), [n for n in seen if len(n) > 1][:1]
    assert store.get_nodes(["P7"])["P7"]["name"] == "v29" and store.data_version() == 30


def test_the_memory_backend_is_one_graph_per_process():
    settings = Settings(_env_file=None, backend="memory")  # type: ignore[call-arg]
    first = open_store(settings)
    assert first.backend == "memory" and isinstance(first, MemoryStore)
    first.write(WriteBatch(nodes=[_nodes("Region", id=["620000"], name=["甘肃省"])]))
    first.close()  # nothing to release: the graph stays for the next open_store, as files would
    again = open_store(settings)
    try:
        assert again is first and again.get_nodes(["620000"])["620000"]["name"] == "甘肃省"
    finally:
        again.clear()
