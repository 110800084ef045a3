"""What a loader reports about bad input: every problem with file, row and column.

LoaderError
├── BundleRejected    the bundle has bad rows; ``problems`` lists them all; nothing was written
└── BundleUnreadable  the path is not a bundle (missing, not a folder/zip/xlsx, not UTF-8)
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# Characters a reader cannot see or tell apart: format (zero-width space, BOM, direction marks), control,
# unassigned, private-use, and every space that is not the plain one (no-break, ideographic, …).
_HIDDEN_CATEGORIES = {"Cf", "Cc", "Cn", "Co", "Cs", "Zl", "Zp", "Zs"}


def shown(text: str) -> str:
    """``text`` with invisible characters written as escapes, so a message shows them.

    >>> shown("姓名\u200b")
    '姓名\\u200b'
    """
    if text.isprintable():  # every "Other" and "Separator" character but the space is not
        return text
    out = []
    for ch in text:
        if ch != " " and unicodedata.category(ch) in _HIDDEN_CATEGORIES:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x80 else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
        else:
            out.append(ch)
    return "".join(out)


@dataclass(frozen=True, order=True)
class Problem:
    """One bad cell, row or file. ``row`` counts like a spreadsheet: the header is row 1."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f" 第{self.row}行 (row {self.row})"
        if self.column is not None:
            where += f" 列 column '{shown(self.column)}'"
        return f"{where}: {shown(self.message)}"


class LoaderError(Exception):
    """Base of loader errors."""


class BundleUnreadable(LoaderError):
    """The path cannot be read as a bundle."""


class BundleRejected(LoaderError):
    """The bundle was rejected whole; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.row or 0, p.column or "", p.message))
        super().__init__(self.summary())

    def summary(self, limit: int = 200) -> str:
        lines = [f"bundle rejected, nothing was written: {len(self.problems)} problem(s)"]
        lines += [f"  {p}" for p in self.problems[:limit]]
        if len(self.problems) > limit:
            lines.append(f"  … and {len(self.problems) - limit} more")
        return "\n".join(lines)
