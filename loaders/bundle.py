"""Read a bundle (CONTRACT §1): a folder of CSV files, a .zip of one, or one .xlsx workbook.

    raw = read_bundle(Path("gansu-2023/"))
    raw.files["Official"].table        # every column as strings, empty cells as null

Values are not interpreted here (``loaders.validate`` does that); this module only turns files
into string tables, keeping the file name for error messages. Rows count like a spreadsheet:
the header is row 1, the first data row is row 2.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from loaders.problems import BundleUnreadable, Problem
from schema.model import NODE_KINDS, REL_KINDS

KNOWN_NAMES = set(NODE_KINDS) | set(REL_KINDS)


@dataclass
class RawFile:
    name: str  # kind name: the file stem or sheet name
    source: str  # what to call it in messages: "Official.csv", "bundle.zip:Official.csv", "book.xlsx!Official"
    table: pa.Table  # all string columns, trimmed, empty → null; row i is spreadsheet row i + 2
    problems: list[Problem] = field(default_factory=list)  # rows that could not be read at all


@dataclass
class RawBundle:
    files: dict[str, RawFile] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def from_tables(tables: dict[str, pa.Table], origin: str = "demo") -> RawBundle:
    """A bundle made in memory (the demo generator): tables keyed by kind name, string columns."""
    raw = RawBundle()
    for name, table in tables.items():
        _add(raw, name, f"{origin}:{name}", _normalise(table))
    return raw


def read_bundle(path: Path) -> RawBundle:
    if not path.exists():
        raise BundleUnreadable(f"{path}: no such file or folder")
    if path.is_dir():
        return _read_folder(path)
    suffix = path.suffix.lower()
    if suffix == ".zip":
        return _read_zip(path)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix == ".csv":
        raise BundleUnreadable(f"{path}: a bundle is a folder (or .zip or .xlsx); give the folder holding this file")
    raise BundleUnreadable(f"{path}: not a bundle; give a folder of CSV files, a .zip of one, or an .xlsx workbook")


def _add(raw: RawBundle, name: str, source: str, table: pa.Table, problems: list[Problem] | None = None) -> None:
    raw.problems.extend(problems or [])
    if name not in KNOWN_NAMES:
        raw.problems.append(Problem(source, None, None, _unknown_name_message(name)))
        return
    if name in raw.files:
        raw.problems.append(Problem(source, None, None, f"{name} is given twice (also {raw.files[name].source})"))
        return
    raw.files[name] = RawFile(name, source, table)


def _unknown_name_message(name: str) -> str:
    import difflib

    near = difflib.get_close_matches(name, sorted(KNOWN_NAMES), n=1)
    hint = f"; did you mean {near[0]}?" if near else ""
    kinds = "node or relationship kinds (Official, HELD_POST, …)"
    return f"unknown file name '{name}': files are named after {kinds}{hint}"


def _read_folder(path: Path) -> RawBundle:
    raw = RawBundle()
    for file in sorted(path.iterdir()):
        if file.is_file() and file.suffix.lower() == ".csv":
            _add(raw, file.stem, file.name, *_read_csv_bytes(file.read_bytes(), file.name))
    if not raw.files and not raw.problems:
        raise BundleUnreadable(f"{path}: the folder holds no .csv files")
    return raw


def _read_zip(path: Path) -> RawBundle:
    raw = RawBundle()
    try:
        with zipfile.ZipFile(path) as zf:
            for info in sorted(zf.infolist(), key=lambda i: i.filename):
                member = PurePosixPath(info.filename)
                if info.is_dir() or member.suffix.lower() != ".csv" or member.name.startswith("._"):
                    continue
                if "__MACOSX" in member.parts:
                    continue
                source = f"{path.name}:{info.filename}"
                _add(raw, member.stem, source, *_read_csv_bytes(zf.read(info), source))
    except zipfile.BadZipFile as e:
        raise BundleUnreadable(f"{path}: not a valid zip file ({e})") from e
    if not raw.files and not raw.problems:
        raise BundleUnreadable(f"{path}: the zip holds no .csv files")
    return raw


def _read_csv_bytes(data: bytes, source: str) -> tuple[pa.Table, list[Problem]]:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text_head = data[:65536].decode("utf-8", errors="strict") if len(data) <= 65536 else None
        if text_head is None:
            data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise BundleUnreadable(f"{source}: not UTF-8 (first bad byte on line {line}); save the file as UTF-8") from e
    first_line = data.split(b"\n", 1)[0].decode("utf-8")
    header = next(csv.reader([first_line]), [])
    if not header or all(not h.strip() for h in header):
        raise BundleUnreadable(f"{source}: the first row must be a header")
    names = [h.strip() for h in header]
    problems: list[Problem] = []

    def ragged(row: pacsv.InvalidRow) -> str:
        # row.number counts physical lines from 1 (the header), like a spreadsheet row.
        problems.append(Problem(source, row.number, None,
                                f"this row has {row.actual_columns} cells but the header has {row.expected_columns}"))
        return "skip"

    def read(use_threads: bool) -> pa.Table:
        return pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=1 << 24,
                                           use_threads=use_threads),
            parse_options=pacsv.ParseOptions(invalid_row_handler=ragged),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names}, strings_can_be_null=False
            ),
        )

    try:
        table = read(use_threads=True)
        if problems:  # row numbers are only known to a single-threaded read: read again for them
            problems.clear()
            table = read(use_threads=False)
    except pa.ArrowInvalid as e:
        raise BundleUnreadable(f"{source}: cannot be read as CSV: {e}") from e
    return _normalise(table), problems


def _normalise(table: pa.Table) -> pa.Table:
    """Strings, trimmed, empty → null."""
    cols = []
    for col in table.columns:
        col = pc.cast(col, pa.string())
        col = pc.utf8_trim_whitespace(col)
        col = pc.if_else(pc.equal(col, ""), pa.scalar(None, pa.string()), col)
        cols.append(col)
    return pa.Table.from_arrays(cols, names=[n.strip() for n in table.column_names])


def _xlsx_cell(value: object) -> str | None:
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


def _read_xlsx(path: Path) -> RawBundle:
    import openpyxl

    raw = RawBundle()
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for a broken file
        raise BundleUnreadable(f"{path}: cannot be read as an .xlsx workbook ({e})") from e
    try:
        for sheet in book.worksheets:
            rows = sheet.iter_rows(values_only=True)
            header = next(rows, None)
            source = f"{path.name}!{sheet.title}"
            if header is None:
                continue
            names = [(_xlsx_cell(h) or "").strip() for h in header]
            while names and not names[-1]:
                names.pop()
            columns: list[list[str | None]] = [[] for _ in names]
            for row in rows:
                cells = [_xlsx_cell(v) for v in row[: len(names)]]
                for i in range(len(names)):
                    columns[i].append(cells[i] if i < len(cells) else None)
            table = pa.Table.from_arrays([pa.array(c, pa.string()) for c in columns], names=names)
            _add(raw, sheet.title.strip(), source, _normalise(table))
    finally:
        book.close()
    return raw
