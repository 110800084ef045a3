"""scripts/package builds an archive that installs with no index and works: --help, a load, a query."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from tests.contract.bundles import GOOD, write_bundle

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_offline_archive_installs_and_runs(tmp_path):
    # Nothing from this machine's set-up may help: no PYTHONPATH, no WENZE_*, no PIP_* (PIP_FIND_LINKS).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH" and not k.startswith(("WENZE_", "PIP_"))}
    built = subprocess.run(
        [str(ROOT / "scripts" / "package"), "--out", str(tmp_path / "dist")],
        cwd=ROOT,
        env={**env, "PYTHON": sys.executable},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert built.returncode == 0, built.stderr
    archive = Path(built.stdout.strip().splitlines()[-1])
    assert archive.name.startswith("wenze-") and archive.name.endswith(".tar.gz")
    with tarfile.open(archive) as tar:
        tar.extractall(tmp_path / "unpacked", filter="data")
    [folder] = (tmp_path / "unpacked").iterdir()
    wheels = {p.name.split("-")[0].lower() for p in (folder / "wheels").glob("*.whl")}
    assert {"wenze", "ladybug", "pyarrow", "strawberry_graphql", "uvicorn", "neo4j"} <= wheels

    # No index at all: pip may only look in wheels/ (install.sh passes --no-index).
    offline = {
        **env,
        "PIP_INDEX_URL": "http://127.0.0.1:9/nowhere",
        "PIP_NO_INDEX": "1",
        "PYTHON": str(Path(sys.base_prefix) / "bin" / "python3"),
    }
    venv = tmp_path / "venv"
    installed = subprocess.run(
        [str(folder / "install.sh"), str(venv)], env=offline, capture_output=True, text=True, timeout=600
    )
    assert installed.returncode == 0, installed.stderr

    wenze = str(venv / "bin" / "wenze")
    shown = subprocess.run([wenze, "--help"], env=env, capture_output=True, text=True, cwd=tmp_path)
    assert shown.returncode == 0 and "backup" in shown.stdout and "load" in shown.stdout

    data = tmp_path / "data"
    run = {**env, "WENZE_DATA_DIR": str(data)}
    loaded = subprocess.run(
        [wenze, "load", str(write_bundle(tmp_path / "good", GOOD))],
        env=run,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert loaded.returncode == 0, loaded.stderr
    query = (
        "import graph.ladybug as s, sys; store = s.LadybugStore(sys.argv[1]); "
        "print(s.__file__); print(store.count_nodes('Official'), store.get_nodes(['P1'])['P1']['name']); "
        "store.close()"
    )
    asked = subprocess.run(
        [str(venv / "bin" / "python"), "-c", query, str(data)], env=run, capture_output=True, text=True, cwd=tmp_path
    )
    assert asked.returncode == 0, asked.stderr
    where, answer = asked.stdout.strip().splitlines()
    assert where.startswith(str(venv)) and answer == "2 张伟"
