"""Torn writes and full disks on the embedded store: every case opens again, in its last committed state.

The child processes run the real command line (``tests/contract/kill_at.py``); a full disk is a small
tmpfs mounted for the test (skipped, with the reason, where mounting is not permitted).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from graph.ladybug import LadybugStore
from graph.ladybug.recovery import RESERVE_NAME, estimate_bytes
from loaders.bundle import read_bundle
from loaders.validate import validate
from tests.contract.bundles import snapshot

ROOT = Path(__file__).resolve().parents[2]


def _officials(folder: Path, ids: range, name: str) -> Path:
    folder.mkdir(parents=True)
    with open(folder / "Official.csv", "w", encoding="utf-8") as f:
        f.write("id,name,birth_year\n")
        f.writelines(f"P{i},{name}{i},{1960 + i % 30}\n" for i in ids)
    return folder


def _wenze(
    data: Path,
    *args: str,
    kill_at: str | None = None,
    no_space_check: bool = False,
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WENZE_DATA_DIR": str(data), "WENZE_BACKEND": "embedded", "PYTHONPATH": str(ROOT)}
    run = [sys.executable, "-m", "tests.contract.kill_at"]
    if kill_at:
        run += ["--when", kill_at]
    if no_space_check:
        run.append("--no-space-check")
    return subprocess.run([*run, "--", *args], env=env, capture_output=True, text=True, cwd=ROOT, timeout=300)


def _state(data: Path) -> tuple[dict[str, list[tuple]], LadybugStore]:
    store = LadybugStore(data)
    return snapshot(store), store


def _quarantined(data: Path) -> list[Path]:
    return sorted((data / "quarantine").glob("*/graph.lbug.wal"))


# ---------------------------------------------------------------- torn logs


@pytest.mark.parametrize("cut", ["last byte", "100 bytes in"])
def test_torn_log_keeps_every_complete_transaction(tmp_path, cut):
    """Two committed updates in the log, a third torn (its last byte missing, or all but its first
    100 bytes): the engine refuses the log; the store opens with the first two."""
    data = tmp_path / "data"
    seed = LadybugStore(data)
    seed.write(validate(read_bundle(_officials(tmp_path / "seed", range(300), "干部")), seed))
    seed.close()
    # A child commits three small updates and dies without closing: they stay in the log.
    child = (
        "import os, sys\nfrom graph.ladybug import LadybugStore\nfrom loaders.bundle import read_bundle\n"
        "from loaders.validate import validate\nfrom pathlib import Path\n"
        f"s = LadybugStore({str(data)!r})\nwal = Path({str(data)!r}) / 'graph.lbug.wal'\n"
        "for b in sys.argv[1:]:\n"
        "    s.write(validate(read_bundle(Path(b)), s))\n"
        "    print(wal.stat().st_size, flush=True)\n"
        "os._exit(0)\n"
    )
    bundles = [_officials(tmp_path / f"u{k}", range(100 * k, 100 * k + 100), f"改{k}-") for k in range(3)]
    out = subprocess.run(
        [sys.executable, "-c", child, *map(str, bundles)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=True,
    )
    sizes = [int(x) for x in out.stdout.split()]
    wal = data / "graph.lbug.wal"
    original = wal.read_bytes()
    with open(wal, "r+b") as f:  # tear the third transaction
        f.truncate(sizes[2] - 1 if cut == "last byte" else sizes[1] + 100)
    torn = wal.read_bytes()

    store = LadybugStore(data)
    try:
        assert store.recovery is not None and store.recovery.replayed
        names = {n["id"]: n["name"] for n in store.get_nodes([f"P{i}" for i in range(300)]).values()}
        assert [names[f"P{i}"] for i in (0, 150, 250)] == ["改0-0", "改1-150", "干部250"]
        assert _quarantined(data)[0].read_bytes() == torn  # the refused log, as found
        assert (store.recovery.folder / "graph.lbug").exists()
        assert str(store.recovery.folder) in store.recovery.message()
        assert len(original) == sizes[2]
    finally:
        store.close()
    # Opening again needs no recovery: the store is whole.
    again = LadybugStore(data)
    assert again.recovery is None and again.count_nodes("Official") == 300
    again.close()


def test_sigkill_while_the_log_is_written_update_path(tmp_path):
    """``wenze load`` killed while the engine writes its log at COMMIT: the next open sets the torn
    log aside and the store is as before the load (the operator's "WAL file is corrupted")."""
    data = tmp_path / "data"
    assert _wenze(data, "load", str(_officials(tmp_path / "seed", range(30_000), "干部"))).returncode == 0
    before, store = _state(data)
    store.close()
    update = _officials(tmp_path / "upd", range(30_000), "新的名字")
    killed = _wenze(data, "load", str(update), kill_at="graph.lbug.wal:524288")
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert (data / "graph.lbug.wal").stat().st_size >= 524288

    opened = _wenze(data, "load", "--dry-run", str(update))  # any command that opens the store
    assert opened.returncode == 0, opened.stderr
    assert "存储已恢复 store recovered" in opened.stderr and "quarantine" in opened.stderr
    [log] = _quarantined(data)
    assert log.stat().st_size >= 524288 and str(log.parent) in opened.stderr
    after, store = _state(data)
    try:
        assert after == before
        assert store.recovery is None  # recovered once, by the dry run
    finally:
        store.close()
    # And the same load now goes through.
    assert _wenze(data, "load", str(update)).returncode == 0
    store = LadybugStore(data)
    assert store.get_nodes(["P7"])["P7"]["name"] == "新的名字7"
    store.close()


def test_sigkill_during_checkpoint_new_data_path(tmp_path):
    """Killed after COMMIT while the engine checkpoints new rows: the engine itself returns to the
    state before the load; nothing is set aside."""
    data = tmp_path / "data"
    assert _wenze(data, "load", str(_officials(tmp_path / "seed", range(20_000), "干部"))).returncode == 0
    before, store = _state(data)
    store.close()
    killed = _wenze(
        data, "load", str(_officials(tmp_path / "new", range(20_000, 120_000), "新人")), kill_at="graph.lbug.shadow:0"
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    after, store = _state(data)
    try:
        assert after == before and store.recovery is None
    finally:
        store.close()


def test_a_held_store_names_the_process_not_a_torn_log(tmp_path):
    data = tmp_path / "data"
    store = LadybugStore(data)
    try:
        out = _wenze(data, "load", "--dry-run", str(_officials(tmp_path / "b", range(3), "干部")))
        assert out.returncode == 2
        assert f"process {os.getpid()}" in out.stderr and "in use by another process" in out.stderr
        assert "WAL" not in out.stderr
    finally:
        store.close()


# ---------------------------------------------------------------- disk space


def _disk_use(folder: Path) -> int:
    total = 0
    for f in folder.iterdir():
        try:
            if f.is_file() and f.name != RESERVE_NAME:
                total += f.stat().st_blocks * 512
        except FileNotFoundError:
            pass
    return total


def test_space_estimate_covers_measured_peak(tmp_path):
    """The factor in estimate_bytes, measured again: peak disk use while writing, sampled every 0.5 ms."""
    data = tmp_path / "data"
    store = LadybugStore(data)
    try:
        for name, ids in (("new", range(20_000)), ("updated", range(20_000)), ("more", range(20_000, 21_000))):
            batch = validate(read_bundle(_officials(tmp_path / name, ids, f"{name}名字")), store)
            base, peak, stop = _disk_use(data), [0], threading.Event()

            def sample(peak=peak, stop=stop) -> None:
                while not stop.is_set():
                    peak[0] = max(peak[0], _disk_use(data))
                    time.sleep(0.0005)

            sampler = threading.Thread(target=sample)
            sampler.start()
            try:
                store.write(batch)
            finally:
                stop.set()
                sampler.join()
            assert 0 < peak[0] - base <= estimate_bytes(batch), name
    finally:
        store.close()


@pytest.fixture
def small_disk(tmp_path):
    """A 40 MiB tmpfs (root only)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=40m", "tmpfs", str(mount)], capture_output=True, text=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs to fill (needs root): {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(disk: Path, leave: int) -> Path:
    """A file that leaves about ``leave`` bytes free on ``disk``."""
    filler = disk / "filler"
    free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
    with open(filler, "wb") as f:
        os.posix_fallocate(f.fileno(), 0, max(0, free - leave))
    return filler


def test_full_disk_is_refused_before_writing(small_disk, tmp_path):
    data = small_disk / "data"
    assert _wenze(data, "load", str(_officials(tmp_path / "seed", range(20_000), "干部"))).returncode == 0
    before, store = _state(data)
    store.close()
    filler = _fill(small_disk, 6 << 20)
    out = _wenze(data, "load", str(_officials(tmp_path / "upd", range(20_000), "新的名字")))
    assert out.returncode == 3, out.stderr
    assert "not enough disk space, nothing was written" in out.stderr
    assert "MiB free" in out.stderr and "needs about" in out.stderr and "Traceback" not in out.stderr
    after, store = _state(data)  # usable at once, unchanged, even with the disk still full
    try:
        assert after == before
    finally:
        store.close()
    filler.unlink()


@pytest.mark.parametrize("path", ["update", "new"])
def test_disk_filling_during_the_write_never_aborts(small_disk, tmp_path, path):
    """The disk fills after the space check (``--no-space-check``: as if another program wrote to it):
    the loader exits with an error, not SIGABRT; the message does not contradict itself and matches
    what the store holds once space is freed (as before the load, or — when the engine had committed
    it and finishes the checkpoint at the next open — with the whole load; never a part)."""
    seed = _officials(tmp_path / "seed", range(20_000), "干部")
    ids = range(20_000) if path == "update" else range(20_000, 40_000)
    # An update writes only the columns that differ: names long enough that the log of 20,000 of them
    # (about 5 MB) cannot fit in the 3 MiB left.
    bundle = _officials(tmp_path / path, ids, "新的名字" * 20 if path == "update" else "新的名字")
    reference = tmp_path / "reference"  # the same two loads on a disk with room
    for b in (seed, bundle):
        assert _wenze(reference, "load", str(b)).returncode == 0
    loaded, store = _state(reference)
    store.close()

    data = small_disk / "data"
    assert _wenze(data, "load", str(seed)).returncode == 0
    before, store = _state(data)
    store.close()
    filler = _fill(small_disk, 3 << 20)
    out = _wenze(data, "load", str(bundle), no_space_check=True)
    assert out.returncode == 3, out.stderr  # WriteFailed; never -6 (SIGABRT)
    assert "磁盘" in out.stderr and "MiB free" in out.stderr and "Traceback" not in out.stderr
    assert "committed successfully" not in out.stderr and "rolled back" not in out.stderr
    filler.unlink()
    after, store = _state(data)
    try:
        if "nothing was written" in out.stderr:
            assert after == before
        elif "shows whether the interrupted write was kept" in out.stderr:
            assert after in (before, loaded)
        else:
            pytest.fail(f"unexpected message: {out.stderr}")
    finally:
        store.close()
