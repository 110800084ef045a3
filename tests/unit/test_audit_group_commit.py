"""Group commit in the audit log (api/audit/log.py): concurrent appends share one fdatasync, each returns
only once its own entry is on disk, and a failed group refuses exactly its own requests.

Figures: 48 threads × 8 appends → 384 entries, each once, chain intact, in fewer groups than entries;
every append returned after the bytes holding its entry were synced; a failing fdatasync refused the
6 requests queued in that group and no other.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from api.audit.log import AuditLog, AuditUnavailable, log_files
from api.audit.verify import read_entries, verify_log

KEY = bytes(range(32))
_real_sync = getattr(os, "fdatasync", None) or os.fsync


class Disk:
    """Stands in for fdatasync: counts calls, can hold a call until released, fail, or be slow;
    remembers each file's size when its last sync returned (what is on disk)."""

    def __init__(self) -> None:
        self.calls = 0
        self.hold: threading.Event | None = None
        self.held = threading.Event()
        self.fail_next = 0
        self.fail_file = ""  # fail every sync of the file with this name
        self.delay = 0.0
        self.durable: dict[str, int] = {}
        self.lock = threading.Lock()

    def __call__(self, fd: int) -> None:
        name = os.path.basename(os.readlink(f"/proc/self/fd/{fd}"))
        with self.lock:
            self.calls += 1
            failing = self.fail_next > 0 or (bool(self.fail_file) and name == self.fail_file)
            self.fail_next -= self.fail_next > 0
        if self.hold is not None:
            hold, self.hold = self.hold, None
            self.held.set()
            hold.wait(10)
        if self.delay:
            time.sleep(self.delay)
        if failing:
            raise OSError(5, "Input/output error (injected)")
        _real_sync(fd)
        with self.lock:
            self.durable[name] = os.fstat(fd).st_size


@pytest.fixture
def disk(monkeypatch: pytest.MonkeyPatch) -> Iterator[Disk]:
    fake = Disk()
    monkeypatch.setattr(os, "fdatasync", fake, raising=False)
    monkeypatch.setattr(os, "fsync", fake)  # the folder's sync after a new file (and fsync-only systems)
    yield fake


def _record(n: int, **extra: Any) -> dict[str, Any]:
    return {"type": "request", "request_id": f"req-{n}", "user": f"u{n % 5}", "outcome": "ok", **extra}


def _entries(folder: Path) -> list[dict[str, Any]]:
    return list(read_entries(folder, include_checkpoints=True))


def _run_threads(targets: list[Callable[[], None]]) -> None:
    threads = [threading.Thread(target=t) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not any(t.is_alive() for t in threads)


def _wait_queued(log: AuditLog, n: int) -> None:
    deadline = time.monotonic() + 10
    while len(log._queue) < n:
        assert time.monotonic() < deadline, f"only {len(log._queue)} of {n} appends queued"
        time.sleep(0.005)


def test_concurrent_appends_are_all_written_once_in_fewer_syncs(tmp_path: Path, disk: Disk) -> None:
    disk.delay = 0.004  # a disk as slow as a busy one: appends pile up behind each sync
    log = AuditLog(tmp_path, KEY, checkpoint_every=50)
    returned: dict[str, dict[str, Any]] = {}
    late: list[str] = []

    def worker(w: int) -> Callable[[], None]:
        def run() -> None:
            for i in range(8):
                entry = log.append(_record(w * 100 + i))
                returned[entry["request_id"]] = entry
                # On disk before append returned: the synced prefix of the file holds the line.
                name = log_files(tmp_path)[-1].name
                with disk.lock:
                    durable = disk.durable.get(name, 0)
                if entry["mac"].encode() not in (tmp_path / name).read_bytes()[:durable]:
                    late.append(entry["request_id"])

        return run

    _run_threads([worker(w) for w in range(48)])
    assert late == []
    requests = [e for e in _entries(tmp_path) if e.get("type") == "request"]
    ids = [e["request_id"] for e in requests]
    assert len(ids) == 384 and len(set(ids)) == 384
    assert {e["request_id"]: e for e in requests} == returned  # each entry as the caller was told
    report = verify_log(tmp_path, KEY, "hmac-sha256")
    assert report.ok, report.problems
    assert report.entries == 1 + 384 + report.checkpoints - 1  # the opening checkpoint, the requests, periodic ones
    assert report.checkpoints - 1 == (1 + 384 + report.checkpoints - 1) // 50  # periodic ones still every 50
    assert log.grouped == 384 and log.groups < 384 / 4, (log.groups, disk.calls)
    # one fdatasync per group (plus the folder's, once, for the new day's file)
    assert disk.calls == log.groups + 1
    seqs = [e["seq"] for e in _entries(tmp_path)]
    assert seqs == list(range(1, len(seqs) + 1))  # chain order is the order written


Outcomes = dict[str, dict[str, Any] | Exception]


def _queue_behind_a_held_sync(
    log: AuditLog, disk: Disk, first: dict[str, Any], queued: list[dict[str, Any]]
) -> tuple[dict[str, Any], Outcomes]:
    """Start ``first`` and hold its sync; queue ``queued`` behind it (they become the next group).
    Returns (what ``_finish`` releases, the outcome of each append by request id, filled as they end)."""
    outcomes: Outcomes = {}

    def append(record: dict[str, Any]) -> Callable[[], None]:
        def run() -> None:
            try:
                outcomes[record["request_id"]] = log.append(record)
            except AuditUnavailable as e:
                outcomes[record["request_id"]] = e

        return run

    release = threading.Event()
    disk.hold = release
    leader = threading.Thread(target=append(first))
    leader.start()
    assert disk.held.wait(10)
    followers = [threading.Thread(target=append(r)) for r in queued]
    for t in followers:
        t.start()
    _wait_queued(log, len(queued))
    return {"release": release, "threads": [leader, *followers]}, outcomes


def _finish(control: dict[str, Any]) -> None:
    control["release"].set()
    for t in control["threads"]:
        t.join(30)


def test_a_failed_sync_refuses_exactly_the_requests_of_its_group(tmp_path: Path, disk: Disk) -> None:
    log = AuditLog(tmp_path, KEY)
    log.append(_record(0))
    group = [_record(n) for n in range(10, 16)]
    control, outcomes = _queue_behind_a_held_sync(log, disk, _record(1), group)
    disk.fail_next = 1  # the held sync (request 1's group) succeeds; the next one — the six queued — fails
    _finish(control)
    assert isinstance(outcomes["req-1"], dict)
    refused = sorted(k for k, v in outcomes.items() if isinstance(v, AuditUnavailable))
    assert refused == [f"req-{n}" for n in range(10, 16)]
    assert all("Input/output error" in str(outcomes[k]) for k in refused)
    log.append(_record(2))
    written = [e["request_id"] for e in _entries(tmp_path) if e.get("type") == "request"]
    assert written == ["req-0", "req-1", "req-2"]  # the refused group's lines were cut back off the file
    report = verify_log(tmp_path, KEY, "hmac-sha256")
    assert report.ok, report.problems


def test_a_record_that_cannot_be_written_is_refused_alone(tmp_path: Path, disk: Disk) -> None:
    log = AuditLog(tmp_path, KEY)
    circular: dict[str, Any] = {}
    circular["self"] = circular
    group = [_record(10), _record(11, variables=circular), _record(12)]
    control, outcomes = _queue_behind_a_held_sync(log, disk, _record(1), group)
    _finish(control)
    assert isinstance(outcomes["req-11"], AuditUnavailable)
    assert all(isinstance(outcomes[f"req-{n}"], dict) for n in (1, 10, 12))
    written = [e["request_id"] for e in _entries(tmp_path) if e.get("type") == "request"]
    assert written == ["req-1", "req-10", "req-12"]
    assert verify_log(tmp_path, KEY, "hmac-sha256").ok


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2024, 5, 1, 23, 59, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def test_a_failed_group_at_rotation_is_cut_back_from_both_files(tmp_path: Path, disk: Disk) -> None:
    clock = Clock()
    log = AuditLog(tmp_path, KEY, clock=clock)
    log.append(_record(0))
    before = (tmp_path / "audit-2024-05-01.jsonl").read_bytes()
    clock.now += timedelta(minutes=2)  # the next group opens 2024-05-02
    disk.fail_file = "audit-2024-05-02.jsonl"  # the old file's rotation checkpoint is synced, the new file fails
    with pytest.raises(AuditUnavailable):
        log.append(_record(1))
    assert (tmp_path / "audit-2024-05-01.jsonl").read_bytes() == before  # the rotation checkpoint cut back too
    assert (tmp_path / "audit-2024-05-02.jsonl").stat().st_size == 0
    disk.fail_file = ""
    log.append(_record(2))
    report = verify_log(tmp_path, KEY, "hmac-sha256")
    assert report.ok, report.problems
    kinds = [(e.get("reason") or e.get("request_id")) for e in _entries(tmp_path)]
    assert kinds == ["open", "req-0", "rotation", "open", "req-2"]


def test_a_head_left_behind_by_a_crash_is_rebuilt_but_a_cut_end_stays_visible(tmp_path: Path, disk: Disk) -> None:
    log = AuditLog(tmp_path, KEY)
    for n in range(3):
        log.append(_record(n))
    stale = (tmp_path / "HEAD").read_bytes()
    log.append(_record(3))
    (tmp_path / "HEAD").write_bytes(stale)  # the crash lost HEAD's last write; the entry was synced
    log.append(_record(4))
    report = verify_log(tmp_path, KEY, "hmac-sha256")
    assert report.ok, report.problems
    assert [e["seq"] for e in _entries(tmp_path)] == [1, 2, 3, 4, 5, 6]

    # Entries cut off the end are not papered over by the next write: the chain goes on from HEAD.
    copy = tmp_path / "copy"
    shutil.copytree(tmp_path, copy, ignore=shutil.ignore_patterns("copy"))
    path = log_files(copy)[-1]
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(lines[:-2]))
    AuditLog(copy, KEY).append(_record(5))
    problems = verify_log(copy, KEY, "hmac-sha256").problems
    assert any("chain broken" in p for p in problems), problems
    assert json.loads((copy / "HEAD").read_bytes())["seq"] == 7
