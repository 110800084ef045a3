"""Read one CSV file into a table of strings, streamed, within ``LoadLimits``, in UTF-8 or GB18030.

    read = read_csv_file(Path("Official.csv"), "Official.csv", LoadLimits())
    read.table, read.problems, read.encoding          # "utf-8", or "gb18030" for a GBK export from Excel

- **Encoding.** UTF-8 (a BOM is accepted). A file that is not UTF-8 but decodes cleanly as GB18030
  (a superset of GBK and GB2312: what Excel and WPS save as "CSV" on a Chinese Windows) is read as
  GB18030 and the encoding is reported; ``encoding=`` forces one (``wenze load --encoding``).
- **Limits.** The header is read from at most ``HEADER_BYTES`` and its columns counted before the
  parser sees the file; rows are parsed in blocks of ``BLOCK_BYTES`` and counted and measured block by
  block, so a file beyond a limit is refused after reading one block, not the whole file.
- **Line endings.** ``\\n``, ``\\r\\n`` and a lone ``\\r`` (old Mac exports) all end a row.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from loaders.limits import BLOCK_BYTES, HEADER_BYTES, LoadLimits, refuse, size_text
from loaders.problems import BundleUnreadable, Problem, shown

_CHUNK = 1 << 20
_UTF8_BOM = b"\xef\xbb\xbf"
_STRUCTURE = re.compile(rb'[",\r\n]')  # never a byte of a multi-byte character in UTF-8 or GB18030


@dataclass
class CsvRead:
    table: pa.Table  # every column a string column, as in the file (not trimmed)
    encoding: str  # "utf-8" or the encoding the file was read with
    problems: list[Problem] = field(default_factory=list)  # rows that could not be read (ragged)


def read_csv_file(path: Path, source: str, limits: LoadLimits, encoding: str | None = None) -> CsvRead:
    """The file at ``path`` as strings; ``source`` names it in messages. Raises BundleUnreadable."""
    chosen = _encoding_of(path, source, encoding)
    names = _header(path, source, chosen, limits)
    problems: list[Problem] = []

    def ragged(row: pacsv.InvalidRow) -> str:
        # row.number counts physical lines from 1 (the header), like a spreadsheet row.
        problems.append(
            Problem(
                source,
                row.number,
                None,
                f"this row has {row.actual_columns} cells but the header has {row.expected_columns}",
            )
        )
        return "skip"

    reader_options = pacsv.ReadOptions(
        column_names=names,
        skip_rows=1,
        block_size=BLOCK_BYTES,
        use_threads=False,
        encoding="utf8" if chosen == "utf-8" else chosen,
    )
    batches: list[pa.RecordBatch] = []
    rows = 0
    try:
        reader = pacsv.open_csv(
            str(path),
            read_options=reader_options,
            parse_options=pacsv.ParseOptions(invalid_row_handler=ragged),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names}, strings_can_be_null=False
            ),
        )
        for batch in reader:
            _check_cells(batch, rows, source, limits)
            rows += batch.num_rows
            if rows > limits.max_rows:
                raise refuse(
                    source,
                    limits.max_rows + 2,
                    None,
                    f"文件超过 {limits.max_rows:,} 行的上限。",
                    f"the file has more than {limits.max_rows:,} data rows, the limit "
                    "(WENZE_LOAD_MAX_ROWS); split it, or raise the limit.",
                )
            batches.append(batch)
    except pa.ArrowInvalid as e:
        if "straddl" in str(e):  # a row longer than a block: find it, and say which limit it breaks
            raise _oversize(path, source, names, limits) from e
        raise BundleUnreadable(f"{source}: cannot be read as CSV: {e}") from e
    schema = pa.schema([(n, pa.string()) for n in names])
    return CsvRead(pa.Table.from_batches(batches, schema=schema), chosen, problems)


# ---------------------------------------------------------------- encoding


def _chunks(path: Path) -> Iterator[bytes]:
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            yield chunk


def _first_bad_byte(path: Path, codec: str) -> tuple[int, int] | None:
    """(line, byte offset) of the first byte ``codec`` cannot decode, or None when all decode."""
    decoder = codecs.getincrementaldecoder(codec)()
    offset = lines = 0
    for chunk in _chunks(path):
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError as e:
            at = max(0, e.start)
            return lines + chunk[:at].count(b"\n") + 1, offset + at
        offset += len(chunk)
        lines += chunk.count(b"\n")
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return lines + 1, offset
    return None


def _encoding_of(path: Path, source: str, forced: str | None) -> str:
    if forced:
        try:
            codec = codecs.lookup(forced).name
        except LookupError as e:
            raise BundleUnreadable(f"unknown encoding {forced!r} (try utf-8, gb18030 or gbk)") from e
        bad = _first_bad_byte(path, codec)
        if bad is not None:
            raise BundleUnreadable(
                f"{source}: 第{bad[0]}行 (line {bad[0]}) 无法按 {codec} 解码 is not valid {codec} "
                f"(first bad byte at offset {bad[1]:,})"
            )
        return "utf-8" if codec in ("utf-8", "utf-8-sig") else codec
    with open(path, "rb") as f:
        head = f.read(4)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BundleUnreadable(
            f'{source}: 文件是 UTF-16 编码 is UTF-16 (Excel\'s "Unicode text"); save it as "CSV UTF-8" instead'
        )
    bad = _first_bad_byte(path, "utf-8")
    if bad is None:
        return "utf-8"
    if _first_bad_byte(path, "gb18030") is None:
        return "gb18030"
    raise BundleUnreadable(
        f"{source}: 第{bad[0]}行 (line {bad[0]}) 不是 UTF-8，也不是 GB18030/GBK 编码 is neither UTF-8 nor GB18030/GBK "
        f'(first bad byte at offset {bad[1]:,}); save it as "CSV UTF-8", or name its encoding with '
        "`wenze load --encoding ENC`"
    )


# ---------------------------------------------------------------- header


def _header(path: Path, source: str, encoding: str, limits: LoadLimits) -> list[str]:
    """The header's names, read from at most HEADER_BYTES; too many columns are refused here."""
    with open(path, "rb") as f:
        head = f.read(HEADER_BYTES + 1)
    if head.startswith(_UTF8_BOM):
        head = head[len(_UTF8_BOM) :]
    complete = len(head) <= HEADER_BYTES
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(head[:HEADER_BYTES], final=complete)
    lines = io.StringIO(text, newline="")
    try:
        header = next(csv.reader(lines), [])
    except csv.Error as e:
        raise BundleUnreadable(f"{source}: the header row cannot be read as CSV ({e})") from e
    if not complete and lines.tell() >= len(text):  # no end of row within HEADER_BYTES
        commas = _commas_in_first_row(path) + 1
        if commas > limits.max_columns:
            raise _too_many_columns(source, commas, exact=False, limits=limits)
        raise refuse(
            source,
            1,
            None,
            f"表头行超过 {size_text(HEADER_BYTES)}。",
            f"the header row is longer than {size_text(HEADER_BYTES)}; a header holds column names.",
        )
    if len(header) > limits.max_columns:
        raise _too_many_columns(source, len(header), exact=True, limits=limits)
    if not header or all(not h.strip() for h in header):
        raise BundleUnreadable(f"{source}: the first row must be a header")
    for name in header:
        if len(name.encode("utf-8")) > limits.max_cell_bytes:
            raise refuse(source, 1, shown(name[:40]) + "…", "列名过长。", "this column name is too long.")
    return [h.strip() for h in header]


def _commas_in_first_row(path: Path, most: int = 64 * _CHUNK) -> int:
    """Commas before the first line end, reading at most ``most`` bytes (quotes not considered)."""
    commas = read = 0
    with open(path, "rb") as f:
        while read < most and (chunk := f.read(_CHUNK)):
            end = min((i for i in (chunk.find(b"\n"), chunk.find(b"\r")) if i >= 0), default=-1)
            commas += chunk.count(b",", 0, end if end >= 0 else len(chunk))
            if end >= 0:
                break
            read += len(chunk)
    return commas


def _too_many_columns(source: str, n: int, exact: bool, limits: LoadLimits) -> BundleUnreadable:
    count = f"{n:,}" if exact else f"about {n:,}"
    return refuse(
        source,
        1,
        None,
        f"表头有{'' if exact else '约'} {n:,} 列，超过 {limits.max_columns} 列的上限。",
        f"the header has {count} columns; at most {limits.max_columns} are allowed "
        "(WENZE_LOAD_MAX_COLUMNS). Is the file a bundle file (one kind per file)?",
    )


# ---------------------------------------------------------------- cells


def _check_cells(batch: pa.RecordBatch, rows_before: int, source: str, limits: LoadLimits) -> None:
    for name, column in zip(batch.schema.names, batch.columns, strict=True):
        lengths = pc.binary_length(column)
        longest = pc.max(lengths).as_py()
        if longest is not None and longest > limits.max_cell_bytes:
            first = pc.indices_nonzero(pc.greater(lengths, limits.max_cell_bytes))[0].as_py()
            raise _cell_too_big(source, rows_before + first + 2, name, longest, limits)


def _cell_too_big(source: str, row: int, column: str, size: int | None, limits: LoadLimits) -> BundleUnreadable:
    got = f"{size_text(size)}" if size is not None else f"more than {size_text(BLOCK_BYTES)}"
    return refuse(
        source,
        row,
        column,
        f"单元格过大（{got}），上限为 {size_text(limits.max_cell_bytes)}。",
        f"this cell holds {got}; a cell may hold at most {size_text(limits.max_cell_bytes)} "
        "(WENZE_LOAD_MAX_CELL_BYTES).",
    )


def _oversize(path: Path, source: str, names: list[str], limits: LoadLimits) -> BundleUnreadable:
    """The error for a row the parser could not hold in one block: its first oversized cell, or the row."""
    found = locate_oversize(path, limits.max_cell_bytes, BLOCK_BYTES)
    if found is None:
        return BundleUnreadable(f"{source}: a row is longer than {size_text(BLOCK_BYTES)}")
    row, index, what, size = found
    if what == "cell":
        column = names[index] if index < len(names) else f"{index + 1}"
        return _cell_too_big(source, row, column, size, limits)
    return refuse(
        source,
        row,
        None,
        f"此行超过 {size_text(BLOCK_BYTES)}。",
        f"this row is longer than {size_text(BLOCK_BYTES)}; no bundle row comes near that.",
    )


def locate_oversize(path: Path, max_cell: int, max_row: int) -> tuple[int, int, str, int] | None:
    """(spreadsheet row, 0-based column, "cell" | "row", its size so far) of the first cell longer than
    ``max_cell`` bytes or row longer than ``max_row``, reading 1 MiB at a time (quotes respected).

    A cell is measured to its end (only separators are looked at, so 200 MB take a fraction of a second).
    """
    row, column, cell_start, row_start, quoted, pos = 1, 0, 0, 0, False, 0
    last_cr = -2
    found: tuple[int, int] | None = None  # (row, column) of an oversized cell, measured to its end
    with open(path, "rb") as f:
        if f.read(3) != _UTF8_BOM:
            f.seek(0)
        else:
            pos = cell_start = row_start = 3
        while chunk := f.read(_CHUNK):
            for m in _STRUCTURE.finditer(chunk):
                at, char = pos + m.start(), m.group()
                if char == b'"':
                    quoted = not quoted  # "" inside quotes toggles twice
                    continue
                if quoted:
                    continue
                if found or at - cell_start > max_cell:
                    return row, column, "cell", at - cell_start
                if char == b",":
                    column, cell_start = column + 1, at + 1
                    continue
                if char == b"\n" and last_cr == at - 1:  # the \n of \r\n
                    cell_start = row_start = at + 1
                    continue
                if char == b"\r":
                    last_cr = at
                row, column, cell_start, row_start = row + 1, 0, at + 1, at + 1
            pos += len(chunk)
            if pos - cell_start > max_cell:
                found = (row, column)
            elif pos - row_start > max_row:
                return row, column, "row", pos - row_start
    if found:
        return found[0], found[1], "cell", pos - cell_start
    return None
