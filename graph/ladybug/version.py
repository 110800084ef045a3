"""The embedded store's data version on disk: what a cache kept beside the store (the search index's
file, graph/search_file.py) is keyed by, so that it is used only for the data it was made from.

    begin_write(data_dir)          # before a write starts: the version reads as None until it ends
    end_write(data_dir)            # after it committed or rolled back: a new version
    on_disk(data_dir)              # "3f2a…:1234:290684928", or None (a write under way, or never marked)

The version is a random token in ``data-version`` (replaced atomically), changed by every write that
goes through ``LadybugStore``, together with the data file's inode and size (a restore puts another
file in place; a file copied over the store by hand most likely differs in size). While a write is
under way the file says ``writing-…``: a cache made then is never kept, and if the process died
mid-write the next open marks a fresh version (whatever the write left, no cache matches it).
"""

from __future__ import annotations

import logging
import os
import uuid
from pathlib import Path

log = logging.getLogger("wenze.store")
VERSION_FILE = "data-version"
DATA_FILE = "graph.lbug"
_WRITING = "writing-"


def _mark(data_dir: Path, token: str) -> None:
    """Write ``token`` atomically; if that fails (a full disk), remove the file instead: no version
    then, so no cache is used or kept until a later write or open marks one."""
    path = data_dir / VERSION_FILE
    temporary = path.with_name(f"{VERSION_FILE}.{os.getpid()}.tmp")
    try:
        temporary.write_text(token, encoding="ascii")
        os.replace(temporary, path)
    except OSError as e:
        log.warning("data version not marked in %s (%s): caches beside the store are set aside", data_dir, e)
        for stale in (temporary, path):
            try:
                stale.unlink(missing_ok=True)
            except OSError:
                pass


def begin_write(data_dir: Path) -> None:
    """Mark a write as under way (no cache made from now on may be kept)."""
    _mark(data_dir, _WRITING + uuid.uuid4().hex)


def end_write(data_dir: Path) -> None:
    """A new version: the write ended (committed or not; either way older caches are set aside)."""
    _mark(data_dir, uuid.uuid4().hex)


def after_open(data_dir: Path) -> None:
    """At open: a store never marked, or one a write was interrupted in, gets a fresh version."""
    if on_disk(data_dir) is None:
        end_write(data_dir)


def on_disk(data_dir: Path) -> str | None:
    """The current data version, or None while a write is under way (or the store was never marked)."""
    try:
        token = (data_dir / VERSION_FILE).read_text(encoding="ascii").strip()
        stat = os.stat(data_dir / DATA_FILE)
    except (OSError, UnicodeDecodeError):
        return None
    if not token or token.startswith(_WRITING):
        return None
    return f"{token}:{stat.st_ino}:{stat.st_size}"
