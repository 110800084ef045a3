"""学 and 述 figures counted in the engine (``study_counts``, ``duty_report_counts``) equal the Python
oracle (``study_figures``, ``duty_report_figures``) on every backend: the small demo and the trap
bundle, several windows and years, unscoped and for scoped callers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from graph import queries
from graph.scope import Scope, ScopedStore
from loaders.demo.generator import generate
from loaders.load import load
from tests.e2e.trap_bundle import write_bundle

WINDOWS = [(None, None), (date(2023, 1, 1), date(2023, 12, 31)), (date(2023, 7, 1), None), (None, date(2022, 6, 30))]
YEARS = [2021, 2022, 2023, 2024]
SCOPES = [("620100",), ("620102",), ("620102", "620122")]


def _same(store) -> tuple[int, int]:
    trained = reported = 0
    for a, b in WINDOWS:
        got, want = queries.study_counts(store, a, b), queries.study_figures(store, a, b)
        assert got == want, (a, b)
        trained += want.attendees
    for year in YEARS:
        got, want = queries.duty_report_counts(store, year), queries.duty_report_figures(store, year)
        assert got == want, year
        reported += want.reporters
    return trained, reported


def test_small_demo_figures_equal_the_oracle(store) -> None:
    load(store, generate("small"))
    trained, reported = _same(store)
    assert trained > 0 and reported > 0
    for regions in SCOPES:
        _same(ScopedStore(store, Scope(regions=regions)))


def test_trap_bundle_figures_equal_the_oracle(store, tmp_path: Path) -> None:
    load(store, write_bundle(tmp_path / "trap"))
    _same(store)
    _same(ScopedStore(store, Scope(regions=("620102",))))


def test_a_scope_hiding_officials_cannot_count(store) -> None:
    hidden = ScopedStore(store, Scope(kinds=frozenset({"Issue"})))
    with pytest.raises(ValueError):
        queries.study_counts(hidden, None, None)
    with pytest.raises(ValueError):
        queries.duty_report_counts(hidden, 2023)
