"""A scoped caller's whole-kind lists (``ScopedStore.ids_of_kind`` / ``visible_of_kind``, from the
store's ``ids_in_regions``) equal the id-by-id visibility check, on every backend, before and after a
write that moves officials into and out of a region."""

from __future__ import annotations

import pyarrow as pa

from graph.scope import Scope, ScopedStore
from loaders.demo.generator import generate
from loaders.load import load

SCOPES = [("620100",), ("620102",), ("620102", "620122"), ("999999",)]


def _ids(store, kind: str) -> list[str]:
    return sorted(pa.concat_tables(store.scan_nodes(kind, ["id"])).column("id").to_pylist())


def _check(store) -> int:
    seen = 0
    for kind in ("Official", "Organisation", "Issue", "Measure"):
        every = _ids(store, kind)
        for regions in SCOPES:
            scoped = ScopedStore(store, Scope(regions=regions))
            one_by_one = sorted(scoped.visible(every))
            assert scoped.ids_of_kind(kind) == one_by_one, (kind, regions)
            assert scoped.visible_of_kind(kind, every) == one_by_one, (kind, regions)
            assert scoped.visible_of_kind(kind, every[::-1]) == one_by_one[::-1], (kind, regions)
            seen += len(one_by_one)
    return seen


def test_whole_kind_lists_equal_the_per_id_check(store) -> None:
    load(store, generate("small"))
    assert _check(store) > 100
    # A new official in 城关区 and a post there: the lists follow the write.
    org = next(iter(ScopedStore(store, Scope(regions=("620102",))).ids_of_kind("Organisation")))
    load(
        store,
        {
            "Official": pa.table({"id": ["OF-NEW-1"], "name": ["新干部"]}),
            "HELD_POST": pa.table(
                {"from": ["OF-NEW-1"], "to": [org], "title": ["科员"], "post_kind": ["staff"], "start": ["2023-01-01"]}
            ),
        },
    )
    assert "OF-NEW-1" in ScopedStore(store, Scope(regions=("620102",))).ids_of_kind("Official")
    assert "OF-NEW-1" not in ScopedStore(store, Scope(regions=("620122",))).ids_of_kind("Official")
    _check(store)


def test_hidden_kinds_and_unrestricted_scopes(store) -> None:
    load(store, generate("small"))
    every = _ids(store, "Official")
    assert ScopedStore(store, Scope(kinds=frozenset({"Issue"}))).ids_of_kind("Official") == []
    assert ScopedStore(store, Scope(kinds=frozenset({"Issue"}))).visible_of_kind("Official", every) == []
    assert ScopedStore(store, Scope(kinds=frozenset({"Official"}))).ids_of_kind("Official") is None
    assert ScopedStore(store, Scope()).visible_of_kind("Official", every) == every
