"""Keeping the embedded store openable after a torn write, and its disk from filling in the middle of one.

    db, recovery = open_database(Path("wenze-data/graph.lbug"), read_only=False)
    check_space(Path("wenze-data"), batch)       # WriteFailed before anything is written when the disk is too full
    release_reserve(Path("wenze-data"))          # after a failed write: room for the engine to close cleanly

What goes wrong and what this module does about it (measured on LadybugDB 0.22.0):

- **A torn log.** The engine writes a transaction into its write-ahead log (``graph.lbug.wal``) at
  COMMIT. A process killed during that write, or a disk that fills, leaves a log whose last record is
  cut off; every later open then refuses the store ("Checksum verification failed, the WAL file is
  corrupted"). ``open_database`` moves that log into ``<data dir>/quarantine/<time>/`` (never deletes
  it), with a copy of ``graph.lbug`` as it was found when there is room, and opens again: first on a
  copy of the log with the engine's own lenient replay (``throw_on_wal_replay_failure=False``), which
  keeps every complete transaction in it and drops the torn tail — the last committed state; if that
  fails too, without the log, i.e. as of the last checkpoint. The message and the ``wenze.store`` log
  name the folder.
- **A full disk at COMMIT.** The engine cannot close a database whose log write failed for lack of
  space: its destructor retries the write and the C++ exception it throws aborts the process
  (SIGABRT). So an open store keeps a *space reserve* — a file of real, allocated blocks,
  ``<data dir>/space-reserve.bin`` — and a failed write releases it before the database is reopened;
  with that room the engine closes cleanly, dropping the failed transaction and keeping earlier ones.
  The reserve is made again at the next open, when there is room.
- **Not enough room, known beforehand.** ``check_space`` refuses a write whose estimated peak disk use
  (see ``estimate_bytes``) exceeds the free space, before the transaction starts.

Errors raised here are ``graph.errors`` errors (``StoreUnavailable``, ``WriteFailed``).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import logging
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import ladybug

from graph.errors import StoreInUse, StoreUnavailable, WriteFailed
from graph.port import WriteBatch

log = logging.getLogger("wenze.store")

QUARANTINE = "quarantine"
RESERVE_NAME = "space-reserve.bin"
_MIB = 1 << 20
# The reserve must hold what the engine writes while it closes after a failed commit: the rest of the
# log page and a checkpoint of the committed log (at most its 16 MiB auto-checkpoint threshold, about
# twice that on disk with the shadow pages). A small store cannot have much in its log, so the
# reserve follows the store's size between these bounds.
_RESERVE_MIN = 4 * _MIB
_RESERVE_MAX = 64 * _MIB
# Peak extra disk use of one write, per byte of the batch's Arrow tables (WriteBatch nbytes): log +
# shadow pages + data-file growth, sampled every 0.5 ms while LadybugStore.write ran (the test
# tests/contract/test_torn_writes.py::test_space_estimate_covers_measured_peak repeats the
# measurement at 20k rows). Measured at 100k officials (4.1-4.4 MB batch) and 200k rows with
# HELD_POST (11.5 MB): new nodes 4.6×, updated nodes 5.9×, new nodes+relationships 2.0×, updated
# nodes+relationships 5.5×; any COPY also costs a fixed ~5 MB (its shadow file). The estimate takes
# 8× plus 16 MiB: a third above the worst ratio, and three times the fixed cost.
_BYTES_PER_BATCH_BYTE = 8
_FIXED_BYTES = 16 * _MIB


@dataclass(frozen=True)
class Recovery:
    """What ``open_database`` did to open a store whose log the engine refused."""

    folder: Path  # the quarantine folder holding the refused log (and the data file as found)
    log_bytes: int
    data_file_kept: bool  # graph.lbug as found was copied into the folder
    replayed: bool  # True: the log's complete transactions were kept; False: opened as of the last checkpoint
    engine_error: str

    def message(self) -> str:
        state = (
            "每个已完整写入的事务都已保留，被打断的那一个已丢弃 / every complete transaction in the log "
            "was kept, the interrupted one was dropped"
            if self.replayed
            else "存储回到上一个检查点的状态 / the store is as of its last checkpoint; transactions committed "
            "after it are only in the quarantined log"
        )
        kept = (
            f"日志 log ({self.log_bytes:,} bytes) and graph.lbug as found"
            if self.data_file_kept
            else f"日志 log ({self.log_bytes:,} bytes) (graph.lbug was not copied: not enough free space)"
        )
        error = self.engine_error.rstrip(".")
        return (
            f"存储已恢复 store recovered: the engine refused its write-ahead log, left by an interrupted "
            f"write (a killed process or a full disk) — {error}. {state}. Kept in {self.folder}: "
            f"{kept}. Nothing was deleted. Check that the last load is in the store (load it again if "
            "not: loading is idempotent); the folder can be removed once you are satisfied."
        )


# ---------------------------------------------------------------- opening


def open_database(path: Path, read_only: bool = False) -> tuple[ladybug.Database, Recovery | None]:
    """The engine's database at ``path``; a log the engine refuses is set aside first (see module doc).

    Raises StoreUnavailable with what to do: the store is held by another process (its PID), the file
    is not a store, or the store cannot be recovered.
    """
    if not read_only:
        _check_room_to_finish(path)
    try:
        db = ladybug.Database(str(path), read_only=read_only)
    except RuntimeError as e:
        error = str(e)
        if not (_is_log_refused(error) and _log_of(path).exists()):
            message = _open_failure(path, error)
            raise (StoreInUse if "in use by another process" in message else StoreUnavailable)(message) from e
        if read_only:
            raise StoreUnavailable(
                f"cannot open the embedded store at {path} read-only: its write-ahead log was left torn by an "
                f"interrupted write ({error}). Open it once read-write (`wenze load --dry-run` on any bundle, "
                "or `wenze serve`): the log is then set aside in a quarantine folder and the store opens."
            ) from e
        db, recovery = _recover(path, error)
        log.warning(recovery.message())
        keep_reserve(path.parent)
        return db, recovery
    if not read_only:
        keep_reserve(path.parent)
    return db, None


def _leftovers(path: Path) -> list[Path]:
    """Files an interrupted write or checkpoint leaves beside the data file (none after a clean close)."""
    names = (".wal", ".wal.checkpoint", ".shadow")
    return [f for f in (path.with_name(path.name + n) for n in names) if f.exists()]


def _check_room_to_finish(path: Path) -> None:
    """Refuse to open a store with an unfinished write on a disk too full to finish it.

    The engine finishes (or undoes) an interrupted checkpoint when it opens; with no room to do so it
    has been seen to corrupt its data file (a shadow file left by a checkpoint that failed on a full
    disk, reopened on that disk: the next open read garbage). Twice the leftovers, plus the margin
    of estimate_bytes, is asked for.
    """
    left = sum(f.stat().st_size for f in _leftovers(path))
    if not left:
        return
    needed, free = 2 * left + _FIXED_BYTES, _free_bytes(path.parent)
    if free < needed:
        raise StoreUnavailable(
            f"磁盘空间不足，存储未打开 the embedded store at {path} was not opened: the engine must first finish (or "
            f"undo) an interrupted write, and the disk has {_mb(free)} free where that needs about {_mb(needed)}. "
            f"The store is left closed and untouched. Free at least {_mb(needed - free)} and run the command again; "
            "the store then shows whether the interrupted write was kept (if not, load that bundle again: loading "
            "is idempotent)."
        )


def _log_of(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def _is_log_refused(error: str) -> bool:
    return "WAL file is corrupted" in error or bool(re.search(r"Reading past the end of the file \S+\.wal", error))


def _open_failure(path: Path, error: str) -> str:
    held = re.search(r"Could not set lock on file.*?held by PID (\d+)", error)
    if held or "Could not set lock" in error:
        pid = f" (process {held.group(1)})" if held else ""
        return (
            f"the embedded store at {path} is in use by another process{pid}: the engine admits one process "
            "at a time. Stop that process (a running `wenze serve`, or a load still running) and try again."
        )
    if "not a valid Lbug database file" in error:
        return (
            f"{path} is not an embedded wenze store (not a LadybugDB file): check WENZE_DATA_DIR, or move "
            "that file away to start an empty store."
        )
    if "No space left on device" in error:
        return (
            f"cannot open the embedded store at {path}: the disk is full ({_free_text(path.parent)}). "
            "Free some space and try again."
        )
    return f"cannot open the embedded store at {path}: {error}. Check WENZE_DATA_DIR."


@contextmanager
def _recovery_lock(data_dir: Path) -> Iterator[None]:
    """One wenze process recovers a store at a time (a separate file: a POSIX lock on graph.lbug
    would be dropped as soon as this process closed any other descriptor of it)."""
    with open(data_dir / ".recovery.lock", "a+b") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _recover(path: Path, error: str) -> tuple[ladybug.Database, Recovery]:
    data_dir = path.parent
    with _recovery_lock(data_dir):
        wal = _log_of(path)
        folder = _new_quarantine_folder(data_dir)
        log_bytes = wal.stat().st_size
        os.replace(wal, folder / wal.name)  # same filesystem: a rename, needs no space
        data_kept = False
        if _free_bytes(data_dir) > path.stat().st_size + log_bytes + _RESERVE_MIN:
            shutil.copy2(path, folder / path.name)
            data_kept = True
        (folder / "README.txt").write_text(
            f"wenze set these files aside on {dt.datetime.now().astimezone().isoformat(timespec='seconds')}\n"
            f"because the engine refused the write-ahead log of {path}:\n  {error}\n"
            f"{wal.name}: the refused log, as found ({log_bytes} bytes)\n"
            + (f"{path.name}: the data file as found, before recovery\n" if data_kept else "")
            + "Opening a copy of these two files with LadybugDB shows the store as it was found.\n",
            encoding="utf-8",
        )
        replayed = False
        db: ladybug.Database | None = None
        if _free_bytes(data_dir) > log_bytes + _RESERVE_MIN:
            shutil.copy2(folder / wal.name, wal)
            try:
                db = ladybug.Database(str(path), throw_on_wal_replay_failure=False)
                replayed = True
            except RuntimeError:
                wal.unlink(missing_ok=True)  # our copy; the log itself is in the quarantine folder
        if db is None:
            try:
                db = ladybug.Database(str(path))
            except RuntimeError as e:
                raise StoreUnavailable(
                    f"cannot open the embedded store at {path} even without its write-ahead log ({e}); the log "
                    f"is kept in {folder}. Restore the last backup (`wenze restore PATH`)."
                ) from e
    return db, Recovery(folder, log_bytes, data_kept, replayed, error)


def _new_quarantine_folder(data_dir: Path) -> Path:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    base = data_dir / QUARANTINE
    for n in range(1000):
        folder = base / (stamp if n == 0 else f"{stamp}-{n}")
        try:
            folder.mkdir(parents=True)
            return folder
        except FileExistsError:
            continue
    raise StoreUnavailable(f"cannot make a quarantine folder under {base}")


# ---------------------------------------------------------------- disk space


def _free_bytes(folder: Path) -> int:
    return shutil.disk_usage(folder).free


def _mb(n: int) -> str:
    return f"{n / _MIB:,.1f} MiB"


def _free_text(folder: Path) -> str:
    try:
        return f"{_mb(_free_bytes(folder))} free"
    except OSError:
        return "free space unknown"


def batch_bytes(batch: WriteBatch) -> int:
    """The size of a batch's Arrow tables."""
    return sum(int(n.table.nbytes) for n in batch.nodes) + sum(int(r.table.nbytes) for r in batch.rels)


def estimate_bytes(batch: WriteBatch) -> int:
    """Peak extra disk space ``LadybugStore.write(batch)`` may take (measured factor, module doc)."""
    return _BYTES_PER_BATCH_BYTE * batch_bytes(batch) + _FIXED_BYTES


def check_space(data_dir: Path, batch: WriteBatch) -> None:
    """Raise WriteFailed, before anything is written, when the disk cannot hold the write."""
    needed = estimate_bytes(batch)
    free = _free_bytes(data_dir)
    if free >= needed:
        return
    raise WriteFailed(
        f"磁盘空间不足，未写入任何内容 not enough disk space, nothing was written: {_mb(free)} free on the disk "
        f"holding {data_dir}, and writing these {batch.row_count:,} rows needs about {_mb(needed)} "
        f"({_BYTES_PER_BATCH_BYTE}× the rows' {_mb(batch_bytes(batch))} in memory, plus {_mb(_FIXED_BYTES)}). "
        f"Free at least {_mb(needed - free)}, or set WENZE_DATA_DIR to a larger disk, and load again."
    )


def _reserve_target(data_dir: Path) -> int:
    try:
        size = (data_dir / "graph.lbug").stat().st_size
    except OSError:
        size = 0
    return min(_RESERVE_MAX, max(_RESERVE_MIN, size))


def keep_reserve(data_dir: Path) -> None:
    """Make (or grow) the space reserve when the disk has room for it and as much again."""
    reserve = data_dir / RESERVE_NAME
    target = _reserve_target(data_dir)
    try:
        have = reserve.stat().st_size
    except OSError:
        have = 0
    if have >= target or _free_bytes(data_dir) < 2 * (target - have):
        return
    try:
        with open(reserve, "ab") as f:
            os.posix_fallocate(f.fileno(), 0, target)  # real blocks: a sparse file would free nothing
    except OSError:
        reserve.unlink(missing_ok=True)


def release_reserve(data_dir: Path) -> int:
    """Delete the space reserve; the bytes it held."""
    reserve = data_dir / RESERVE_NAME
    try:
        size = int(reserve.stat().st_blocks) * 512
        reserve.unlink()
    except OSError:
        return 0
    return size


def _reason(error: Exception, data_dir: Path) -> tuple[bool, str]:
    """(whether the disk was full, why the write failed) in words that do not repeat the engine's
    claims about what was committed (the counts decide that)."""
    text = str(error)
    if "No space left on device" in text or "Disk quota exceeded" in text:
        return True, f"磁盘已满 the disk holding {data_dir} filled during the write ({_free_text(data_dir)} now)"
    return False, f"the engine failed: {text}"


def unopened_after_failed_write(error: Exception, data_dir: Path, reason: StoreUnavailable) -> str:
    """After a write failed and the store could not be reopened (``reason``)."""
    return f"写入失败 the write failed: {_reason(error, data_dir)[1]}. {reason}"


def after_failed_write(error: Exception, data_dir: Path, kept: dict[str, tuple[int, int, int]]) -> tuple[bool, str]:
    """After a write failed and the store was reopened: (whether it was committed after all, what to say).

    ``kept``: node kind → (count before the write, count if it was committed, count after the reopen).
    The engine's own words can contradict each other ("Transaction committed successfully, but the
    post-commit checkpoint failed … durable", while a reopen may show nothing of it), so the counts
    decide; a write that creates no node leaves only the engine's word.
    """
    text = str(error)
    full, why = _reason(error, data_dir)
    counts = ", ".join(f"{k} {b:,} → {a:,}" for k, (b, _, a) in sorted(kept.items()) if a != b)
    space = "Free some space (or set WENZE_DATA_DIR to a larger disk), then " if full else ""
    grows = any(w != b for b, w, _ in kept.values())
    if grows and all(a == w for _, w, a in kept.values()):
        return True, (
            f"已写入 the write is stored in full ({counts}), although the engine reported an error after "
            f"committing it: {why}." + (" Free some space before the next write." if full else "")
        )
    if any(a != b for b, _, a in kept.values()):
        return False, (
            f"写入未完成 the write did not complete: {why}. Part of it is stored ({counts}). "
            f"{space}load the same bundle again to complete it (loading is idempotent)."
        )
    if not grows and "committed successfully" in text:
        return False, (
            f"写入状态不明 the engine reported that it committed the write but could not finish writing it "
            f"to the data file: {why}. Whether its changes are kept cannot be told from the counts: "
            f"{space.lower() if space else ''}load the same bundle again (loading is idempotent)."
        )
    advice = f"{space}load again." if full else "The store is as it was before this write."
    return False, f"写入失败，未写入任何内容 the write failed and was undone, nothing was written: {why}. {advice}"
