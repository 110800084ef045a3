"""Group commit seen from outside (api/audit/log.py behind api/auth/edge.py), over real HTTP.

Figures: 40 concurrent signed-in requests → 40 answers, each request id in the log exactly once,
the chain intact, written with fewer fdatasyncs than requests; an answer is not sent while its
entry's fdatasync is held; a failing fdatasync refuses the requests of its group with 503
``AUDIT_UNAVAILABLE`` and no other request.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from api.audit.chain import load_key
from api.audit.log import AuditLog
from api.audit.verify import read_entries, verify_log
from api.settings import Settings
from tests.e2e.conftest import LiveServer, auth_headers, load_dataset, open_test_store

Q = '{ official(id: "OFF-ZW") { name } }'
_real_sync = getattr(os, "fdatasync", None) or os.fsync


class Disk:
    """fdatasync for the audit files: counted; may be slowed, held until released, or made to fail."""

    def __init__(self) -> None:
        self.calls = 0
        self.delay = 0.0
        self.hold: threading.Event | None = None
        self.held = threading.Event()
        self.fail = False
        self.lock = threading.Lock()

    def __call__(self, fd: int) -> None:
        with self.lock:
            self.calls += 1
            hold, self.hold = self.hold, None
            fail = self.fail
        if hold is not None:
            self.held.set()
            hold.wait(20)
        if self.delay:
            time.sleep(self.delay)
        if fail:
            raise OSError(5, "Input/output error (injected)")
        _real_sync(fd)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, Settings]]:
    folder = tmp_path_factory.mktemp("group-commit")
    store = open_test_store("embedded", folder / "db")
    load_dataset(store, "trap", folder)
    # every append on the audit's threads, where concurrent ones group (by default a fast disk's are
    # written on the event loop: tests/unit/test_audit_append.py)
    settings = Settings(data_dir=folder / "data", account_store="embedded", audit_inline_ms=0)
    live = LiveServer(store, settings).start()
    yield live, settings
    live.stop()
    store.close()


@pytest.fixture
def disk(monkeypatch: pytest.MonkeyPatch) -> Disk:
    fake = Disk()
    monkeypatch.setattr(os, "fdatasync", fake, raising=False)
    return fake


def _audit(live: LiveServer) -> AuditLog:
    log: AuditLog = live.server.config.app.state.audit  # the server's own log: its group counters
    return log


def _post(live: LiveServer) -> httpx.Response:
    return httpx.post(f"{live.url}/graphql", json={"query": Q}, headers=auth_headers(live.url), timeout=60)


def _verified(settings: Settings) -> Any:
    return verify_log(settings.audit_folder, load_key(settings.audit_key_path), settings.audit_algorithm)


def test_concurrent_requests_share_syncs_and_every_entry_is_there(
    server: tuple[LiveServer, Settings], disk: Disk
) -> None:
    live, settings = server
    disk.delay = 0.01  # a busy disk: requests arrive while a group is being synced
    groups_before, grouped_before = _audit(live).groups, _audit(live).grouped
    with ThreadPoolExecutor(40) as pool:
        answers = list(pool.map(lambda _: _post(live), range(40)))
    assert [r.status_code for r in answers] == [200] * 40
    assert all(r.json()["data"]["official"] == {"name": "张伟"} for r in answers)
    ids = {r.headers["x-request-id"] for r in answers}
    assert len(ids) == 40
    logged = [e["request_id"] for e in read_entries(settings.audit_folder) if e.get("request_id") in ids]
    assert sorted(logged) == sorted(ids)  # each exactly once
    report = _verified(settings)
    assert report.ok, report.problems
    groups = _audit(live).groups - groups_before
    assert _audit(live).grouped - grouped_before == 40
    assert groups < 40 and disk.calls == groups, (groups, disk.calls)


def test_an_answer_waits_for_its_entry_to_be_on_disk(server: tuple[LiveServer, Settings], disk: Disk) -> None:
    live, settings = server
    release = threading.Event()
    disk.hold = release
    with ThreadPoolExecutor(1) as pool:
        pending = pool.submit(_post, live)
        assert disk.held.wait(20)
        time.sleep(0.5)
        assert not pending.done()  # the entry is written but not yet synced: no answer yet
        release.set()
        answer = pending.result(30)
    assert answer.status_code == 200
    request_id = answer.headers["x-request-id"]
    assert [e["request_id"] for e in read_entries(settings.audit_folder) if e.get("request_id") == request_id] == [
        request_id
    ]


def test_a_failed_sync_refuses_exactly_its_group(server: tuple[LiveServer, Settings], disk: Disk) -> None:
    live, settings = server
    release = threading.Event()
    disk.hold = release
    with ThreadPoolExecutor(8) as pool:
        first = pool.submit(_post, live)  # its group's sync is held ...
        assert disk.held.wait(20)
        queued = [pool.submit(_post, live) for _ in range(6)]  # ... while six more queue as the next group
        deadline = time.monotonic() + 20
        while len(_audit(live)._queue) < 6:
            assert time.monotonic() < deadline, "the six requests did not reach the audit log"
            time.sleep(0.01)
        disk.fail = True  # the held sync succeeds (it was called before); the next one fails
        release.set()
        held_answer = first.result(30)
        refused = [f.result(30) for f in queued]
    disk.fail = False
    assert held_answer.status_code == 200
    assert [r.status_code for r in refused] == [503] * 6
    assert {r.json()["errors"][0]["extensions"]["code"] for r in refused} == {"AUDIT_UNAVAILABLE"}
    assert all("data" not in r.json() for r in refused)
    after = _post(live)
    assert after.status_code == 200
    report = _verified(settings)
    assert report.ok, report.problems  # the refused group left nothing behind in the chain
    ids = {e.get("request_id") for e in read_entries(settings.audit_folder)}
    assert held_answer.headers["x-request-id"] in ids and after.headers["x-request-id"] in ids


def test_a_fast_disk_is_written_from_the_event_loop_a_slow_one_from_the_audit_threads(
    server: tuple[LiveServer, Settings], disk: Disk, monkeypatch: pytest.MonkeyPatch
) -> None:
    live, settings = server
    log = _audit(live)
    threads: list[str] = []
    append = log.append

    def noted(record: dict[str, Any]) -> dict[str, Any]:
        threads.append(threading.current_thread().name)
        return append(record)

    monkeypatch.setattr(log, "append", noted)
    monkeypatch.setattr(log, "inline_ms", 50.0)
    monkeypatch.setattr(log, "slow_for_s", 60.0)
    monkeypatch.setattr(log, "_slow_until", 0.0)
    assert _post(live).status_code == 200
    loop_thread = threads[-1]
    assert not loop_thread.startswith("wenze-audit")  # written where the request's answer is sent
    disk.delay = 0.08  # a write slower than inline_ms: that one still on the loop, the next on a thread
    assert _post(live).status_code == 200
    disk.delay = 0.0
    assert _post(live).status_code == 200
    assert threads[-2] == loop_thread and threads[-1].startswith("wenze-audit"), threads
    assert _verified(settings).ok
