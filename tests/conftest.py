"""Suite-wide rules: with WENZE_REQUIRE_NEO4J=1 (scripts/test) a skipped Neo4j test is a failure;
likewise browser tests with WENZE_REQUIRE_BROWSER=1 (CI)."""

from __future__ import annotations

import os

import pytest


def _neo4j_required() -> bool:
    return os.environ.get("WENZE_REQUIRE_NEO4J") == "1"


def _required_marker(item) -> str | None:
    """The suite a skipped test belongs to, when that suite is required to run."""
    if _neo4j_required() and item.get_closest_marker("neo4j") is not None:
        return "WENZE_REQUIRE_NEO4J"
    if os.environ.get("WENZE_REQUIRE_BROWSER") == "1" and item.get_closest_marker("browser") is not None:
        return "WENZE_REQUIRE_BROWSER"
    return None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    required = _required_marker(item) if report.skipped else None
    if required:
        report.outcome = "failed"
        report.longrepr = f"{required}=1: this suite must run, but the test was skipped: {report.longrepr}"


@pytest.hookimpl(trylast=True)  # after pytest's own ordering by fixture parameters
def pytest_collection_modifyitems(config, items):
    _full_demo_on_neo4j_last(items)
    if _neo4j_required() and not any(item.get_closest_marker("neo4j") for item in items):
        if not config.getoption("-m") and not config.getoption("-k"):
            raise pytest.UsageError("WENZE_REQUIRE_NEO4J=1 but no Neo4j test was collected")


def _full_demo_on_neo4j_last(items) -> None:
    """The full demo on Neo4j (3.75 M rows) runs after every other test: each Neo4j test that came
    after it had to clear those rows first (three minutes of CI), and nothing needs them cleared after."""
    items.sort(key=lambda i: "test_full_demo.py" in i.nodeid and "[neo4j" in i.nodeid)  # stable: order kept


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """The figures tests recorded (tests/figures.py), for the closing note."""
    from tests.figures import report_lines

    lines = report_lines()
    if lines:
        terminalreporter.section("figures measured by the tests")
        for line in lines:
            terminalreporter.write_line(line)
