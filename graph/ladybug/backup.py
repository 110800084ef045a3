"""Backups of the embedded store: a consistent copy of the engine's files with a manifest, and its restore.

    manifest = backup(store, Path("/backups/2024-03-01"))     # the store stays open; writes wait meanwhile
    report = restore(Path("/backups/2024-03-01"), Path("wenze-data"))   # the store must not be open

**Consistent.** ``backup`` holds the store's write lock and folds the log into the data file
(``LadybugStore.at_rest``), then copies ``graph.lbug``: no write is half-done in the copy, and a load
running in the same process finishes before or starts after it. Reads go on meanwhile.

**Held by a server.** The engine admits one process. A backup made by another process while
``wenze serve`` holds the store cannot take that lock, and copying the files from under a running
engine is not safe (a checkpoint may rewrite pages during the copy), so ``wenze backup`` asks the
server to run ``backup`` in its own process, with its store object, safe as above (api/admin_backup.py).

**POSIX locks.** The engine locks ``graph.lbug`` with a POSIX record lock, which a process loses as
soon as it closes *any* descriptor of that file. So the descriptor used to copy it is opened once
per file and kept open for the life of the process (``_descriptor``), never closed.

**Manifest.** ``manifest.json``: format, wenze and engine versions, the engine's storage version,
time, node and relationship counts per kind, size and SHA-256 of each file. ``restore`` verifies the
checksums before it touches the store, refuses a store held by any process, keeps the replaced files
in ``<data dir>/replaced/<time>/``, and checks the restored store's counts against the manifest
(putting the old store back if they differ).
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import ladybug

from graph.errors import GraphError, StoreUnavailable
from graph.ladybug import LadybugStore
from schema.model import NODE_KINDS, REL_KINDS

MANIFEST = "manifest.json"
FORMAT = "wenze-backup"
FORMAT_VERSION = 1
DATA_FILE = "graph.lbug"
_LEFTOVERS = (".wal", ".wal.checkpoint", ".shadow")
_CHUNK = 1 << 20
_descriptors: dict[tuple[int, int], int] = {}


class BackupFailed(GraphError):
    """A backup could not be made, or a backup could not be restored; the message says why."""


@dataclass(frozen=True)
class RestoreReport:
    manifest: dict[str, Any]
    replaced: Path | None  # where the store that was there before now is (None: there was none)


def _now() -> dt.datetime:
    return dt.datetime.now().astimezone()


def _stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _version() -> str:
    try:
        return metadata.version("wenze")
    except metadata.PackageNotFoundError:
        return "unknown"


def counts(store: LadybugStore) -> dict[str, dict[str, int]]:
    """Nodes and relationships per kind (kinds with none are left out)."""
    nodes = {k: n for k in NODE_KINDS if (n := store.count_nodes(k))}
    edges = {k: n for k in REL_KINDS if (n := store.count_edges(k))}
    return {"nodes": nodes, "edges": edges}


def _descriptor(path: Path) -> int:
    """A read-only descriptor of ``path``, opened once per file and never closed (see module doc)."""
    st = path.stat()
    key = (st.st_dev, st.st_ino)
    if key not in _descriptors:
        _descriptors[key] = os.open(path, os.O_RDONLY)
    return _descriptors[key]


def _copy_from_descriptor(fd: int, size: int, target: Path) -> str:
    digest = hashlib.sha256()
    with open(target, "wb") as out:
        offset = 0
        while offset < size:
            chunk = os.pread(fd, min(_CHUNK, size - offset), offset)
            if not chunk:
                raise BackupFailed(f"the data file shrank while it was copied (at byte {offset:,} of {size:,})")
            digest.update(chunk)
            out.write(chunk)
            offset += len(chunk)
        out.flush()
        os.fsync(out.fileno())
    return digest.hexdigest()


def backup(store: LadybugStore, dest: Path) -> dict[str, Any]:
    """Copy ``store`` into the new folder ``dest`` with a manifest; the manifest."""
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise BackupFailed(f"{dest} already exists and is not an empty folder: give a new folder for the backup")
    dest.mkdir(parents=True, exist_ok=True)
    with store.at_rest() as folder:
        data = folder / DATA_FILE
        left = [n for n in _LEFTOVERS if (folder / (DATA_FILE + n)).exists()]
        if left:  # the checkpoint should have folded the log away
            raise BackupFailed(
                f"the engine left {', '.join(DATA_FILE + n for n in left)} after a checkpoint; "
                "stop the store and run the backup again"
            )
        fd = _descriptor(data)
        size = os.fstat(fd).st_size
        free = shutil.disk_usage(dest).free
        if free < size:
            raise BackupFailed(f"not enough space for the backup at {dest}: {free:,} bytes free, {size:,} needed")
        sha = _copy_from_descriptor(fd, size, dest / DATA_FILE)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "wenze_version": _version(),
            "engine": "ladybug",
            "engine_version": ladybug.__version__,
            "storage_version": ladybug.Database.get_storage_version(),
            "created": _now().isoformat(timespec="seconds"),
            "source": str(folder.resolve()),
            "counts": counts(store),
            "files": {DATA_FILE: {"bytes": size, "sha256": sha}},
        }
    (dest / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return manifest


# ---------------------------------------------------------------- restore


def read_manifest(folder: Path) -> dict[str, Any]:
    """The backup's manifest, checked against its files and this engine; raises BackupFailed."""
    path = folder / MANIFEST
    try:
        manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise BackupFailed(f"{folder} is not a wenze backup: it has no {MANIFEST}") from e
    except (OSError, ValueError) as e:
        raise BackupFailed(f"{path} cannot be read ({e})") from e
    if manifest.get("format") != FORMAT or manifest.get("engine") != "ladybug":
        raise BackupFailed(f"{path} is not the manifest of an embedded wenze backup")
    if int(manifest.get("format_version", 0)) > FORMAT_VERSION:
        raise BackupFailed(
            f"{folder} was made by a newer wenze (backup format {manifest['format_version']}); "
            "restore it with that version"
        )
    ours = ladybug.Database.get_storage_version()
    if manifest.get("storage_version") != ours:
        raise BackupFailed(
            f"{folder} holds storage version {manifest.get('storage_version')} (engine "
            f"{manifest.get('engine_version')}); this engine ({ladybug.__version__}) reads version {ours}. Restore it "
            "with the wenze it was made with, `wenze export` it there, and `wenze load` the export here."
        )
    for name, expected in manifest.get("files", {}).items():
        file = folder / name
        if not file.is_file():
            raise BackupFailed(f"{folder}: {name} is missing")
        if file.stat().st_size != expected["bytes"] or _sha256(file) != expected["sha256"]:
            raise BackupFailed(f"{folder}: {name} does not match its checksum in {MANIFEST}: the backup is damaged")
    if DATA_FILE not in manifest.get("files", {}):
        raise BackupFailed(f"{path} lists no {DATA_FILE}")
    return manifest


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _holder(path: Path) -> str:
    """' (process N)' for the process holding a POSIX lock on ``path``, from /proc/locks when readable."""
    try:
        inode = path.stat().st_ino
        with open("/proc/locks", encoding="ascii") as f:
            for line in f:
                parts = line.split()
                if len(parts) > 5 and parts[1] == "POSIX" and parts[5].endswith(f":{inode}"):
                    return f" (process {parts[4]})"
    except OSError:
        pass
    return ""


def restore(folder: Path, data_dir: Path) -> RestoreReport:
    """Put the backup in ``folder`` in place of the store in ``data_dir`` (see module doc)."""
    manifest = read_manifest(folder)
    data_dir.mkdir(parents=True, exist_ok=True)
    current = data_dir / DATA_FILE
    incoming = data_dir / (DATA_FILE + ".restoring")
    lock_fd: int | None = None
    if current.exists():
        lock_fd = os.open(current, os.O_RDWR)
        try:
            fcntl.lockf(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as e:
            os.close(lock_fd)
            if e.errno not in (errno.EACCES, errno.EAGAIN):
                raise
            raise StoreUnavailable(
                f"the embedded store at {current} is in use by another process{_holder(current)}: stop it (a "
                "running `wenze serve`, or a load) before restoring; nothing was changed"
            ) from e
    replaced: Path | None = None
    try:
        size = manifest["files"][DATA_FILE]["bytes"]
        if shutil.disk_usage(data_dir).free < size:
            raise BackupFailed(f"not enough space in {data_dir} for the restored store ({size:,} bytes)")
        shutil.copyfile(folder / DATA_FILE, incoming)
        if _sha256(incoming) != manifest["files"][DATA_FILE]["sha256"]:
            raise BackupFailed(f"the copy of {folder / DATA_FILE} in {data_dir} does not match its checksum")
        if current.exists():
            replaced = data_dir / "replaced" / _stamp()
            replaced.mkdir(parents=True)
            os.link(current, replaced / DATA_FILE)  # the old store keeps its inode (and our lock) over there
            for suffix in _LEFTOVERS:
                if (data_dir / (DATA_FILE + suffix)).exists():
                    os.replace(data_dir / (DATA_FILE + suffix), replaced / (DATA_FILE + suffix))
        os.replace(incoming, current)  # atomic: the path is never without a store
    finally:
        incoming.unlink(missing_ok=True)
        if lock_fd is not None:
            os.close(lock_fd)
    _check_restored(data_dir, manifest, replaced)
    return RestoreReport(manifest, replaced)


def _check_restored(data_dir: Path, manifest: dict[str, Any], replaced: Path | None) -> None:
    store = LadybugStore(data_dir)
    try:
        found = counts(store)
    finally:
        store.close()
    if found == manifest["counts"]:
        return
    if replaced is not None:  # put the old store back
        for file in replaced.iterdir():
            os.replace(file, data_dir / file.name)
    raise BackupFailed(
        f"the restored store holds {found}, not the {manifest['counts']} its manifest lists; "
        + ("the previous store was put back" if replaced else "the restored store was left in place")
    )
