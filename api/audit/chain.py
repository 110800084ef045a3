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

from cryptography.hazmat.primitives import hashes, hmac

Algorithm = Literal["hmac-sha256", "hmac-sm3"]
GENESIS = "0" * 64
_HASHES: dict[str, type[hashes.HashAlgorithm]] = {"hmac-sha256": hashes.SHA256, "hmac-sm3": hashes.SM3}


class AuditKeyError(Exception):
    """The key file is unusable (unreadable, too open, malformed); the message says how to fix it."""


def canonical(entry: dict[str, Any]) -> bytes:
    """The bytes a MAC covers: sorted keys, no spaces, UTF-8 (the same on every machine).

    A value JSON has no form for is written as its ``str`` (the entry is then read back as that
    string, whose canonical form is the same bytes), so an odd variable never blocks an audit write.
    """
    return json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode("utf-8")


def entry_mac(key: bytes, algorithm: str, prev: str, entry: dict[str, Any]) -> str:
    """HMAC of ``prev`` and the entry without its own ``mac`` field, as hex."""
    if algorithm not in _HASHES:
        raise ValueError(f"unknown audit algorithm {algorithm!r}; expected one of {', '.join(_HASHES)}")
    message = prev.encode("ascii") + b"\n" + canonical({k: v for k, v in entry.items() if k != "mac"})
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
