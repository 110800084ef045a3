"""The code passes its own linters: ruff (lint and format) everywhere, mypy (strict for schema/, graph/, api/).

For api/, mypy's check of untyped decorators is off (pyproject): strawberry's decorators are untyped.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed (pip install -e '.[test]')")
    return found


def test_ruff() -> None:
    done = subprocess.run([_tool("ruff"), "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_format() -> None:
    done = subprocess.run([_tool("ruff"), "format", "--check", "."], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, "run `ruff format .`:\n" + done.stdout + done.stderr


@pytest.mark.parametrize("paths", [["schema", "graph", "loaders", "api"], ["bench"]])
def test_mypy(paths: list[str]) -> None:
    # bench/ on its own: bench/api.py and the api package would be two modules named api.
    done = subprocess.run([_tool("mypy"), *paths], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
