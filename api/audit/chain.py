"""The audit log's keyed hash chain: canonical entries, their MACs, and the key file.

    key = load_key(Path("wenze-data/audit.key"))            # created 0600 with 32 random bytes on first use
    mac = entry_mac(key, "hmac-sha256", prev, entry)          # HMAC(key, prev || "\\n" || canonical(entry))

Each entry carries ``prev`` (the MAC of the entry before it, ``GENESIS`` for the first) and ``mac``.
Editing, deleting or reordering entries breaks a MAC or a link; recomputing the MACs needs the key,
which never leaves the key file. ``hmac-sm3`` uses SM3 (GB/T 32905) from the cryptography package.
"""

from __future__ import annotations

import hashlib
import hmac as std_hmac
import json
import os
import secrets
import stat
from pathlib import Path
from typing import Any, Literal

import orjson
from cryptography.hazmat.primitives import hashes, hmac

Algorithm = Literal["hmac-sha256", "hmac-sm3"]
GENESIS = "0" * 64
_HASHES: dict[str, type[hashes.HashAlgorithm]] = {"hmac-sha256": hashes.SHA256, "hmac-sm3": hashes.SM3}


class AuditKeyError(Exception):
    """The key file is unusable (unreadable, too open, malformed); the message says how to fix it."""


def canonical(entry: dict[str, Any]) -> bytes:
    """The bytes a MAC covers: sorted keys, no spaces, UTF-8 (the same on every machine).

    Written by orjson (a tenth of the standard library's time; the audit append's costliest step).
    A value orjson cannot write (an integer past 64 bits, a key that is not a string) gives the
    standard library's form instead (``legacy_canonical``, also the form of every line written before
    2026-12-02): ``entry_matches`` accepts either. A value JSON has no form for is written as its
    ``str`` (read back as that string, whose canonical form is the same bytes), so an odd variable never
    blocks an audit write.
    """
    return _in_one_form(entry)[0]


def legacy_canonical(entry: dict[str, Any]) -> bytes:
    return json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode("utf-8")


_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def _fast(entry: dict[str, Any]) -> bytes:
    return orjson.dumps(entry, option=_OPTIONS, default=str)


def _in_one_form(*parts: dict[str, Any]) -> list[bytes]:
    """Each part's canonical bytes, all by orjson or, when it cannot write one of them, all by the old form."""
    try:
        return [_fast(p) for p in parts]
    except (orjson.JSONEncodeError, TypeError):
        return [legacy_canonical(p) for p in parts]


def entry_mac(key: bytes, algorithm: str, prev: str, entry: dict[str, Any]) -> str:
    """HMAC of ``prev`` and the entry without its own ``mac`` field, as hex."""
    return _mac(key, algorithm, prev, canonical({k: v for k, v in entry.items() if k != "mac"}))


def entry_matches(key: bytes, algorithm: str, prev: str, entry: dict[str, Any], mac: str) -> bool:
    """Whether ``mac`` is the entry's MAC in either canonical form (see ``canonical``)."""
    body = {k: v for k, v in entry.items() if k != "mac"}
    if std_hmac.compare_digest(mac, _mac(key, algorithm, prev, canonical(body))):
        return True
    return std_hmac.compare_digest(mac, _mac(key, algorithm, prev, legacy_canonical(body)))


def mac_and_line(key: bytes, algorithm: str, prev: str, entry: dict[str, Any]) -> tuple[str, bytes]:
    """``entry_mac`` of an entry that has no ``mac`` yet, and the canonical line of the entry with it.

    The entry is serialised once: the keys that sort before ``mac`` and those after it are written
    apart (by one serialiser, so the line is in one form), and the MAC goes between them — the bytes
    of ``canonical``, which are ``{`` + the sorted ``"key":value`` pairs joined by ``,`` + ``}``.
    """
    if "mac" in entry:
        raise ValueError("the entry already has a mac")
    low, high = _in_one_form(
        {k: v for k, v in entry.items() if k < "mac"}, {k: v for k, v in entry.items() if k > "mac"}
    )
    a, b = low[1:-1], high[1:-1]
    mac = _mac(key, algorithm, prev, b"{" + b",".join(p for p in (a, b) if p) + b"}")
    return mac, b"{" + b",".join(p for p in (a, b'"mac":"' + mac.encode("ascii") + b'"', b) if p) + b"}"


def _mac(key: bytes, algorithm: str, prev: str, body: bytes) -> str:
    if algorithm not in _HASHES:
        raise ValueError(f"unknown audit algorithm {algorithm!r}; expected one of {', '.join(_HASHES)}")
    message = prev.encode("ascii") + b"\n" + body
    if algorithm == "hmac-sha256":  # the standard library's HMAC: the same bytes, 4 us against 15 us
        return std_hmac.new(key, message, hashlib.sha256).hexdigest()
    h = hmac.HMAC(key, _HASHES[algorithm]())
    h.update(message)
    return h.finalize().hex()


def load_key(path: Path, create: bool = True) -> bytes:
    """The audit key from ``path``; created (32 random bytes, hex, mode 0600) when absent and ``create``."""
    if not path.exists():
        if not create:
            raise AuditKeyError(f"audit key file {path} does not exist (set WENZE_AUDIT_KEY_FILE)")
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return load_key(path, create=False)  # another process made it first
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32) + "\n")
            f.flush()
            os.fsync(f.fileno())
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise AuditKeyError(f"audit key file {path} is readable by others (mode {oct(mode & 0o777)}); chmod 600 it")
    text = path.read_text(encoding="ascii").strip()
    try:
        key = bytes.fromhex(text)
    except ValueError as e:
        raise AuditKeyError(f"audit key file {path} must hold hex digits (at least 32 bytes)") from e
    if len(key) < 32:
        raise AuditKeyError(f"audit key file {path} holds {len(key)} bytes; at least 32 are needed")
    return key
