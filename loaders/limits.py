"""What a bundle may be: the limits a file is held to before it is read into memory.

    limits = LoadLimits()                                   # the defaults below
    limits = LoadLimits(max_rows=100_000, max_cell_bytes=4096)
    read_bundle(path, limits)                               # BundleUnreadable naming file, row and column

The defaults are far above any real bundle (the full Gansu demo: 518k rows in its largest file, 8
columns, cells under 100 bytes) and far below what exhausts an ordinary machine: a file beyond one is
refused early — the header is read from at most ``HEADER_BYTES``, CSV is streamed in blocks, zip
members are checked on their headers and counted while they are extracted — so refusing it takes
little memory. ``api.settings.Settings`` carries them (``WENZE_LOAD_MAX_*``) and the command line
passes them in.
"""

from __future__ import annotations

from dataclasses import dataclass

from loaders.problems import BundleUnreadable, Problem

_MIB = 1 << 20
HEADER_BYTES = 1 * _MIB  # a header row longer than this is refused without reading further
BLOCK_BYTES = 16 * _MIB  # CSV is parsed in blocks of this size: a row must fit in one


@dataclass(frozen=True)
class LoadLimits:
    """Limits on one bundle (every field has a sane default)."""

    max_columns: int = 200  # columns per file or sheet (the widest kind has 16)
    max_cell_bytes: int = 64 * 1024  # bytes of one cell, UTF-8 (about 21,000 Chinese characters)
    max_rows: int = 5_000_000  # data rows per file or sheet
    max_unzipped_bytes: int = 2 << 30  # all members of a .zip (or an .xlsx) together, decompressed
    max_zip_ratio: float = 100.0  # decompressed / compressed size of one member (CSV compresses 5-20×)

    def __post_init__(self) -> None:
        if self.max_cell_bytes >= BLOCK_BYTES:
            raise ValueError(f"max_cell_bytes must be below {BLOCK_BYTES} (the CSV block size)")


def refuse(file: str, row: int | None, column: str | None, zh: str, en: str) -> BundleUnreadable:
    """The error for a file beyond a limit: where, then a Chinese and an English sentence."""
    return BundleUnreadable(str(Problem(file, row, column, f"{zh} {en}")))


def size_text(n: float) -> str:
    """Bytes for people: 1.5 MiB, 4.0 GiB, 512 bytes."""
    for unit, size in (("GiB", 1 << 30), ("MiB", _MIB), ("KiB", 1024)):
        if n >= size:
            return f"{n / size:,.1f} {unit}"
    return f"{int(n)} bytes"
