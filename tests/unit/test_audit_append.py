"""The audit append's fast path (api/audit/chain.py, api/audit/log.py): one serialisation per entry,
lines in the old form still verifying, files kept open between groups, and appends on the event loop
only while the disk is fast.

Figures: the line written is the canonical form of the entry with its MAC for every generated entry;
a log half in the old (standard library) form and half in the new verifies intact, and an edit of an
old line is still caught; 200 appends leave the open descriptors where 1 left them; a log whose files
were removed under it writes new ones; one slow write turns the quick path off, and it comes back.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import api.audit.chain as chain
from api.audit.chain import canonical, entry_mac, entry_matches, legacy_canonical, mac_and_line
from api.audit.log import AuditLog, log_files
from api.audit.verify import read_entries, verify_log

KEY = bytes(range(32))
PREV = "ab" * 32

_keys = st.one_of(
    st.sampled_from(["m", "ma", "mac_", "maca", "mab", "ms", "objects", "prev", "seq", "用户", "Mac", "a"]),
    st.text(max_size=6),
).filter(lambda k: k != "mac")
_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),  # past 64 bits: the old form is used
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=8),
    ),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=4), inner, max_size=3)),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@example(entry={"a": 1e-07, "z": -(2**70)}, algorithm="hmac-sha256")  # the two forms differ; one half needs the old
@given(entry=st.dictionaries(_keys, _values, max_size=8), algorithm=st.sampled_from(["hmac-sha256", "hmac-sm3"]))
def test_the_line_written_is_the_canonical_form_of_the_entry_with_its_mac(
    entry: dict[str, Any], algorithm: str
) -> None:  # noqa: E501
    mac, line = mac_and_line(KEY, algorithm, PREV, entry)
    assert mac == entry_mac(KEY, algorithm, PREV, entry)
    assert line == canonical({**entry, "mac": mac})
    read = json.loads(line)
    assert read == {**entry, "mac": mac}
    assert entry_matches(KEY, algorithm, PREV, read, mac)  # what verify checks, from the line read back
    assert not entry_matches(KEY, algorithm, PREV, {**read, "extra": 1}, mac)


def test_a_log_in_the_old_form_and_the_new_verifies_and_an_old_edit_is_caught(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "audit"
    # 1e-07 is written "1e-07" by the standard library and "1e-7" by orjson: the two forms differ here
    record = {"type": "request", "user": "u", "variables": {"x": 1e-07}, "objects": []}
    with monkeypatch.context() as m:

        def old_only(entry: Any) -> bytes:
            raise TypeError("as before 2026-12-02")

        m.setattr(chain, "_fast", old_only)  # the log as the previous version wrote it
        old = AuditLog(folder, KEY)
        for _ in range(3):
            old.append(record)
        old.close()
    new = AuditLog(folder, KEY)
    for _ in range(3):
        new.append(record)
    new.close()
    lines = log_files(folder)[-1].read_bytes().splitlines()
    assert sum(b'"x":1e-07' in line for line in lines) == 3 and sum(b'"x":1e-7' in line for line in lines) == 3
    entry = json.loads(lines[2])
    assert legacy_canonical({k: v for k, v in entry.items() if k != "mac"}) != canonical(
        {k: v for k, v in entry.items() if k != "mac"}
    )
    report = verify_log(folder, KEY, "hmac-sha256")
    assert report.ok, report.problems
    edited = [*lines]
    edited[2] = lines[2].replace(b'"user":"u"', b'"user":"v"')
    log_files(folder)[-1].write_bytes(b"\n".join(edited) + b"\n")
    report = verify_log(folder, KEY, "hmac-sha256")
    assert not report.ok and any("MAC does not match" in p for p in report.problems)


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_files_stay_open_between_groups_and_are_opened_again_when_replaced(tmp_path: Path) -> None:
    folder = tmp_path / "audit"
    log = AuditLog(folder, KEY)
    log.append({"type": "request", "user": "a"})
    after_one = _open_fds()
    for i in range(200):
        log.append({"type": "request", "user": f"u{i}"})
    assert _open_fds() == after_one  # the lock, HEAD and today's file: kept, not one more a group
    # an operator moves today's file and HEAD away (and the lock): the log writes new ones, not into the old
    moved = tmp_path / "moved"
    moved.mkdir()
    for path in [*log_files(folder), folder / "HEAD", folder / ".lock"]:
        path.rename(moved / path.name)
    for path in moved.iterdir():  # and puts empty files in their place
        (folder / path.name).touch()
    log.append({"type": "request", "user": "after the move"})
    assert (folder / "HEAD").exists() and (folder / ".lock").exists()
    assert [e["user"] for e in read_entries(folder) if e.get("type") == "request"] == ["after the move"]
    assert not any(b"after the move" in p.read_bytes() for p in moved.iterdir())
    log.close()
    assert _open_fds() < after_one


def test_appends_are_quick_only_while_the_disk_is_fast(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import api.audit.log as audit_log

    delay = {"s": 0.0}
    real = audit_log._sync

    def disk(fd: int) -> None:
        time.sleep(delay["s"])
        real(fd)

    monkeypatch.setattr(audit_log, "_sync", disk)
    log = AuditLog(tmp_path / "audit", KEY, inline_ms=5, slow_for_s=0.3)
    log.append({"type": "request"})
    assert log.quick()
    delay["s"] = 0.02  # one write of 20 ms: appends go back to threads, where they group
    log.append({"type": "request"})
    assert not log.quick()
    delay["s"] = 0.0
    time.sleep(0.35)
    assert log.quick()  # the disk was fast again for slow_for_s
    assert not AuditLog(tmp_path / "audit", KEY, inline_ms=0).quick()  # 0: never on the loop
    assert verify_log(tmp_path / "audit", KEY, "hmac-sha256").ok
