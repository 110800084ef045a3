"""graphql-http's GraphQL-over-HTTP server audits (npm graphql-http, pinned in web/package.json) pass.

The real server on the small demo, as its test user (the bearer token in every request); node runs the
package's ``serverAudits`` (graphql_http_audit.mjs) and prints each result. graphql-http reports a failed
MUST as "error", a failed SHOULD as "warn" and a failed MAY as "notice"; none may fail. Skipped only where
node is not installed; the package itself is installed with the web assets (scripts/setup →
scripts/fetch-web-assets → npm ci in web/).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import Servers, auth_headers

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("graphql_http_audit.mjs")
MODULES = ROOT / "web" / "node_modules"


def _failures(results: list[dict[str, Any]], status: str) -> list[str]:
    return [
        f"{r['id']} {r['name']}: {r.get('reason')} (HTTP {r.get('httpStatus')})"
        for r in results
        if r["status"] == status
    ]


@pytest.fixture(scope="module")
def audit(servers: Servers) -> list[dict[str, Any]]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the graphql-http audits run in Node.js (CI has it)")
    if not (MODULES / "graphql-http" / "package.json").is_file():
        pytest.fail("web/node_modules/graphql-http is missing: run scripts/fetch-web-assets (npm ci in web/)")
    live = servers.get("embedded", "demo")
    token = auth_headers(live.url)["Authorization"].removeprefix("Bearer ")
    done = subprocess.run(
        [node, str(SCRIPT), f"{live.url}/graphql", str(MODULES)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "WENZE_AUDIT_TOKEN": token},  # the audits' requests sign in as the test user
    )
    assert done.returncode == 0, done.stderr
    results: list[dict[str, Any]] = json.loads(done.stdout)
    return results


def test_the_audits_ran(audit: list[dict[str, Any]]) -> None:
    ids = {r["id"] for r in audit}
    assert len(audit) >= 61 and len(ids) == len(audit)  # graphql-http 1.23.1 has 61 server audits
    assert {"22EB", "4655", "556A", "74FF", "86EE", "9ABE"} <= ids  # media types, 400s, no content type


def test_no_must_fails(audit: list[dict[str, Any]]) -> None:
    assert _failures(audit, "error") == []


def test_no_should_fails(audit: list[dict[str, Any]]) -> None:
    assert _failures(audit, "warn") == []


def test_no_may_fails(audit: list[dict[str, Any]]) -> None:
    assert _failures(audit, "notice") == []
