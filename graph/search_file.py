"""The search index kept in a file beside the store, so a restart loads it instead of building it.

    save(index, Path("wenze-data/search-index.bin"), version)     # atomically (a temporary file, then rename)
    load(Path("wenze-data/search-index.bin"), version)            # the index, or None: build it then

``version`` is the store's data version on disk (``LadybugStore.cache_file``; graph/ladybug/version.py):
a file made for another version is never used. Neither is one that is damaged — truncated, altered,
from another format — which the header's length and CRC-32 of the payload catch before anything is
read from it; ``load`` then returns None (and says why in the log), it never raises, so a bad file
costs a rebuild, never the server.

Layout: ``MAGIC``, then (big-endian) the version's length and the version, the payload's length and
CRC-32, then the payload: ``marshal`` of a list of parts, each itself marshalled (plain lists, dicts,
tuples and strings; marshal makes no objects but those), the tables cut into ``_PART``-sized pieces
so that a load lets other threads run between them (one ``marshal.loads`` of it all would hold the
interpreter for seconds, and requests answered meanwhile with it). The posting lists are packed into
one array of entry numbers and offsets per table; a loaded index's posting lists are ``array('i')``
slices of it: no Python int per posting, which is what makes loading faster than building
(bench/restart.py).
"""

from __future__ import annotations

import gc
import logging
import marshal
import os
import struct
import time
import zlib
from array import array
from collections import defaultdict
from pathlib import Path
from typing import Any

from graph.search_index import SearchIndex, _Tables

log = logging.getLogger("wenze.search")

MAGIC = b"wenze-search-index 1\n"
FILE_NAME = "search-index.bin"
_HEADER = struct.Struct(">QI")  # payload length, CRC-32
_POSTINGS = ("head", "grams", "full_exact", "initials_exact", "full_prefix", "initials_prefix")
_PART = 20_000  # entries, dict items or posting keys per part


def _parts(items: list[Any]) -> list[bytes]:
    return [marshal.dumps(items[i : i + _PART], 4) for i in range(0, len(items), _PART)]


def _joined(parts: list[bytes]) -> list[Any]:
    out: list[Any] = []
    for part in parts:
        out += marshal.loads(part)
        time.sleep(0)  # let a request's thread run between parts
    return out


def save(index: SearchIndex, path: Path, version: str) -> None:
    """Write ``index`` for data version ``version`` to ``path`` (replacing it atomically)."""
    tables = index._tables
    packed = []
    for name in _POSTINGS:
        postings = getattr(tables, name)
        keys = list(postings)
        flat = array("i")
        ends = array("q")
        for key in keys:
            flat.extend(postings[key])
            ends.append(len(flat))
        packed.append((_parts(keys), flat.tobytes(), ends.tobytes()))
    state = (
        _parts(tables.entries),
        bytes(tables.dead),
        tables.dead_count,
        _parts(list(tables.pinyin.items())),
        _parts(list(tables.docs.items())),
        _parts(list(tables.same_text.items())),
        packed,
    )
    payload = marshal.dumps(state, 4)
    tag = version.encode()
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("wb") as out:
            out.write(MAGIC + struct.pack(">I", len(tag)) + tag)
            out.write(_HEADER.pack(len(payload), zlib.crc32(payload)))
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def load(path: Path, version: str) -> SearchIndex | None:
    """The index saved in ``path`` for ``version``; None if there is none, or it is for another
    version, or it is damaged (never raises for a bad file: the caller builds the index instead)."""
    try:
        with path.open("rb") as f:
            data = f.read()
    except FileNotFoundError:
        return None
    except OSError as e:
        log.warning("search index file %s unreadable (%s): building the index", path, e)
        return None
    problem = _check(data, version)
    if problem is not None:
        log.warning("search index file %s %s: building the index", path, problem)
        return None
    start = len(MAGIC) + 4 + len(version.encode()) + _HEADER.size
    collecting = gc.isenabled()
    gc.disable()  # millions of objects that all live on (see search_index._built)
    try:
        tables = _tables(marshal.loads(memoryview(data)[start:]))
    except Exception as e:  # a checksum collision or a file written by a different build of wenze
        log.warning("search index file %s unusable (%s): building the index", path, e)
        return None
    finally:
        if collecting:
            gc.enable()
    index = SearchIndex()
    index._tables = tables
    return index


def _check(data: bytes, version: str) -> str | None:
    """Why ``data`` is not a saved index for ``version`` (None: it is)."""
    if not data.startswith(MAGIC):
        return "is not a search index of this format"
    at = len(MAGIC)
    if len(data) < at + 4:
        return "is truncated"
    (length,) = struct.unpack_from(">I", data, at)
    tag = data[at + 4 : at + 4 + length]
    if tag != version.encode():
        return "was made for other data"
    at += 4 + length
    if len(data) < at + _HEADER.size:
        return "is truncated"
    size, crc = _HEADER.unpack_from(data, at)
    at += _HEADER.size
    if len(data) != at + size:
        return "is truncated" if len(data) < at + size else "has extra bytes"
    if zlib.crc32(memoryview(data)[at:]) != crc:
        return "is damaged (checksum)"
    return None


def _tables(state: Any) -> _Tables:
    entry_parts, dead, dead_count, pinyin, docs, same_text, packed = state
    if len(packed) != len(_POSTINGS):
        raise ValueError("unexpected layout")
    entries = _joined(entry_parts)
    if len(dead) != len(entries):
        raise ValueError("entries and their marks differ in length")
    tables = _Tables(
        entries=entries,
        dead=bytearray(dead),
        dead_count=dead_count,
        pinyin=dict(_joined(pinyin)),
        docs=dict(_joined(docs)),
        same_text=dict(_joined(same_text)),
    )
    for name, (key_parts, flat_bytes, ends_bytes) in zip(_POSTINGS, packed, strict=True):
        keys = _joined(key_parts)
        flat, ends = array("i"), array("q")
        flat.frombytes(flat_bytes)
        ends.frombytes(ends_bytes)
        if len(ends) != len(keys) or (ends and ends[-1] != len(flat)):
            raise ValueError(f"posting table {name} is inconsistent")
        starts = [0, *ends[:-1]] if ends else []
        postings: defaultdict[str, Any] = defaultdict(list)
        for i in range(0, len(keys), _PART):
            part = slice(i, i + _PART)
            postings.update(zip(keys[part], map(flat.__getitem__, map(slice, starts[part], ends[part])), strict=True))
            time.sleep(0)
        setattr(tables, name, postings)
    return tables
