"""The search index's file beside the embedded store (graph/search_file.py, api/search.py).

A restart loads the file when the store's data are those it was made from; when they changed (a
write, a load by another process, a restore), or the file is damaged or truncated, it builds afresh
and answers from the data as stored — never from the file.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest

from api.search import LiveSearch
from graph import search_file
from graph.ladybug import LadybugStore
from graph.ladybug import version as data_version
from graph.port import WriteBatch
from tests.contract.test_store_contract import graph, nodes


def _live(store: LadybugStore) -> LiveSearch:
    live = LiveSearch.start(store, check_every=0.0)
    live.wait_until_fresh()
    return live


def _index_file(folder: Path) -> Path:
    return folder / search_file.FILE_NAME


def _saved(folder: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Wait for the background save after a build (it follows the build's log line)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if any("search index saved" in r.getMessage() for r in caplog.records):
            return
        time.sleep(0.02)
    raise AssertionError(f"no index saved in {folder}: {[r.getMessage() for r in caplog.records]}")


def _how(caplog: pytest.LogCaptureFixture) -> list[str]:
    """How each index came to be: "search index built", "… loaded from its file", "… rebuilt after a write"."""
    said = [r.getMessage().split(":")[0] for r in caplog.records]
    return [m for m in said if m.startswith(("search index built", "search index loaded", "search index rebuilt"))]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    store = LadybugStore(tmp_path / "store")
    store.write(graph())
    store.close()
    return tmp_path / "store"


def test_a_restart_loads_the_saved_index_and_it_answers_as_a_built_one(folder, caplog):
    caplog.set_level(logging.INFO, logger="wenze.search")
    store = LadybugStore(folder)
    built = _live(store)
    _saved(folder, caplog)
    expected = {q: built.search(q, 10) for q in ("王芳", "wf", "wangfang", "兰州", "交通")}
    assert expected["王芳"] == ["P2"] and expected["兰州"]  # the fixture's 王芳 is P2
    store.close()
    caplog.clear()

    store = LadybugStore(folder)
    loaded = _live(store)
    assert _how(caplog)[0] == "search index loaded from its file"
    assert {q: loaded.search(q, 10) for q in expected} == expected
    assert loaded.ids_of("Official") == built.ids_of("Official")
    assert loaded.containing("Official", "name", "芳") == ["P2"]
    # A write after a load: the loaded index's posting lists take new entries like built ones.
    store.write(WriteBatch(nodes=[nodes("Official", id=["P9"], name=["王芳芳"])]))
    loaded.wait_until_fresh()
    assert loaded.search("王芳芳", 5) == ["P9"]
    store.close()


def test_a_write_since_the_save_means_a_fresh_build_with_the_new_data(folder, caplog):
    caplog.set_level(logging.INFO, logger="wenze.search")
    store = LadybugStore(folder)
    _live(store)
    _saved(folder, caplog)
    store.close()
    saved = _index_file(folder).read_bytes()

    store = LadybugStore(folder)  # another process's `wenze load` would do the same
    store.write(WriteBatch(nodes=[nodes("Official", id=["P2"], name=["赵敏"])]))
    store.close()
    assert _index_file(folder).read_bytes() == saved  # the file is as it was: only its version is old
    caplog.clear()

    store = LadybugStore(folder)
    live = _live(store)
    assert _how(caplog)[0] == "search index built"
    assert live.search("王芳", 10) == [] and live.search("赵敏", 10) == ["P2"]  # not the saved answer
    _saved(folder, caplog)
    store.close()
    caplog.clear()
    store = LadybugStore(folder)
    again = _live(store)
    assert _how(caplog)[0] == "search index loaded from its file"  # the new build was kept
    assert again.search("赵敏", 10) == ["P2"] and again.search("王芳", 10) == []
    store.close()


@pytest.mark.parametrize(
    "damage",
    ["truncated", "a flipped byte", "empty", "not an index", "extra bytes"],
)
def test_a_damaged_file_is_never_used_and_never_stops_the_start(folder, caplog, damage):
    caplog.set_level(logging.INFO, logger="wenze.search")
    store = LadybugStore(folder)
    _live(store)
    _saved(folder, caplog)
    store.close()
    path = _index_file(folder)
    data = bytearray(path.read_bytes())
    if damage == "truncated":
        data = data[: len(data) * 2 // 3]
    elif damage == "a flipped byte":
        data[len(data) - 40] ^= 0x5A
    elif damage == "empty":
        data = bytearray()
    elif damage == "not an index":
        data = bytearray(b"\x80\x04garbage" * 100)
    else:
        data += b"\x00" * 8
    path.write_bytes(bytes(data))
    caplog.clear()

    store = LadybugStore(folder)
    live = _live(store)
    messages = [r.getMessage() for r in caplog.records]
    assert any("building the index" in m for m in messages), messages
    assert _how(caplog) == ["search index built"]
    assert live.search("王芳", 10) == ["P2"]
    _saved(folder, caplog)
    store.close()
    assert search_file.load(path, data_version.on_disk(folder) or "") is not None  # rewritten whole


def test_a_file_for_another_version_or_with_no_version_is_not_loaded(folder, caplog):
    caplog.set_level(logging.INFO, logger="wenze.search")
    store = LadybugStore(folder)
    live = _live(store)
    _saved(folder, caplog)
    path, key = store.cache_file(search_file.FILE_NAME)
    assert key is not None and path == _index_file(folder)
    assert search_file.load(path, key) is not None
    assert search_file.load(path, key + "0") is None
    data_version.begin_write(folder)  # a write under way (in this process or, on Neo4j, another)
    assert store.cache_file(search_file.FILE_NAME)[1] is None
    data_version.end_write(folder)
    assert store.cache_file(search_file.FILE_NAME)[1] not in (None, key)
    assert live.search("王芳", 5) == ["P2"]
    store.close()


def test_a_process_that_died_mid_write_leaves_no_version_a_file_can_match(folder):
    store = LadybugStore(folder)
    _, key = store.cache_file(search_file.FILE_NAME)
    store.close()
    data_version.begin_write(folder)  # as a write does before BEGIN; the process dies here
    assert data_version.on_disk(folder) is None
    store = LadybugStore(folder)  # the next open marks a fresh version
    _, after = store.cache_file(search_file.FILE_NAME)
    store.close()
    assert after is not None and after != key


def test_every_write_and_clear_changes_the_version(folder):
    store = LadybugStore(folder)
    seen = [store.cache_file(search_file.FILE_NAME)[1]]
    store.write(WriteBatch(nodes=[nodes("Official", id=["P2"], name=["赵敏"])]))
    seen.append(store.cache_file(search_file.FILE_NAME)[1])
    store.clear()
    seen.append(store.cache_file(search_file.FILE_NAME)[1])
    store.close()
    assert None not in seen and len(set(seen)) == 3


def test_a_store_opened_to_warm_later_builds_its_id_map_after_the_first_index(folder, caplog):
    """A server opens the embedded store with ``warm_later`` (api/app.py): its id map is built once the
    search index is in (one build at a time beside the first requests), and it answers before that."""
    caplog.set_level(logging.INFO, logger="wenze.search")
    store = LadybugStore(folder, warm_later=True)
    try:
        assert not store._ids.built
        assert store.kinds_of(["P2", "NOPE"]) == {"P2": "Official"}  # from the engine meanwhile
        live = _live(store)
        deadline = time.monotonic() + 30
        while not store._ids.built and time.monotonic() < deadline:
            time.sleep(0.02)
        assert store._ids.built
        assert any(r.getMessage().startswith("store warmed") for r in caplog.records)
        assert live.search("王芳", 5) == ["P2"] and store.kinds_of(["P2", "NOPE"]) == {"P2": "Official"}
    finally:
        store.close()
