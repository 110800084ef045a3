"""The audit log (api/audit): the chain verifies, and each kind of tampering is detected.

Figures: edited, deleted, reordered, inserted, truncated (whole entries and a cut line), re-hashed
without the key, HEAD rolled back, a file removed — each detected (non-zero ``wenze audit verify``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import stat
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from api.audit.answer import answer_objects, root_fields
from api.audit.chain import GENESIS, AuditKeyError, canonical, load_key
from api.audit.log import AuditLog, AuditUnavailable, log_files
from api.audit.verify import read_entries, verify_log
from api.cli import main
from tests.figures import figure

KEY = bytes(range(32))


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def _log(folder: Path, clock: Callable[[], datetime] | None = None, **kw: object) -> AuditLog:
    return AuditLog(folder, KEY, clock=clock or Clock(), **kw)  # type: ignore[arg-type]


def _fill(log: AuditLog, n: int) -> None:
    for i in range(n):
        log.append(
            {
                "type": "request",
                "user": f"u{i % 3}",
                "objects": [{"kind": "Official", "id": f"OFF-{i}"}],
                "outcome": "ok",
            }
        )


def _lines(folder: Path) -> tuple[Path, list[bytes]]:
    path = log_files(folder)[-1]
    return path, path.read_bytes().splitlines(keepends=True)


def test_a_written_chain_verifies_with_checkpoints(tmp_path: Path) -> None:
    log = _log(tmp_path, checkpoint_every=5)
    _fill(log, 12)
    report = verify_log(tmp_path, KEY, "hmac-sha256")
    assert report.ok, report.problems
    # sequence numbers count checkpoints too: the opening (1), then a periodic one after seq 5, 10, 15
    assert report.entries == 1 + 12 + 3 and report.checkpoints == 4
    first = json.loads(_lines(tmp_path)[1][0])
    assert first["prev"] == GENESIS and first["seq"] == 1 and first["reason"] == "open"
    assert [e["user"] for e in read_entries(tmp_path, user="u1")] == ["u1"] * 4
    assert [e["objects"][0]["id"] for e in read_entries(tmp_path, node="OFF-7")] == ["OFF-7"]


def test_hmac_sm3_chains_verify_and_differ_from_sha256(tmp_path: Path) -> None:
    _fill(_log(tmp_path / "sm3", algorithm="hmac-sm3"), 3)
    assert verify_log(tmp_path / "sm3", KEY, "hmac-sm3").ok
    assert not verify_log(tmp_path / "sm3", KEY, "hmac-sha256").ok


def _edit(folder: Path) -> None:
    path, lines = _lines(folder)
    entry = json.loads(lines[4])
    entry["user"] = "someone-else"
    lines[4] = canonical(entry) + b"\n"
    path.write_bytes(b"".join(lines))


def _delete(folder: Path) -> None:
    path, lines = _lines(folder)
    path.write_bytes(b"".join(lines[:4] + lines[5:]))


def _reorder(folder: Path) -> None:
    path, lines = _lines(folder)
    lines[3], lines[4] = lines[4], lines[3]
    path.write_bytes(b"".join(lines))


def _insert(folder: Path) -> None:
    path, lines = _lines(folder)
    path.write_bytes(b"".join(lines[:4] + [lines[2]] + lines[4:]))


def _truncate_entries(folder: Path) -> None:
    path, lines = _lines(folder)
    path.write_bytes(b"".join(lines[:-2]))


def _cut_line(folder: Path) -> None:
    path, lines = _lines(folder)
    path.write_bytes(b"".join(lines[:-1]) + lines[-1][: len(lines[-1]) // 2])


def _rehash_without_key(folder: Path) -> None:
    """Edit an entry, then recompute every MAC after it with a guessed key (or plain SHA-256)."""
    path, lines = _lines(folder)
    entries = [json.loads(line) for line in lines]
    entries[4]["user"] = "someone-else"
    prev = entries[3]["mac"]
    for entry in entries[4:]:
        entry["prev"] = prev
        body = canonical({k: v for k, v in entry.items() if k != "mac"})
        entry["mac"] = hmac.new(b"guess" * 8, prev.encode() + b"\n" + body, hashlib.sha256).hexdigest()
        prev = entry["mac"]
    path.write_bytes(b"".join(canonical(e) + b"\n" for e in entries))


def _truncate_and_forge_head(folder: Path) -> None:
    path, lines = _lines(folder)
    path.write_bytes(b"".join(lines[:-2]))
    last = json.loads(lines[-3])
    (folder / "HEAD").write_text(
        json.dumps({"seq": last["seq"], "mac": last["mac"], "file": path.name, "hmac": "0" * 64})
    )


def _delete_head(folder: Path) -> None:
    (folder / "HEAD").unlink()


TAMPERING = {
    "edited": _edit,
    "deleted": _delete,
    "reordered": _reorder,
    "inserted (replayed)": _insert,
    "truncated (whole entries)": _truncate_entries,
    "truncated (a line cut in half)": _cut_line,
    "re-hashed without the key": _rehash_without_key,
    "truncated, HEAD forged": _truncate_and_forge_head,
    "HEAD removed": _delete_head,
}


@pytest.mark.parametrize("kind", list(TAMPERING))
def test_each_kind_of_tampering_is_detected(
    tmp_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "audit"
    _fill(_log(folder), 8)
    key_file = tmp_path / "audit.key"
    key_file.write_text(KEY.hex())
    key_file.chmod(0o600)
    monkeypatch.setenv("WENZE_AUDIT_DIR", str(folder))
    monkeypatch.setenv("WENZE_AUDIT_KEY_FILE", str(key_file))
    assert main(["audit", "verify"]) == 0
    TAMPERING[kind](folder)
    report = verify_log(folder, KEY, "hmac-sha256")
    assert not report.ok
    assert main(["audit", "verify"]) == 1
    assert "TAMPERED" in capsys.readouterr().err
    figure("issue 11 audit tampering", kind, "detected: wenze audit verify exits 1, TAMPERED")


def test_rotation_keeps_the_chain_across_days_and_files(tmp_path: Path) -> None:
    clock = Clock()
    log = _log(tmp_path, clock)
    _fill(log, 3)
    clock.now += timedelta(days=1)
    _fill(log, 3)
    clock.now += timedelta(days=2)
    _fill(log, 2)
    files = [p.name for p in log_files(tmp_path)]
    assert files == ["audit-2024-05-01.jsonl", "audit-2024-05-02.jsonl", "audit-2024-05-04.jsonl"]
    report = verify_log(tmp_path, KEY, "hmac-sha256")
    assert report.ok, report.problems
    assert report.entries == 3 + 2 + 8  # 3 openings, 2 rotations, 8 entries
    first_of_day2 = json.loads((tmp_path / files[1]).read_bytes().splitlines()[0])
    assert first_of_day2["previous_file"] == files[0]
    (tmp_path / files[1]).unlink()  # a whole file removed from the middle
    problems = verify_log(tmp_path, KEY, "hmac-sha256").problems
    assert any("a file was removed" in p for p in problems), problems


def test_retention_removes_old_files_and_the_rest_still_verifies(tmp_path: Path) -> None:
    clock = Clock()
    log = _log(tmp_path, clock, retention_days=185)
    _fill(log, 2)
    clock.now += timedelta(days=100)
    _fill(log, 2)
    clock.now += timedelta(days=100)  # day 200: the first file is past 185 days
    _fill(log, 2)
    names = [p.name for p in log_files(tmp_path)]
    assert names == ["audit-2024-08-09.jsonl", "audit-2024-11-17.jsonl"]
    report = verify_log(tmp_path, KEY, "hmac-sha256", retention_days=185)
    assert report.ok, report.problems
    events = [e for e in read_entries(tmp_path) if e.get("event") == "retention"]
    assert events[0]["details"]["removed"] == ["audit-2024-05-01.jsonl"]
    # Removing a file that retention would still keep is tampering.
    (tmp_path / names[0]).unlink()
    assert not verify_log(tmp_path, KEY, "hmac-sha256", retention_days=185).ok


def test_two_writers_share_one_chain(tmp_path: Path) -> None:
    clock = Clock()
    a, b = _log(tmp_path, clock), _log(tmp_path, clock)  # e.g. the server and a `wenze user` command
    for i in range(6):
        (a if i % 2 else b).append({"type": "event", "event": "x", "user": str(i)})
    report = verify_log(tmp_path, KEY, "hmac-sha256")
    assert report.ok and report.entries == 7


def test_a_write_that_fails_on_disk_raises_audit_unavailable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = _log(tmp_path)

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    monkeypatch.setattr(os, "fdatasync", broken_fsync, raising=False)
    with pytest.raises(AuditUnavailable, match="No space left"):
        _fill(log, 1)


def test_the_key_file_is_created_0600_and_refused_when_open(tmp_path: Path) -> None:
    path = tmp_path / "k" / "audit.key"
    key = load_key(path)
    assert len(key) == 32 and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_key(path) == key
    path.chmod(0o644)
    with pytest.raises(AuditKeyError, match="chmod 600"):
        load_key(path)
    with pytest.raises(AuditKeyError):
        load_key(tmp_path / "absent.key", create=False)


def test_answer_objects_follow_the_schema_and_json() -> None:
    from graphql import parse

    from api.schema import build_schema

    schema = build_schema()._schema
    query = """query Q($id: ID!) {
      official(id: $id) { name posts { organisation { name } } }
      case(id: "CASE-1") { id title measures { id } transfers { kind id } }
      search(text: "张") { __typename id }
      nodes(ids: ["X"]) { id }
      neighbourhood(id: "OFF-2", depth: 1) { json }
    }"""
    data = {
        "official": {"name": "张伟", "posts": [{"organisation": {"name": "x"}}]},
        "case": {
            "id": "CASE-1",
            "title": "t",
            "measures": [{"id": "M-1"}, {"id": "M-2"}],
            "transfers": [{"kind": "Transfer", "id": "T-1"}],
        },
        "search": [{"__typename": "Official", "id": "OFF-3"}, {"__typename": "Issue", "id": "ISS-1"}],
        "nodes": [{"id": "X"}],
        "neighbourhood": {"json": {"nodes": [{"kind": "Clue", "id": "CL-1"}, {"kind": "Region", "id": "620000"}]}},
    }
    document = parse(query)
    objects, count = answer_objects(data, document, schema, "Q", {"id": "OFF-1"})
    assert objects == [
        {"kind": "Official", "id": "OFF-1"},
        {"kind": "Case", "id": "CASE-1"},
        {"kind": "Measure", "id": "M-1"},
        {"kind": "Measure", "id": "M-2"},
        {"kind": "Transfer", "id": "T-1"},
        {"kind": "Official", "id": "OFF-3"},
        {"kind": "Clue", "id": "CL-1"},
    ]
    assert count == 7
    fields = root_fields(document, {"id": "OFF-1"}, "Q")
    assert fields["official"] == {"id": "OFF-1"} and fields["neighbourhood"] == {"id": "OFF-2", "depth": 1}
    assert root_fields(parse("query($f: StatsFilter) { fourForms(filter: $f) { total } }"), {}, None) == {
        "fourForms": {"filter": None}
    }
