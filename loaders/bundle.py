"""Read a bundle (CONTRACT §1): a folder of CSV files, a .zip of one, or one .xlsx workbook.

    raw = read_bundle(Path("gansu-2023/"))
    raw.files["Official"].table        # every column as strings, empty cells as null
    raw = read_bundle(Path("bundle.zip"), LoadLimits(max_rows=100_000), encoding="gb18030")

Values are not interpreted here (``loaders.validate`` does that); this module only turns files
into string tables, keeping the file name for error messages. Rows count like a spreadsheet:
the header is row 1, the first data row is row 2. Files are held to ``LoadLimits`` while they are
read (``loaders.csv_reader``, ``loaders.zip_members``, ``loaders.xlsx_reader``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pyarrow as pa
import pyarrow.compute as pc

from loaders.csv_reader import read_csv_file
from loaders.limits import LoadLimits
from loaders.problems import BundleUnreadable, Problem
from loaders.xlsx_reader import read_workbook
from loaders.zip_members import extracted_csvs
from schema.model import NODE_KINDS, REL_KINDS

KNOWN_NAMES = set(NODE_KINDS) | set(REL_KINDS)


@dataclass
class RawFile:
    name: str  # kind name: the file stem or sheet name
    source: str  # what to call it in messages: "Official.csv", "bundle.zip:Official.csv", "book.xlsx!Official"
    table: pa.Table  # all string columns, trimmed, empty → null; row i is spreadsheet row i + 2
    problems: list[Problem] = field(default_factory=list)  # rows that could not be read at all
    encoding: str = "utf-8"  # what a CSV file was read as ("gb18030" for a GBK export)


@dataclass
class RawBundle:
    files: dict[str, RawFile] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def encodings(self) -> dict[str, str]:
        """Files read in an encoding other than UTF-8: source → encoding."""
        return {f.source: f.encoding for f in self.files.values() if f.encoding != "utf-8"}


def from_tables(tables: dict[str, pa.Table], origin: str = "demo") -> RawBundle:
    """A bundle made in memory (the demo generator): tables keyed by kind name, string columns."""
    raw = RawBundle()
    for name, table in tables.items():
        _add(raw, name, f"{origin}:{name}", _normalise(table))
    return raw


def read_bundle(path: Path, limits: LoadLimits | None = None, encoding: str | None = None) -> RawBundle:
    """The bundle at ``path`` as string tables; ``encoding`` forces the encoding of its CSV files."""
    limits = limits or LoadLimits()
    if not path.exists():
        raise BundleUnreadable(f"{path}: no such file or folder")
    if path.is_dir():
        return _read_folder(path, limits, encoding)
    suffix = path.suffix.lower()
    if suffix == ".zip":
        return _read_zip(path, limits, encoding)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, limits)
    if suffix == ".csv":
        raise BundleUnreadable(f"{path}: a bundle is a folder (or .zip or .xlsx); give the folder holding this file")
    raise BundleUnreadable(f"{path}: not a bundle; give a folder of CSV files, a .zip of one, or an .xlsx workbook")


def _add(
    raw: RawBundle,
    name: str,
    source: str,
    table: pa.Table,
    problems: list[Problem] | None = None,
    encoding: str = "utf-8",
) -> None:
    raw.problems.extend(problems or [])
    if name not in KNOWN_NAMES:
        raw.problems.append(Problem(source, None, None, _unknown_name_message(name)))
        return
    if name in raw.files:
        raw.problems.append(Problem(source, None, None, f"{name} is given twice (also {raw.files[name].source})"))
        return
    raw.files[name] = RawFile(name, source, table, encoding=encoding)


def _unknown_name_message(name: str) -> str:
    import difflib

    near = difflib.get_close_matches(name, sorted(KNOWN_NAMES), n=1)
    hint = f"; did you mean {near[0]}?" if near else ""
    kinds = "node or relationship kinds (Official, HELD_POST, …)"
    return f"unknown file name '{name}': files are named after {kinds}{hint}"


def _add_csv(raw: RawBundle, name: str, file: Path, source: str, limits: LoadLimits, encoding: str | None) -> None:
    read = read_csv_file(file, source, limits, encoding)
    _add(raw, name, source, _normalise(read.table), read.problems, read.encoding)


def _read_folder(path: Path, limits: LoadLimits, encoding: str | None) -> RawBundle:
    raw = RawBundle()
    for file in sorted(path.iterdir()):
        if file.is_file() and file.suffix.lower() == ".csv":
            _add_csv(raw, file.stem, file, file.name, limits, encoding)
    if not raw.files and not raw.problems:
        raise BundleUnreadable(f"{path}: the folder holds no .csv files")
    return raw


def _read_zip(path: Path, limits: LoadLimits, encoding: str | None) -> RawBundle:
    raw = RawBundle()
    with extracted_csvs(path, limits) as members:
        for member, file in members:
            _add_csv(raw, PurePosixPath(member).stem, file, f"{path.name}:{member}", limits, encoding)
    if not raw.files and not raw.problems:
        raise BundleUnreadable(f"{path}: the zip holds no .csv files")
    return raw


def _normalise(table: pa.Table) -> pa.Table:
    """Strings, trimmed, empty → null."""
    cols = []
    for col in table.columns:
        col = pc.cast(col, pa.string())
        col = pc.utf8_trim_whitespace(col)
        col = pc.if_else(pc.equal(col, ""), pa.scalar(None, pa.string()), col)
        cols.append(col)
    return pa.Table.from_arrays(cols, names=[n.strip() for n in table.column_names])


def _read_xlsx(path: Path, limits: LoadLimits) -> RawBundle:
    raw = RawBundle()
    sheets, problems = read_workbook(path, limits)
    for sheet in sheets:
        _add(raw, sheet.name, sheet.source, _normalise(sheet.table))
    raw.problems.extend(problems)
    return raw
