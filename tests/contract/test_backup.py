"""``wenze backup`` / ``wenze restore`` on the embedded store: same answers after a restore as at backup time."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import ladybug
import pytest

from graph.ladybug import LadybugStore
from graph.ladybug.backup import BackupFailed, backup, counts, restore
from loaders import load
from tests.contract.bundles import GOOD, snapshot, write_bundle

ROOT = Path(__file__).resolve().parents[2]
IDS = ["P1", "P2", "ISS-1", "M-1", "ORG-LZ-JT"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wenze(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WENZE_DATA_DIR": str(data), "WENZE_BACKEND": "embedded", "PYTHONPATH": str(ROOT)}
    env["WENZE_SERVER_URL"] = f"http://127.0.0.1:{free_port()}"  # no server answers for a held store
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args], env=env, capture_output=True, text=True, cwd=ROOT, timeout=120
    )


def _changes(tmp_path: Path) -> Path:
    return write_bundle(
        tmp_path / "changes",
        {
            "Official.csv": "id,name\nP1,张伟（改）\nP3,新来的\n",
            "Issue.csv": "id,severity\nISS-1,major\n",
        },
    )


def test_backup_change_restore_gives_the_same_answers(tmp_path):
    data = tmp_path / "data"
    assert _wenze(data, "load", str(write_bundle(tmp_path / "good", GOOD))).returncode == 0
    store = LadybugStore(data)
    at_backup, nodes, tally = snapshot(store), store.get_nodes(IDS), counts(store)
    store.close()

    made = _wenze(data, "backup", str(tmp_path / "bk"))
    assert made.returncode == 0, made.stderr
    manifest = json.loads((tmp_path / "bk" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"] == tally and tally["nodes"]["Official"] == 2
    assert manifest["storage_version"] == ladybug.Database.get_storage_version()
    assert len(manifest["files"]["graph.lbug"]["sha256"]) == 64

    assert _wenze(data, "load", str(_changes(tmp_path))).returncode == 0
    store = LadybugStore(data)
    changed = snapshot(store)
    assert store.get_nodes(["P1"])["P1"]["name"] == "张伟（改）" and store.count_nodes("Official") == 3
    store.close()

    done = _wenze(data, "restore", str(tmp_path / "bk"))
    assert done.returncode == 0, done.stderr
    assert "checksums verified" in done.stderr and "replaced" in done.stderr
    store = LadybugStore(data)
    try:
        assert snapshot(store) == at_backup
        assert store.get_nodes(IDS) == nodes and counts(store) == tally
    finally:
        store.close()
    # The replaced store is kept aside, whole.
    [side] = (data / "replaced").iterdir()
    old = LadybugStore(side)
    try:
        assert snapshot(old) == changed
    finally:
        old.close()


def test_backup_during_writes_in_the_same_process_is_before_or_after(tmp_path):
    """A backup taken while another thread loads holds the store before the load or after it."""
    store = LadybugStore(tmp_path / "data")
    try:
        load(store, write_bundle(tmp_path / "good", GOOD))
        before = snapshot(store)
        big = tmp_path / "big"
        big.mkdir()
        (big / "Official.csv").write_text(
            "id,name\n" + "".join(f"Q{i},干部{i}\n" for i in range(50_000)), encoding="utf-8"
        )
        writer = threading.Thread(target=load, args=(store, big))
        writer.start()
        time.sleep(0.05)
        backup(store, tmp_path / "bk")
        writer.join()
        after = snapshot(store)
    finally:
        store.close()
    restore(tmp_path / "bk", tmp_path / "restored")
    copy = LadybugStore(tmp_path / "restored")
    try:
        assert snapshot(copy) in (before, after)
    finally:
        copy.close()


def test_backup_and_restore_refuse_a_store_held_by_another_process(tmp_path):
    data = tmp_path / "data"
    assert _wenze(data, "load", str(write_bundle(tmp_path / "good", GOOD))).returncode == 0
    assert _wenze(data, "backup", str(tmp_path / "bk")).returncode == 0
    store = LadybugStore(data)  # this process now holds the store, as a server would
    try:
        made = _wenze(data, "backup", str(tmp_path / "bk2"))
        assert made.returncode == 2
        assert f"process {os.getpid()}" in made.stderr and "has to be made by the server" in made.stderr
        assert "no server answered" in made.stderr
        done = _wenze(data, "restore", str(tmp_path / "bk"))
        assert done.returncode == 2
        assert f"in use by another process (process {os.getpid()})" in done.stderr
        assert "nothing was changed" in done.stderr and not (data / "replaced").exists()
    finally:
        store.close()


def test_a_damaged_backup_is_refused_and_the_store_left_alone(tmp_path):
    data = tmp_path / "data"
    assert _wenze(data, "load", str(write_bundle(tmp_path / "good", GOOD))).returncode == 0
    assert _wenze(data, "backup", str(tmp_path / "bk")).returncode == 0
    with open(tmp_path / "bk" / "graph.lbug", "r+b") as f:
        f.seek(5000)
        byte = f.read(1)
        f.seek(5000)
        f.write(bytes([byte[0] ^ 0xFF]))
    done = _wenze(data, "restore", str(tmp_path / "bk"))
    assert done.returncode == 4 and "does not match its checksum" in done.stderr
    assert not (data / "replaced").exists()
    with pytest.raises(BackupFailed, match="has no manifest.json"):
        restore(tmp_path / "good", data)


def test_backup_refuses_a_folder_that_is_not_empty(tmp_path):
    store = LadybugStore(tmp_path / "data")
    try:
        (tmp_path / "bk").mkdir()
        (tmp_path / "bk" / "something").write_text("x")
        with pytest.raises(BackupFailed, match="not an empty folder"):
            backup(store, tmp_path / "bk")
    finally:
        store.close()


def test_neo4j_backend_points_at_neo4j_admin(tmp_path):
    env = {**os.environ, "WENZE_BACKEND": "neo4j", "WENZE_NEO4J_DATABASE": "wenze", "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-m", "api.cli", "backup", str(tmp_path / "bk")],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert out.returncode == 2 and "neo4j-admin database dump wenze" in out.stderr


def test_a_store_just_opened_folds_its_log_before_a_copy(tmp_path):
    """A store builds its id map in a thread from open; a CHECKPOINT beside that build left the log in
    place (7 of 10 tries), and `wenze backup` then refused. at_rest waits for the build."""
    data = tmp_path / "data"
    assert _wenze(data, "load", str(write_bundle(tmp_path / "good", GOOD))).returncode == 0
    left = 0
    for _ in range(5):
        store = LadybugStore(data)
        store.get_nodes(IDS)  # a read, so the store has a log to fold
        store.close()
        store = LadybugStore(data)  # the id map's build starts here
        try:
            with store.at_rest() as folder:
                left += (folder / "graph.lbug.wal").exists()
        finally:
            store.close()
    assert left == 0
