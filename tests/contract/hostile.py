"""Hostile and odd bundles, as an operator found them (issue 12): each function writes one and returns its path.

path = zip_bomb(tmp_path)            # 10 MB that expands to 4 GiB
"""

from __future__ import annotations

import zipfile
from pathlib import Path

_MIB = 1 << 20


def _folder(root: Path, name: str) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    return folder


def wide_header(root: Path) -> Path:
    """Official.csv of about 8.5 MB with 1,000,000 columns."""
    folder = _folder(root, "wide")
    with open(folder / "Official.csv", "w", encoding="utf-8") as f:
        f.write("id,name," + ",".join(f"c{i}" for i in range(999_998)) + "\n")
        f.write("P1,张伟" + ",x" * 999_998 + "\n")
    return folder


def blank_headers(root: Path) -> Path:
    """Official.csv whose header is 1,000,000 empty names (and so are its rows)."""
    folder = _folder(root, "blank")
    with open(folder / "Official.csv", "w", encoding="utf-8") as f:
        for _ in range(4):
            f.write("," * 999_999 + "\n")
    return folder


def zip_bomb(root: Path, expanded: int = 4 << 30) -> Path:
    """bomb.zip of about 10 MB (at 4 GiB) holding one Official.csv that expands to ``expanded`` bytes."""
    path = root / "bomb.zip"
    row = "P0000001,张伟,1970\n".encode()
    block = row * (_MIB // len(row))
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        with zf.open("Official.csv", "w", force_zip64=True) as member:
            header = b"id,name,birth_year\n"
            member.write(header)
            left = expanded - len(header)
            while left > 0:
                member.write(block[:left])
                left -= len(block)
    return path


def lying_zip(root: Path) -> Path:
    """bundle.zip whose header says Official.csv holds 2 KiB while it expands to 64 MiB."""
    path = root / "lying.zip"
    data = b"id,name\n" + b"P1,x\n" * (64 * _MIB // 5)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("Official.csv", data)
    raw = bytearray(path.read_bytes())
    size = len(data).to_bytes(4, "little")
    # The uncompressed size sits in the local header (offset 22) and the central directory entry (24).
    local = raw.find(b"PK\x03\x04")
    central = raw.find(b"PK\x01\x02")
    assert raw[local + 22 : local + 26] == size and raw[central + 24 : central + 28] == size
    raw[local + 22 : local + 26] = raw[central + 24 : central + 28] = (2048).to_bytes(4, "little")
    path.write_bytes(bytes(raw))
    return path


def huge_cell(root: Path, size: int = 200 * _MIB) -> Path:
    """Official.csv whose second row holds a name of ``size`` bytes."""
    folder = _folder(root, "cell")
    with open(folder / "Official.csv", "wb") as f:
        f.write(b"id,name\nP1,")
        chunk = b"x" * _MIB
        for _ in range(size // _MIB):
            f.write(chunk)
        f.write(b"\nP2,ok\n")
    return folder


def many_rows(root: Path, rows: int) -> Path:
    folder = _folder(root, "rows")
    with open(folder / "Official.csv", "w", encoding="utf-8") as f:
        f.write("id,name\n")
        f.writelines(f"P{i},干部{i}\n" for i in range(rows))
    return folder


def cr_only(root: Path) -> Path:
    """Official.csv with old-Mac line endings (a lone CR)."""
    folder = _folder(root, "cr")
    (folder / "Official.csv").write_bytes("id,name,birth_year\rP1,张伟,1970\rP2,王芳,1975\r".encode())
    return folder


def gbk(root: Path) -> Path:
    """Official.csv and Organisation.csv as Excel saves "CSV" on a Chinese Windows: GBK."""
    folder = _folder(root, "gbk")
    (folder / "Official.csv").write_bytes("id,姓名,性别\nP1,张伟,male\nP2,欧阳娜娜,female\n".encode("gbk"))
    (folder / "Organisation.csv").write_bytes("id,name,kind\nORG-1,兰州市交通运输局,department\n".encode("gbk"))
    return folder


def invisible_header(root: Path) -> Path:
    """Official.csv whose 'name' header ends in a zero-width space."""
    folder = _folder(root, "zwsp")
    (folder / "Official.csv").write_text("id,name\u200b\nP1,张伟\n", encoding="utf-8")
    return folder


def formula_and_merged(root: Path) -> Path:
    """book.xlsx with a formula that has no saved value (as openpyxl writes it) and merged cells."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    sheet = book.create_sheet("Official")
    sheet.append(["id", "name", "birth_year"])
    sheet.append(["P1", "张伟", "=1960+10"])
    sheet.append(["P2", "王芳", 1975])
    sheet.append(["P3", None, 1980])
    sheet.merge_cells("B3:B4")  # 王芳 over two rows: P3's name would read as empty
    path = root / "book.xlsx"
    book.save(path)
    return path
