"""The append-only audit log: JSON Lines files, one per day, chained by keyed MACs, written before answers.

    log = AuditLog.from_settings(settings)
    log.append({"type": "request", "user": "zhang", "outcome": "ok", …})   # on disk when it returns
    record_event(settings, "load", user="admin", details={"path": "bundle/", "rows": 120})

Files are ``<audit dir>/audit-YYYY-MM-DD.jsonl`` (UTC days). Each file opens with a checkpoint naming
the file before it, a new day closes the previous file with a rotation checkpoint, and every
``checkpoint_every`` entries a periodic checkpoint records the chain head and count, so the chain is
verifiable across files. Files older than the retention period are removed at rotation (an event
in the chain says which). ``HEAD`` holds the last sequence number and MAC (with its own MAC) and the
size of its file: when entries are cut off the end, it no longer matches; when it lags the file (a
crash lost its last write) the next writer rebuilds it from the entries.

Group commit: requests that append while another group is being written wait, then one of them
writes all that waited as the next group — chained in arrival order, one write and one
``fdatasync`` per file — and each ``append`` returns only when its own group is on disk. One
``fdatasync`` then serves many requests; a lone request still pays one (the floor, set by the
filesystem holding the log: see bench/FIGURES.md).

Groups take an exclusive ``flock`` on ``<audit dir>/.lock``, so the server and ``wenze`` commands
(user changes, loads) may write the same log. Under the lock the log trusts the head it last wrote
only while today's file is still the size that write left (another writer, a cut or a new day
shows); else it reads HEAD. The lock, HEAD and today's file stay open between groups, and are
opened again when their names point at other files.

In the server an append runs on the event loop while the disk is fast (``quick``: hopping to a
thread and back cost more than the write), on the audit's threads otherwise, where appends group.
A failed write raises ``AuditUnavailable`` in every request of that group (what it wrote is cut
back off the file, so the chain stays whole): the caller refuses the request (HTTP 503).
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from api.audit.chain import GENESIS, AuditKeyError, entry_mac, load_key, mac_and_line

if TYPE_CHECKING:
    from api.settings import Settings

HEAD_NAME = "HEAD"
LOCK_NAME = ".lock"
FILE_PREFIX, FILE_SUFFIX = "audit-", ".jsonl"
_HEAD_SIZE = 512


class AuditUnavailable(Exception):
    """The audit entry could not be written: the request must be refused."""


def file_name(day: date) -> str:
    return f"{FILE_PREFIX}{day.isoformat()}{FILE_SUFFIX}"


def file_day(name: str) -> date | None:
    if not (name.startswith(FILE_PREFIX) and name.endswith(FILE_SUFFIX)):
        return None
    try:
        return date.fromisoformat(name[len(FILE_PREFIX) : -len(FILE_SUFFIX)])
    except ValueError:
        return None


def log_files(folder: Path) -> list[Path]:
    """The folder's audit files, oldest first."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if file_day(p.name) is not None)


log = logging.getLogger("wenze.audit")


def head_mac(key: bytes, algorithm: str, head: dict[str, Any]) -> str:
    return entry_mac(key, algorithm, "HEAD", {k: head[k] for k in ("seq", "mac", "file")})


def read_head(folder: Path) -> dict[str, Any] | None:
    path = folder / HEAD_NAME
    if not path.exists():
        return None
    text = path.read_bytes().decode("utf-8", errors="replace").strip()
    try:
        head = json.loads(text)
    except json.JSONDecodeError:
        return {"corrupt": text[:80]}
    return head if isinstance(head, dict) else {"corrupt": text[:80]}


def _sync(fd: int) -> None:
    """Data on disk before the answer: fdatasync where there is one (an append needs no other metadata)."""
    sync = getattr(os, "fdatasync", None) or os.fsync
    sync(fd)


def _utc_now() -> datetime:
    return datetime.now(UTC)


class _Ticket:
    """One record waiting for its group: the entry as written, or the error that refused it."""

    __slots__ = ("done", "entry", "error", "record")

    def __init__(self, record: dict[str, Any]) -> None:
        self.record = record
        self.entry: dict[str, Any] | None = None
        self.error: AuditUnavailable | None = None
        self.done = False


class AuditLog:
    """Writes entries to the chain. Thread-safe and process-safe (see the module docstring).

    Group commit: concurrent ``append`` calls are written by one of them (the leader) as one group —
    chained in the order they arrived, one ``write`` per file and one ``fdatasync`` — and each call
    returns only once the group holding its entry is on disk. A lone call is a group of one.
    ``groups`` and ``grouped`` count groups and entries written (for tests and benchmarks).
    """

    def __init__(
        self,
        folder: Path,
        key: bytes,
        algorithm: str = "hmac-sha256",
        checkpoint_every: int = 1000,
        retention_days: int = 185,
        clock: Callable[[], datetime] = _utc_now,
        inline_ms: float = 5.0,
        slow_for_s: float = 5.0,
    ) -> None:
        self.folder = folder
        self.key = key
        self.algorithm = algorithm
        self.checkpoint_every = checkpoint_every
        self.retention_days = retention_days
        self.clock = clock
        self.inline_ms = inline_ms
        self.slow_for_s = slow_for_s
        self._slow_until = 0.0  # monotonic time until which appends are not quick (see quick)
        self._turn = threading.Condition()
        self._queue: list[_Ticket] = []
        self._writing = False
        self.groups = 0
        self.grouped = 0
        self._head: dict[str, Any] | None = None  # what the last group of this log wrote (_known_head)
        self._folder = str(folder)
        self._kept: dict[str, tuple[int, tuple[int, int]]] = {}  # name -> (fd, (dev, inode)): see _fd
        folder.mkdir(parents=True, exist_ok=True)
        os.chmod(folder, 0o700)

    def close(self) -> None:
        """Close the files kept open between groups (the log still works after: they are reopened)."""
        for name in list(self._kept):
            self._forget(name)

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # interpreter shutdown: nothing left to do
            pass

    @classmethod
    def from_settings(cls, settings: Settings, clock: Callable[[], datetime] = _utc_now) -> AuditLog:
        try:
            key = load_key(settings.audit_key_path)
        except (OSError, AuditKeyError) as e:
            raise AuditUnavailable(f"审计密钥不可用 the audit key is unavailable: {e}") from e
        return cls(
            settings.audit_folder,
            key,
            settings.audit_algorithm,
            settings.audit_checkpoint_every,
            settings.audit_retention_days,
            clock,
            settings.audit_inline_ms,
        )

    def quick(self) -> bool:
        """Whether an append may run on the calling thread — the server's event loop — instead of on a
        thread of its own: no group is being written, and for the last ``slow_for_s`` no group took longer
        than ``inline_ms`` (0: never). Hopping to a thread and back costs the loop more than a write to a
        fast disk (bench/FIGURES.md); a slow disk sends appends back to threads, where they group."""
        return self.inline_ms > 0 and not self._writing and not self._queue and time.monotonic() >= self._slow_until

    # ---- writing

    def append(self, record: dict[str, Any]) -> dict[str, Any]:
        """Add one entry (``time`` and ``seq`` are set here); returns it as written, once it is on disk.

        Raises ``AuditUnavailable`` when its group could not be written (then none of that group is
        in the log) or when this record cannot be serialised (then only this one is refused).
        """
        ticket = _Ticket(dict(record))
        with self._turn:
            self._queue.append(ticket)
            while self._writing and not ticket.done:
                self._turn.wait()
            lead = not ticket.done
            if lead:  # nobody is writing and this record still waits: write everything queued
                group, self._queue = self._queue, []
                self._writing = True
        if lead:
            started = time.monotonic()
            try:
                self._write_group(group)
            finally:
                if (time.monotonic() - started) * 1000 > self.inline_ms:
                    self._slow_until = time.monotonic() + self.slow_for_s
                with self._turn:
                    for t in group:
                        t.done = True
                    self._writing = False
                    self._turn.notify_all()
        if ticket.error is not None:
            raise ticket.error
        assert ticket.entry is not None
        return ticket.entry

    def _write_group(self, group: list[_Ticket]) -> None:
        try:
            lock = self._fd(LOCK_NAME, os.O_RDWR | os.O_CREAT)
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                self._append_locked(group)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
        except (OSError, ValueError, TypeError) as e:
            self.close()  # whatever failed, the next group starts from freshly opened files
            error = AuditUnavailable(f"审计日志写入失败 the audit log could not be written: {e}")
            error.__cause__ = e
            for t in group:
                t.entry, t.error = None, t.error or error
            return
        self.groups += 1
        self.grouped += sum(1 for t in group if t.error is None)

    def _append_locked(self, group: list[_Ticket]) -> None:
        now = self.clock()
        stamp = now.isoformat(timespec="microseconds")
        today = file_name(now.date())
        head = self._known_head(today)
        if head is None:
            head = read_head(self.folder) or {"seq": 0, "mac": GENESIS, "file": None}
            if "corrupt" in head or not self._head_at_end(head):
                head = self._head_from_files()
        lines: list[tuple[str, bytes]] = []
        seq, prev = int(head["seq"]), str(head["mac"])

        def add(target: str, fields: dict[str, Any]) -> dict[str, Any]:
            nonlocal seq, prev
            entry = {**fields, "seq": seq + 1, "time": stamp, "prev": prev}
            # raises before the chain moves on if the entry cannot be written
            entry["mac"], line = mac_and_line(self.key, self.algorithm, prev, entry)
            seq, prev = seq + 1, entry["mac"]
            lines.append((target, line + b"\n"))
            return entry

        previous_file = head.get("file")
        removed: list[Path] = []
        if previous_file != today:
            if previous_file is not None and (self.folder / previous_file).exists():
                add(previous_file, {"type": "checkpoint", "reason": "rotation", "head": prev, "count": seq})
            add(
                today,
                {"type": "checkpoint", "reason": "open", "previous_file": previous_file, "head": prev, "count": seq},
            )
            removed = self._expired_files(now.date(), keep=today)
            if removed:
                add(
                    today,
                    {
                        "type": "event",
                        "event": "retention",
                        "user": "system",
                        "details": {"removed": [p.name for p in removed], "days": self.retention_days},
                    },
                )
        for ticket in group:
            try:
                ticket.entry = add(today, ticket.record)
            except (ValueError, TypeError) as e:  # this record alone (a value JSON cannot hold, say)
                ticket.error = AuditUnavailable(f"审计条目无法写入 the audit entry could not be written: {e}")
                continue
            if seq % self.checkpoint_every == 0:
                add(today, {"type": "checkpoint", "reason": "periodic", "head": prev, "count": seq})
        self._head = None
        size = self._write_lines(lines).get(today)
        for name in [n for n in self._kept if n not in (LOCK_NAME, HEAD_NAME, today)]:
            self._forget(name)  # yesterday's file, once today's is written
        self._head = {"seq": seq, "mac": prev, "file": today, "size": size}
        try:
            self._write_head(self._head)
        except OSError as e:  # the entries are on disk; the next writer finds HEAD behind and rebuilds it
            self._forget(HEAD_NAME)
            log.warning("audit HEAD not updated (the entries are written): %s", e)
        for path in removed:
            path.unlink()  # only after the retention event that names it is on disk

    def _known_head(self, today: str) -> dict[str, Any] | None:
        """The head this log wrote last, if the chain is still there: today's file is the size that
        write left (every append grows it, so another writer, a cut or a new day shows), else None
        and HEAD is read. Saves reading and checking HEAD on every group (45 of the 250 us of Python
        an append took)."""
        known = self._head
        if known is None or known["file"] != today or not isinstance(known["size"], int):
            return None
        try:
            return known if os.stat(os.path.join(self._folder, today)).st_size == known["size"] else None
        except OSError:
            return None

    def _head_at_end(self, head: dict[str, Any]) -> bool:
        """False when the head's file runs past the end HEAD names: HEAD lags (a crash lost its last write,
        or writing it failed) and is rebuilt from the entries. A file *shorter* than HEAD says was cut:
        the chain then goes on from HEAD, so ``wenze audit verify`` still shows the cut."""
        size, name = head.get("size"), head.get("file")
        if not isinstance(size, int) or not isinstance(name, str):
            return True  # a HEAD from before sizes were kept, or an empty log
        try:
            return (self.folder / name).stat().st_size <= size
        except OSError:
            return True

    def _write_lines(self, lines: list[tuple[str, bytes]]) -> dict[str, int]:
        """Each file's lines in one write and one fdatasync; on any failure every file is cut back.

        Returns each file's size after the write."""
        by_file: dict[str, list[bytes]] = {}
        for target, line in lines:
            by_file.setdefault(target, []).append(line)
        written: list[tuple[Path, int]] = []  # (file, its size before this group)
        sizes: dict[str, int] = {}
        try:
            for target, chunks in by_file.items():
                path = self.folder / target
                created = target not in self._kept and not path.exists()
                fd = self._fd(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
                written.append((path, os.fstat(fd).st_size))
                data = b"".join(chunks)
                if os.write(fd, data) != len(data):
                    raise OSError(f"short write to {target}")
                _sync(fd)
                sizes[target] = written[-1][1] + len(data)
                if created:
                    self._sync_folder()  # a new day's file: its name must survive a crash as well
        except OSError:
            self._cut_back(written)
            raise
        return sizes

    def _fd(self, name: str, flags: int) -> int:
        """A descriptor of the folder's file ``name``, kept open between groups (opening, checking and
        closing the lock, HEAD and today's file cost 50-80 us a group in the server). It is opened again
        when the name now points at another file — removed or replaced — which it would otherwise lock
        or write unseen."""
        path = os.path.join(self._folder, name)
        kept = self._kept.get(name)
        if kept is not None:
            try:
                st = os.stat(path)
                if (st.st_dev, st.st_ino) == kept[1]:
                    return kept[0]
            except OSError:
                pass
            self._forget(name)
        fd = os.open(path, flags, 0o600)
        st = os.fstat(fd)
        self._kept[name] = (fd, (st.st_dev, st.st_ino))
        return fd

    def _forget(self, name: str) -> None:
        kept = self._kept.pop(name, None)
        if kept is not None:
            try:
                os.close(kept[0])
            except OSError:
                pass

    def _sync_folder(self) -> None:
        fd = os.open(self.folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    @staticmethod
    def _cut_back(written: list[tuple[Path, int]]) -> None:
        """Remove what a failed group wrote, so the chain on disk stays the one HEAD names (best effort)."""
        for path, size in written:
            try:
                os.truncate(path, size)
            except OSError:
                pass  # then `wenze audit verify` shows the broken tail: the honest outcome

    def _write_head(self, head: dict[str, Any]) -> None:
        # Written after the entries are on disk, without its own fsync: the head may lag the log
        # after a crash (verify accepts a head behind the last entry) but is never ahead of it.
        head = {**head, "hmac": head_mac(self.key, self.algorithm, head)}
        data = orjson.dumps(head, option=orjson.OPT_SORT_KEYS).ljust(_HEAD_SIZE)
        os.pwrite(self._fd(HEAD_NAME, os.O_WRONLY | os.O_CREAT), data, 0)

    def _head_from_files(self) -> dict[str, Any]:
        """The head rebuilt from the last entry on disk (when HEAD was torn by a crash mid-write)."""
        for path in reversed(log_files(self.folder)):
            raw = path.read_bytes().splitlines()
            for line in reversed(raw):
                try:
                    entry = json.loads(line)
                    return {"seq": int(entry["seq"]), "mac": str(entry["mac"]), "file": path.name}
                except (ValueError, KeyError, TypeError):
                    continue
        return {"seq": 0, "mac": GENESIS, "file": None}

    def _expired_files(self, today: date, keep: str) -> list[Path]:
        cutoff = today - timedelta(days=self.retention_days)
        return [p for p in log_files(self.folder) if p.name != keep and (file_day(p.name) or today) < cutoff]

    # ---- conveniences

    def event(self, event: str, user: str, **details: Any) -> dict[str, Any]:
        """Record a non-request event (sign-in, lock-out, user or token change, load, export)."""
        return self.append({"type": "event", "event": event, "user": user, "details": details})


def new_request_id() -> str:
    return uuid.uuid4().hex


def record_event(settings: Settings, event: str, user: str = "cli", **details: Any) -> dict[str, Any]:
    """Record one event in the log the settings name: for commands (load, export, user changes).

    Raises ``AuditUnavailable`` when it cannot be written; the command should then fail.
    """
    audit = AuditLog.from_settings(settings)
    try:
        return audit.event(event, user, **details)
    finally:
        audit.close()
