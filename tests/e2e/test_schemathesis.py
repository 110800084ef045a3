"""A bounded schemathesis run (GraphQL) against /graphql on the small demo: no 5xx, no INTERNAL error.

Schemathesis generates queries for every root field from the introspected schema, with arguments
of every shape; the API must answer each with data or an expected error code, never a crash.
(Its hypothesis strategies are driven directly: the pytest plugin does not support pytest 9 yet.)
"""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.e2e.conftest import Servers, auth_headers

MAX_EXAMPLES = 40  # per root field: 19 fields, several hundred requests in all
EXPECTED_CODES = ("NOT_FOUND", "BAD_USER_INPUT", "QUERY_TOO_COMPLEX")


def test_no_server_errors(servers: Servers) -> None:
    url = servers.get("embedded", "demo").url
    schema = schemathesis.graphql.from_url(url + "/graphql", headers=auth_headers(url))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 19  # every root field of Query
    seen: dict[str, int] = {}

    def check(case: Any) -> None:
        response = case.call(headers=auth_headers(url))  # our own checks: expected GraphQL errors are not failures here
        assert response.status_code < 500
        body = response.json()
        codes = [(e.get("extensions") or {}).get("code") for e in body.get("errors") or []]
        assert all(code in EXPECTED_CODES for code in codes), (case.body, body)
        seen[case.operation.label] = seen.get(case.operation.label, 0) + 1

    for operation in operations:
        run = given(case=operation.as_strategy())(check)
        settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )(run)()
    assert sum(seen.values()) >= 100
