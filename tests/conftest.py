"""Suite-wide rules: with WENZE_REQUIRE_NEO4J=1 (scripts/test, CI) a skipped Neo4j test is a failure."""

from __future__ import annotations

import os

import pytest


def _neo4j_required() -> bool:
    return os.environ.get("WENZE_REQUIRE_NEO4J") == "1"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if _neo4j_required() and report.skipped and item.get_closest_marker("neo4j") is not None:
        report.outcome = "failed"
        report.longrepr = f"the Neo4j suite must run (WENZE_REQUIRE_NEO4J=1), this test was skipped: {report.longrepr}"


def pytest_collection_modifyitems(config, items):
    if _neo4j_required() and not any(item.get_closest_marker("neo4j") for item in items):
        if not config.getoption("-m") and not config.getoption("-k"):
            raise pytest.UsageError("WENZE_REQUIRE_NEO4J=1 but no Neo4j test was collected")
