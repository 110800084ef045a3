"""The answers of counts kept per data version (``graph.answers``) on every backend: a repeat is
served from them, and no write, clear or other app server's commit lets an old answer through."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from graph import queries
from graph.answers import Answers
from graph.fact_counts import FactQuery
from graph.issue_pages import IssueQuery
from graph.scope import Scope, ScopedStore
from loaders.demo.generator import generate
from loaders.load import load
from schema.rules import FourFormsCount
from tests.contract.conftest import neo4j_settings
from tests.e2e.trap_bundle import write_bundle

YEAR = queries.StatsFilter(date_from=date(2023, 1, 1), date_to=date(2023, 12, 31))


def _answers(store) -> Answers:
    return store.__dict__["_answers"]


def _figures(store) -> tuple:
    return (
        queries.four_forms_counts(store, YEAR),
        queries.four_forms_counts(store, queries.StatsFilter(), "month"),
        queries.study_counts(store, None, None),
        queries.duty_report_counts(store, 2023),
        store.page_issues(IssueQuery(limit=5)),
    )


def _oracle(store) -> tuple:
    """The same figures from the Python implementations kept as the tests' oracle (nothing kept)."""
    return (
        queries.four_forms(store, YEAR).total(),
        queries.study_figures(store, None, None),
        queries.duty_report_figures(store, 2023),
    )


def test_a_repeat_is_answered_from_the_kept_answers(store, tmp_path: Path) -> None:
    load(store, write_bundle(tmp_path / "trap"))
    first = _figures(store)
    hits = _answers(store).hits
    assert _figures(store) == first
    assert _answers(store).hits >= hits + 5  # every count of the repeat was a kept answer
    # a caller's scope is part of the question: a county sees its own figures, not the province's
    county = ScopedStore(store, Scope(regions=("620102",)))
    for _ in range(2):
        assert (
            queries.four_forms_counts(county, YEAR).get(None, FourFormsCount())
            == queries.four_forms(county, YEAR).total()
        )
        assert queries.study_counts(county, None, None) == queries.study_figures(county, None, None)
    assert queries.four_forms(county, YEAR).total() != queries.four_forms(store, YEAR).total()


def test_an_answer_handed_out_cannot_change_the_kept_one(store, tmp_path: Path) -> None:
    load(store, write_bundle(tmp_path / "trap"))
    counted = store.count_facts(FactQuery())
    counted[None]["form1"] = -1
    total, page = store.page_issues(IssueQuery(limit=3))
    page.clear()
    assert store.count_facts(FactQuery())[None]["form1"] >= 0
    assert store.page_issues(IssueQuery(limit=3)) == (total, store.page_issues(IssueQuery(limit=3))[1])
    assert store.page_issues(IssueQuery(limit=3))[1]


def test_every_write_and_clear_drops_the_kept_answers(store, tmp_path: Path) -> None:
    load(store, write_bundle(tmp_path / "trap"))
    trap = _figures(store)
    store.clear()
    empty = _figures(store)
    assert empty != trap
    assert empty[0] == {} and empty[4] == (0, [])
    load(store, generate("small"))
    small = _figures(store)
    assert small[0][None] == _oracle(store)[0]
    assert small[2:4] == _oracle(store)[1:]
    assert small[4][0] == sum(1 for t in store.scan_nodes("Issue", ["id"]) for _ in range(t.num_rows))


@pytest.mark.neo4j
def test_another_app_servers_commit_drops_the_kept_answers(tmp_path: Path) -> None:
    """Two app servers on one Neo4j: what one loads, the other's next count sees."""
    cfg = neo4j_settings()
    if cfg is None:
        pytest.skip("WENZE_NEO4J_URI is not set (start one with scripts/neo4j-dev start)")
    from graph.neo4j import Neo4jStore

    one, other = Neo4jStore(**cfg), Neo4jStore(**cfg)
    try:
        one.clear()
        assert _figures(other)[0] == {}
        load(one, write_bundle(tmp_path / "trap"))
        assert _figures(other) == _figures(one)
        assert _figures(other)[4][0] > 0
    finally:
        one.clear()
        one.close()
        other.close()


def test_answers_of_an_older_version_are_never_served() -> None:
    answers = Answers(limit=2)
    answers.put(1, "a", 10)
    assert answers.get(1, "a") == (True, 10)
    assert answers.get(2, "a") == (False, None)
    answers.put(2, "b", 20)
    assert answers.get(1, "a") == (False, None)  # moving on to a version drops the older answers
    answers.put(2, "c", 30)
    answers.put(2, "d", 40)
    assert answers.get(2, "b") == (False, None)  # the least recently used past the limit
    assert answers.get(2, "d") == (True, 40)


def test_answers_can_be_turned_off(store, tmp_path: Path, monkeypatch) -> None:
    load(store, write_bundle(tmp_path / "trap"))
    monkeypatch.setenv("WENZE_ANSWER_CACHE", "0")
    store.count_facts(FactQuery())
    store.count_facts(FactQuery())
    assert "_answers" not in store.__dict__
