"""Take CSV members out of a .zip within ``LoadLimits``, checking sizes before and while extracting.

    with extracted_csvs(Path("bundle.zip"), LoadLimits()) as members:
        for name, path in members:          # "gansu/Official.csv", a temporary file holding it
            ...

A zip says in its headers how large each member is. Before anything is extracted, the declared
sizes are checked: every member together against ``max_unzipped_bytes``, each member's
decompressed/compressed ratio against ``max_zip_ratio`` (a "zip bomb" of 8 MB that expands to 4 GiB
has a ratio near 500; CSV compresses 5-20×). Headers can lie, so while a member is extracted the bytes
that actually come out are counted too, and extraction stops at the limit. Members are extracted to
a temporary folder (removed afterwards) 1 MiB at a time: memory stays small whatever the zip holds.
``check_declared_sizes`` serves the .xlsx reader too (a workbook is a zip).
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import IO

from loaders.limits import LoadLimits, refuse, size_text
from loaders.problems import BundleUnreadable

_CHUNK = 1 << 20
_RATIO_FROM = 1 << 20  # a member smaller than this may compress as well as it likes


def csv_members(zf: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The members that are bundle files: .csv, not folders, not macOS resource forks."""
    found = []
    for info in sorted(zf.infolist(), key=lambda i: i.filename):
        member = PurePosixPath(info.filename)
        if info.is_dir() or member.suffix.lower() != ".csv" or member.name.startswith("._"):
            continue
        if "__MACOSX" in member.parts:
            continue
        found.append(info)
    return found


def check_declared_sizes(archive: Path, members: list[zipfile.ZipInfo], limits: LoadLimits) -> None:
    """Refuse, before extracting, members whose headers declare too much or too well-compressed data."""
    total = sum(i.file_size for i in members)
    if total > limits.max_unzipped_bytes:
        raise refuse(
            archive.name,
            None,
            None,
            f"解压后共 {size_text(total)}，超过 {size_text(limits.max_unzipped_bytes)} 的上限。",
            f"its members expand to {size_text(total)}, more than the limit of "
            f"{size_text(limits.max_unzipped_bytes)} (WENZE_LOAD_MAX_UNZIPPED_BYTES).",
        )
    for info in members:
        if info.file_size >= _RATIO_FROM and info.file_size > limits.max_zip_ratio * max(info.compress_size, 1):
            ratio = info.file_size / max(info.compress_size, 1)
            raise refuse(
                f"{archive.name}:{info.filename}",
                None,
                None,
                f"压缩比 {ratio:,.0f}:1 异常（{size_text(info.compress_size)} 解压为 "
                f"{size_text(info.file_size)}），上限为 {limits.max_zip_ratio:,.0f}:1。",
                f"it expands {ratio:,.0f} times ({size_text(info.compress_size)} to "
                f"{size_text(info.file_size)}); real CSV expands 5-20 times, and the limit is "
                f"{limits.max_zip_ratio:,.0f} (WENZE_LOAD_MAX_ZIP_RATIO). This looks like a zip bomb.",
            )


@contextmanager
def extracted_csvs(archive: Path, limits: LoadLimits) -> Iterator[list[tuple[str, Path]]]:
    """(member name, temporary file) for every CSV member, extracted within the limits."""
    folder = Path(tempfile.mkdtemp(prefix="wenze-zip-"))
    try:
        try:
            with zipfile.ZipFile(archive) as zf:
                members = csv_members(zf)
                check_declared_sizes(archive, members, limits)
                out: list[tuple[str, Path]] = []
                budget = limits.max_unzipped_bytes
                for n, info in enumerate(members):
                    target = folder / f"{n}.csv"
                    budget -= _extract(zf, info, target, archive, limits, budget)
                    out.append((info.filename, target))
        except zipfile.BadZipFile as e:
            raise BundleUnreadable(f"{archive}: not a valid zip file ({e})") from e
        except (OSError, EOFError, NotImplementedError) as e:  # truncated, encrypted, unknown compression
            raise BundleUnreadable(f"{archive}: cannot be extracted ({e})") from e
        yield out
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _extract(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, archive: Path, limits: LoadLimits, budget: int
) -> int:
    """Copy one member to ``target``, counting what comes out; the bytes written."""
    allowed = min(budget, max(int(limits.max_zip_ratio * max(info.compress_size, 1)), _RATIO_FROM))
    written = 0
    with zf.open(info) as src, open(target, "wb") as dst:
        while chunk := _read(src, info, archive):
            written += len(chunk)
            if written > allowed:
                raise refuse(
                    f"{archive.name}:{info.filename}",
                    None,
                    None,
                    f"解压时超过 {size_text(allowed)}（其文件头声明 {size_text(info.file_size)}）。",
                    f"while extracting, it expanded past {size_text(allowed)} although its header "
                    f"declares {size_text(info.file_size)}: the zip is damaged or forged.",
                )
            dst.write(chunk)
    return written


def _read(src: IO[bytes], info: zipfile.ZipInfo, archive: Path) -> bytes:
    try:
        return src.read(_CHUNK)
    except zipfile.BadZipFile as e:  # zipfile stops at the declared size; the CRC then disagrees
        raise refuse(
            f"{archive.name}:{info.filename}",
            None,
            None,
            "压缩包已损坏或被篡改。",
            f"the zip is damaged or forged: this member does not match its header ({e}).",
        ) from e
