"""Check the audit chain and read entries back: what ``wenze audit verify`` and ``audit show`` run.

    report = verify_log(folder, key, "hmac-sha256", retention_days=185)
    report.ok, report.entries, report.problems      # problems: ["audit-2024-05-01.jsonl line 7: …", …]
    for entry in read_entries(folder, user="zhang", node="OFF-1", start=date(2024, 5, 1)): …

Detected: an edited entry (its MAC), a deleted or reordered one (a broken ``prev`` link or sequence
number), entries cut off the end (``HEAD`` names a later entry) or a line cut in half (not JSON),
MACs recomputed without the key (they do not match the key's), a file removed from the middle
(the next file's opening checkpoint names it) or removed before the retention period ran out.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from api.audit.chain import GENESIS, entry_matches
from api.audit.log import file_day, head_mac, log_files, read_head


@dataclass
class VerifyReport:
    entries: int = 0
    files: int = 0
    checkpoints: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _entries(path: Path, report: VerifyReport) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, line in enumerate(path.read_bytes().split(b"\n"), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            report.problems.append(f"{path.name} line {number}: not a JSON entry (cut off or overwritten)")
            continue
        if not isinstance(entry, dict):
            report.problems.append(f"{path.name} line {number}: not a JSON object")
            continue
        yield number, entry


def verify_log(folder: Path, key: bytes, algorithm: str, retention_days: int = 185) -> VerifyReport:
    """Walk every file in order and check every link, MAC, sequence number, checkpoint and the head."""
    report = VerifyReport()
    files = log_files(folder)
    report.files = len(files)
    prev: str | None = None  # None: the first entry seen sets the start of the chain
    seq = 0
    last_file: str | None = None
    newest = file_day(files[-1].name) if files else None
    for index, path in enumerate(files):
        first_in_file = True
        for number, entry in _entries(path, report):
            where = f"{path.name} line {number}"
            mac = entry.get("mac")
            claimed_prev = entry.get("prev")
            if not isinstance(mac, str) or not isinstance(claimed_prev, str):
                report.problems.append(f"{where}: no prev/mac fields")
                continue
            if not entry_matches(key, algorithm, claimed_prev, entry, mac):
                report.problems.append(f"{where}: MAC does not match (entry edited, or re-hashed without the key)")
            if prev is None:
                if index == 0 and first_in_file:
                    _check_start(entry, path.name, newest, retention_days, report)
            elif claimed_prev != prev:
                report.problems.append(
                    f"{where}: chain broken (prev does not match the entry before it: one was deleted, "
                    "inserted or reordered)"
                )
            entry_seq = entry.get("seq")
            if prev is not None and entry_seq != seq + 1:
                report.problems.append(f"{where}: sequence number {entry_seq} follows {seq}")
            if first_in_file and (entry.get("type"), entry.get("reason")) != ("checkpoint", "open"):
                report.problems.append(f"{where}: the file does not start with its opening checkpoint")
            if first_in_file and index > 0 and entry.get("previous_file") != last_file:
                report.problems.append(
                    f"{where}: the file follows {entry.get('previous_file')!r} but the file before it is "
                    f"{last_file!r} (a file was removed)"
                )
            if entry.get("type") == "checkpoint":
                report.checkpoints += 1
                if entry.get("head") != claimed_prev or entry.get("count") != (entry_seq or 0) - 1:
                    report.problems.append(f"{where}: checkpoint head or count disagrees with the chain")
            first_in_file = False
            prev = mac
            seq = entry_seq if isinstance(entry_seq, int) else seq + 1
            report.entries += 1
        last_file = path.name
    _check_head(folder, key, algorithm, seq, prev, last_file, report)
    return report


def _check_start(
    entry: dict[str, Any], name: str, newest: date | None, retention_days: int, report: VerifyReport
) -> None:
    """The oldest file: it starts the chain, or follows a file removed because it expired."""
    if entry.get("prev") == GENESIS and entry.get("seq") == 1:
        return
    before = entry.get("previous_file")
    day = file_day(before) if isinstance(before, str) else None
    if day is None or newest is None or day >= newest - timedelta(days=retention_days):
        report.problems.append(
            f"{name} line 1: the chain starts after {before!r}, which is missing although its retention "
            "period has not run out (a file was removed)"
        )


def _check_head(
    folder: Path, key: bytes, algorithm: str, seq: int, prev: str | None, last_file: str | None, report: VerifyReport
) -> None:
    head = read_head(folder)
    if head is None:
        if report.entries:
            report.problems.append("HEAD is missing: entries may have been cut off the end")
        return
    if "corrupt" in head or not all(k in head for k in ("seq", "mac", "file", "hmac")):
        report.problems.append("HEAD is unreadable")
        return
    if not hmac.compare_digest(str(head["hmac"]), head_mac(key, algorithm, head)):
        report.problems.append("HEAD's MAC does not match (edited, or re-hashed without the key)")
        return
    if int(head["seq"]) > seq:
        report.problems.append(
            f"entries were cut off the end: HEAD names entry {head['seq']} but the log ends at {seq}"
        )
    elif int(head["seq"]) == seq and (head["mac"] != prev or head["file"] != last_file):
        report.problems.append("the last entry is not the one HEAD names (the end was replaced)")


def read_entries(
    folder: Path,
    user: str | None = None,
    node: str | None = None,
    start: date | None = None,
    end: date | None = None,
    include_checkpoints: bool = False,
) -> Iterator[dict[str, Any]]:
    """Entries matching every filter given, oldest first (``node``: an id in the answer or the subject)."""
    for path in log_files(folder):
        day = file_day(path.name)
        if day is not None and ((start and day < start) or (end and day > end)):
            continue
        for _, entry in _entries(path, VerifyReport()):
            if entry.get("type") == "checkpoint" and not include_checkpoints:
                continue
            if user is not None and user not in (entry.get("user"), _subject(entry)):
                continue
            if node is not None and not _mentions(entry, node):
                continue
            yield entry


def _subject(entry: dict[str, Any]) -> Any:
    details = entry.get("details")
    return details.get("subject") if isinstance(details, dict) else None


def _mentions(entry: dict[str, Any], node: str) -> bool:
    """Whether the entry's answer held the node, or an event names it (a load's path, say)."""
    if any(o.get("id") == node for o in entry.get("objects") or () if isinstance(o, dict)):
        return True
    return node in json.dumps(entry.get("details") or {}, ensure_ascii=False)
