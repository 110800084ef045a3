"""The response media type chosen from Accept (api.endpoint.negotiate), GraphQL-over-HTTP §Accept."""

from __future__ import annotations

import pytest

from api.endpoint import GRAPHQL_RESPONSE_JSON, JSON, negotiate


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        (None, JSON),
        ("", JSON),
        ("application/json", JSON),
        ("application/json; charset=utf-8", JSON),
        ("*/*", JSON),
        ("application/*", JSON),
        ("APPLICATION/JSON", JSON),
        (GRAPHQL_RESPONSE_JSON, GRAPHQL_RESPONSE_JSON),
        ("application/graphql-response+json,application/json;q=0.9", GRAPHQL_RESPONSE_JSON),  # Apollo Client
        ("application/json, application/graphql-response+json", GRAPHQL_RESPONSE_JSON),  # both named: the newer
        ("application/json, multipart/mixed", JSON),  # GraphiQL
        ("application/json;q=1, application/graphql-response+json;q=0.5", JSON),
        ("application/graphql-response+json;q=0.2, */*;q=0.1", GRAPHQL_RESPONSE_JSON),
        ("application/graphql-response+json;q=0.5, */*", JSON),  # json through */* at q=1
        ("application/json;q=0, */*", GRAPHQL_RESPONSE_JSON),  # json refused; the wildcard still takes the other
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", JSON),  # a browser
        ("nonsense, application/json", JSON),  # a malformed range is ignored
        ("application/json;q=high", None),  # an unreadable q counts as 0
        ("text/html", None),
        ("application/json;q=0", None),
        ("application/xml, text/plain", None),
    ],
)
def test_negotiate(accept: str | None, chosen: str | None) -> None:
    assert negotiate(accept) == chosen
