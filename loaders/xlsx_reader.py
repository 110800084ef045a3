"""Read an .xlsx workbook (one sheet per bundle file) within ``LoadLimits``, refusing what would read as empty.

    sheets, problems = read_workbook(Path("book.xlsx"), LoadLimits())
    sheets["Official"]                   # (source "book.xlsx!Official", a table of strings)

Two things in a workbook look filled in Excel but reach a reader as empty cells, and would load as
missing values without a word:

- a **formula with no saved value** (written by a program that does not calculate, or saved with
  calculation off): the reader gets only the formula's text or nothing;
- **merged cells**: only the top-left cell of the range holds the value.

Both are reported as problems naming the workbook, the sheet and the cell. The workbook is a zip:
its declared sizes are checked before it is opened (``zip_members.check_declared_sizes``).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pyarrow as pa

from loaders.limits import LoadLimits, refuse, size_text
from loaders.problems import BundleUnreadable, Problem
from loaders.zip_members import check_declared_sizes

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_CELL = re.compile(r"^([A-Z]+)([0-9]+)$")


@dataclass
class Sheet:
    name: str  # the sheet's title, trimmed: the kind it holds
    source: str  # "book.xlsx!Official"
    table: pa.Table  # string columns


def read_workbook(path: Path, limits: LoadLimits) -> tuple[list[Sheet], list[Problem]]:
    import openpyxl

    try:
        with zipfile.ZipFile(path) as zf:
            check_declared_sizes(path, zf.infolist(), limits)
    except zipfile.BadZipFile as e:
        raise BundleUnreadable(f"{path}: cannot be read as an .xlsx workbook ({e})") from e
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for a broken file
        raise BundleUnreadable(f"{path}: cannot be read as an .xlsx workbook ({e})") from e
    sheets: list[Sheet] = []
    problems: list[Problem] = []
    try:
        with zipfile.ZipFile(path) as archive:
            for sheet in book.worksheets:
                source = f"{path.name}!{sheet.title}"
                read = _read_sheet(sheet, source, limits)
                if read is None:
                    continue
                sheets.append(Sheet(sheet.title.strip(), source, read[0]))
                xml_path = getattr(sheet, "_worksheet_path", None)
                if xml_path:
                    problems += _hidden_values(archive, xml_path, source, read[1])
    finally:
        book.close()
    return sheets, problems


def _read_sheet(sheet: object, source: str, limits: LoadLimits) -> tuple[pa.Table, list[str]] | None:
    rows = sheet.iter_rows(values_only=True)  # type: ignore[attr-defined]
    header = next(rows, None)
    if header is None:
        return None
    names = [(_cell_text(h) or "").strip() for h in header]
    while names and not names[-1]:
        names.pop()
    if len(names) > limits.max_columns:
        raise refuse(
            source,
            1,
            None,
            f"表头有 {len(names):,} 列，超过 {limits.max_columns} 列的上限。",
            f"the header has {len(names):,} columns; at most {limits.max_columns} are allowed "
            "(WENZE_LOAD_MAX_COLUMNS).",
        )
    columns: list[list[str | None]] = [[] for _ in names]
    for number, row in enumerate(rows, start=2):
        if number - 1 > limits.max_rows:
            raise refuse(
                source,
                number,
                None,
                f"工作表超过 {limits.max_rows:,} 行的上限。",
                f"the sheet has more than {limits.max_rows:,} data rows, the limit (WENZE_LOAD_MAX_ROWS).",
            )
        cells = [_cell_text(v) for v in row[: len(names)]]
        for i in range(len(names)):
            value = cells[i] if i < len(cells) else None
            if value is not None and len(value) * 4 > limits.max_cell_bytes:  # cheap bound before encoding
                size = len(value.encode("utf-8"))
                if size > limits.max_cell_bytes:
                    raise refuse(
                        source,
                        number,
                        names[i],
                        f"单元格过大（{size_text(size)}），上限为 {size_text(limits.max_cell_bytes)}。",
                        f"this cell holds {size_text(size)}; a cell may hold at most "
                        f"{size_text(limits.max_cell_bytes)} (WENZE_LOAD_MAX_CELL_BYTES).",
                    )
            columns[i].append(value)
    return pa.Table.from_arrays([pa.array(c, pa.string()) for c in columns], names=names), names


def _cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _where(ref: str, names: list[str]) -> tuple[int | None, str | None]:
    m = _CELL.match(ref)
    if not m:
        return None, None
    index = _column_index(m.group(1))
    return int(m.group(2)), names[index] if index < len(names) else None


def _mentions(archive: zipfile.ZipFile, xml_path: str, needles: tuple[bytes, ...]) -> bool:
    """Whether the sheet's XML holds any of ``needles`` (a byte search: cheap next to parsing it)."""
    tail = b""
    with archive.open(xml_path.lstrip("/")) as f:
        while chunk := f.read(1 << 20):
            if any(n in tail + chunk for n in needles):
                return True
            tail = chunk[-16:]
    return False


def _hidden_values(archive: zipfile.ZipFile, xml_path: str, source: str, names: list[str]) -> list[Problem]:
    """Formulas without a saved value and merged ranges, read from the sheet's XML."""
    if not _mentions(archive, xml_path, (b"<f>", b"<f ", b"<f/>", b"<mergeCell ")):
        return []
    problems: list[Problem] = []
    with archive.open(xml_path.lstrip("/")) as f:
        for _, elem in ElementTree.iterparse(f, events=("end",)):
            if elem.tag == f"{_NS}c":
                formula = elem.find(f"{_NS}f")
                value = elem.find(f"{_NS}v")
                if formula is not None and (value is None or not (value.text or "")):
                    ref = elem.get("r", "?")
                    row, column = _where(ref, names)
                    text = f" (={formula.text})" if formula.text else ""
                    problems.append(
                        Problem(
                            source,
                            row,
                            column,
                            f"单元格 {ref} 是没有保存结果的公式{text} cell {ref} is a formula with no "
                            "saved value: open the workbook in Excel or WPS and save it (values "
                            "are then stored), or type the value in",
                        )
                    )
                elem.clear()
            elif elem.tag == f"{_NS}row":
                elem.clear()
            elif elem.tag == f"{_NS}mergeCell":
                ref = elem.get("ref", "?")
                row, column = _where(ref.split(":")[0], names)
                problems.append(
                    Problem(
                        source,
                        row,
                        column,
                        f"单元格 {ref} 是合并单元格 cells {ref} are merged: only the first holds a "
                        "value, the others would load as empty; unmerge them and fill every cell",
                    )
                )
    return problems
