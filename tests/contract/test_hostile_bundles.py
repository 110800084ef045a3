"""Hostile and odd bundles (issue 12): refused early with file, row and column, or read correctly."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from loaders import BundleRejected, BundleUnreadable, LoadLimits, load
from loaders.bundle import read_bundle
from tests.contract import hostile
from tests.contract.bundles import write_bundle

ROOT = Path(__file__).resolve().parents[2]


# ---------------------------------------------------------------- read correctly


def test_cr_only_line_endings_load(store, tmp_path):
    load(store, hostile.cr_only(tmp_path))
    nodes = store.get_nodes(["P1", "P2"])
    assert (nodes["P1"]["name"], nodes["P2"]["birth_year"]) == ("张伟", 1975)


def test_gbk_files_load_and_the_report_says_so(store, tmp_path):
    report = load(store, hostile.gbk(tmp_path))
    assert report.encodings == {"Official.csv": "gb18030", "Organisation.csv": "gb18030"}
    nodes = store.get_nodes(["P2", "ORG-1"])
    assert nodes["P2"]["name"] == "欧阳娜娜" and nodes["ORG-1"]["name"] == "兰州市交通运输局"


def test_utf8_files_report_no_encoding(tmp_path):
    folder = write_bundle(tmp_path / "b", {"Official.csv": "id,name\nP1,张伟\n"}, bom=True)
    raw = read_bundle(folder)
    assert raw.encodings() == {} and raw.files["Official"].table.column("name").to_pylist() == ["张伟"]


def test_forced_encoding(tmp_path):
    folder = hostile.gbk(tmp_path)
    names = read_bundle(folder, encoding="gbk").files["Official"].table.column("姓名")
    assert names.to_pylist() == ["张伟", "欧阳娜娜"]
    with pytest.raises(BundleUnreadable, match=r"Official.csv: 第1行 \(line 1\) .* is not valid utf-8"):
        read_bundle(folder, encoding="utf-8")
    with pytest.raises(BundleUnreadable, match="unknown encoding 'klingon'"):
        read_bundle(folder, encoding="klingon")


def test_neither_utf8_nor_gb18030_names_the_line(tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "Official.csv").write_bytes(b"id,name\nP1,ok\nP2,\xff\xfe\x80\n")
    with pytest.raises(BundleUnreadable, match=r"第3行 \(line 3\) .*neither UTF-8 nor GB18030/GBK"):
        read_bundle(folder)


def test_cli_encoding_option(tmp_path):
    env = {**os.environ, "WENZE_DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": str(ROOT)}
    folder = hostile.gbk(tmp_path)
    out = subprocess.run(
        [sys.executable, "-m", "api.cli", "load", "--encoding", "gbk", str(folder)],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stderr
    assert "Official.csv 按 read as GBK" in out.stderr


# ---------------------------------------------------------------- reported, not read as empty


def test_invisible_characters_are_shown_escaped(store, tmp_path):
    with pytest.raises(BundleRejected) as info:
        load(store, hostile.invisible_header(tmp_path))
    assert "column 'name\\u200b': unknown column" in info.value.summary()


def test_xlsx_formula_without_value_and_merged_cells_are_problems(store, tmp_path):
    pytest.importorskip("openpyxl")
    with pytest.raises(BundleRejected) as info:
        load(store, hostile.formula_and_merged(tmp_path))
    found = {(p.file, p.row, p.column): p.message for p in info.value.problems}
    assert "formula with no saved value" in found[("book.xlsx!Official", 2, "birth_year")]
    assert "C2" in found[("book.xlsx!Official", 2, "birth_year")]
    assert "B3:B4" in found[("book.xlsx!Official", 3, "name")]
    assert store.count_nodes() == 0


# ---------------------------------------------------------------- limits, small enough to test quickly


def _refused(path: Path, limits: LoadLimits) -> str:
    with pytest.raises(BundleUnreadable) as info:
        read_bundle(path, limits)
    return str(info.value)


def test_too_many_columns(tmp_path):
    folder = write_bundle(tmp_path / "b", {"Official.csv": ",".join(f"c{i}" for i in range(12)) + "\n"})
    message = _refused(folder, LoadLimits(max_columns=10))
    assert message.startswith("Official.csv 第1行 (row 1): 表头有 12 列")
    assert "the header has 12 columns; at most 10 are allowed" in message


def test_cell_too_big_names_row_and_column(tmp_path):
    folder = write_bundle(tmp_path / "b", {"Official.csv": "id,name\nP1,短\nP2," + "长" * 400 + "\n"})
    message = _refused(folder, LoadLimits(max_cell_bytes=1024))
    assert message.startswith("Official.csv 第3行 (row 3) 列 column 'name': 单元格过大（1.2 KiB）")


def test_cell_beyond_a_parse_block_names_row_and_column(tmp_path):
    folder = hostile.huge_cell(tmp_path, size=20 << 20)  # longer than the 16 MiB block
    message = _refused(folder, LoadLimits())
    assert message.startswith("Official.csv 第2行 (row 2) 列 column 'name': 单元格过大（20.0 MiB）")
    assert "straddl" not in message


def test_too_many_rows(tmp_path):
    message = _refused(hostile.many_rows(tmp_path, 101), LoadLimits(max_rows=100))
    assert message.startswith("Official.csv 第102行 (row 102): 文件超过 100 行的上限。")


def test_zip_bomb_refused_on_its_header(tmp_path):
    bomb = hostile.zip_bomb(tmp_path, expanded=256 << 20)
    message = _refused(bomb, LoadLimits())
    assert message.startswith("bomb.zip:Official.csv: 压缩比") and "zip bomb" in message
    message = _refused(bomb, LoadLimits(max_unzipped_bytes=100 << 20))
    assert message.startswith("bomb.zip: 解压后共 256.0 MiB")


def test_zip_with_a_lying_header_is_refused(tmp_path):
    message = _refused(hostile.lying_zip(tmp_path), LoadLimits())
    assert message.startswith("lying.zip:Official.csv: 压缩包已损坏或被篡改。")


# ---------------------------------------------------------------- the operator's files: memory and time


HOSTILE = {
    "1,000,000 columns (8.5 MB)": (hostile.wide_header, "Official.csv 第1行 (row 1): 表头有约 1,000,000 列"),
    "1,000,000 blank headers": (hostile.blank_headers, "Official.csv 第1行 (row 1): 表头有 1,000,000 列"),
    "zip of ~10 MB expanding to 4 GiB": (hostile.zip_bomb, "bomb.zip: 解压后共 4.0 GiB"),
    "zip with a lying header": (hostile.lying_zip, "lying.zip:Official.csv: 压缩包已损坏或被篡改"),
    "a 200 MB cell": (hostile.huge_cell, "Official.csv 第2行 (row 2) 列 column 'name': 单元格过大（200.0 MiB）"),
}


_LAUNCHER = (
    "import resource, subprocess, sys; done = subprocess.run(sys.argv[1:], stderr=subprocess.PIPE, text=True); "
    "sys.stderr.write(done.stderr); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); "
    "sys.exit(done.returncode)"
)


@pytest.mark.slow
@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_file_refused_with_bounded_memory(tmp_path, case):
    """``wenze load`` in a child: exit 1, the message, and a peak RSS under 1 GiB (ru_maxrss of the child)."""
    make, message = HOSTILE[case]
    path = make(tmp_path)
    env = {**os.environ, "WENZE_DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    # The load runs as the grandchild of a small launcher: a child forked straight from this test
    # process would report this process's own high-water mark (ru_maxrss counts the memory the fork
    # copied, and a pytest run that has loaded the full demo holds gigabytes).
    done = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, sys.executable, "-m", "api.cli", "load", str(path)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    err, code = done.stderr, done.returncode
    seconds, peak = time.perf_counter() - started, int(done.stdout.split()[-1]) * 1024
    print(f"\n| {case} | {code} | {seconds:.1f} s | {peak / 2**20:.0f} MiB | {err.strip()} |")
    assert code == 1
    assert err.strip().startswith(message), err
    assert peak < 1 << 30
