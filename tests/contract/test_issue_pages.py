"""Issue pages counted in the engine (``GraphStore.page_issues``) equal the Python oracle
(``graph.queries.find_issues``) on every backend: the small demo and the trap bundle, every region,
campaign and organisation that has issues, statuses, date windows, combinations, pages, and scopes."""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path

import pyarrow as pa
import pytest

from graph import queries
from graph.issue_pages import IssueQuery
from graph.scope import Scope, ScopedStore
from loaders.demo.generator import generate
from loaders.load import load
from tests.e2e.trap_bundle import write_bundle


def _oracle(store, q: IssueQuery) -> tuple[int, list[str]]:
    f = queries.IssueFilter(
        status=q.status,
        found_from=q.found_from,
        found_to=q.found_to,
        region_id=q.region_id,
        campaign_id=q.campaign_id,
        organisation_id=q.organisation_id,
    )
    ids = [r["id"] for r in queries.find_issues(store, f)]
    if q.scope is not None:
        seen = store.visibility(ids)
        ids = [i for i in ids if set(q.scope) & set(seen[i][1] or ())]
    end = None if q.limit is None else q.skip + q.limit
    return len(ids), ids[q.skip : end]


def _column(store, kind: str, name: str) -> list:
    return pa.concat_tables(store.scan_nodes(kind, [name])).column(name).to_pylist()


def _edge_targets(store, kind: str) -> list[str]:
    return sorted({t for t in pa.concat_tables(store.scan_edges(kind)).column("to").to_pylist()})


def _queries(store) -> list[IssueQuery]:
    regions = sorted(_column(store, "Region", "id"))
    campaigns = sorted(_column(store, "Campaign", "id"))
    organisations = _edge_targets(store, "AT")
    statuses = sorted({s for s in _column(store, "Issue", "status") if s is not None})
    windows = [
        (None, None),
        (date(2023, 1, 1), date(2023, 12, 31)),
        (date(2023, 6, 1), None),
        (None, date(2022, 12, 31)),
    ]
    out = [IssueQuery()]
    out += [IssueQuery(region_id=r) for r in regions]
    out += [IssueQuery(campaign_id=c) for c in campaigns]
    out += [IssueQuery(organisation_id=o) for o in organisations[:40]]
    out += [IssueQuery(status=(s,)) for s in statuses] + [IssueQuery(status=tuple(statuses[:2]))]
    out += [IssueQuery(found_from=a, found_to=b) for a, b in windows]
    for r, c, (a, b) in itertools.islice(itertools.product(regions[:6], campaigns[:3], windows), 40):
        out.append(IssueQuery(region_id=r, campaign_id=c, found_from=a, found_to=b))
    out += [
        IssueQuery(region_id=regions[0], status=(statuses[0],), skip=s, limit=n)
        for s, n in ((0, 5), (3, 7), (10**6, 5))
    ]
    out += [IssueQuery(skip=s, limit=n) for s, n in ((0, 0), (0, 1), (2, 15), (5, None))]
    return out


def _check(store) -> int:
    checked = 0
    for q in _queries(store):
        assert store.page_issues(q) == _oracle(store, q), q
        checked += 1
    return checked


@pytest.fixture(scope="module")
def small() -> dict[str, pa.Table]:
    return generate("small")


def test_small_demo_pages_equal_the_oracle(store, small) -> None:
    load(store, small)
    assert store.count_nodes("Issue") > 50
    assert _check(store) > 90


def test_trap_bundle_pages_equal_the_oracle(store, tmp_path: Path) -> None:
    load(store, write_bundle(tmp_path / "trap"))
    assert _check(store) > 10


def test_scoped_pages_keep_only_what_the_caller_sees(store, small) -> None:
    load(store, small)
    for regions in (("620100",), ("620102",), ("620102", "620122"), ()):
        scoped = ScopedStore(store, Scope(regions=regions))
        seen = 0
        for q in _queries(store)[:60]:
            total, ids = scoped.page_issues(q)
            assert (total, ids) == _oracle(store, IssueQuery(**{**q.__dict__, "scope": regions})), (regions, q)
            seen += total
        assert (seen > 0) == bool(regions), regions
    assert ScopedStore(store, Scope(kinds=frozenset({"Official"}))).page_issues(IssueQuery()) == (0, [])
