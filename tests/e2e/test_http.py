"""The HTTP surface: GET and POST forms, request errors, media types and status codes (GraphQL-over-HTTP),
the operation chosen, sizes priced by their value, GraphiQL and the explorer page, masked errors."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.settings import Settings
from graph.port import GraphStore
from tests.e2e.conftest import GraphQLClient, LiveServer, Servers, auth_headers, load_dataset, open_test_store


@pytest.fixture
def http(servers: Servers) -> Iterator[httpx.Client]:
    url = servers.get("embedded", "trap").url
    with httpx.Client(base_url=url, timeout=30, headers=auth_headers(url)) as client:
        yield client


def test_get_and_post_forms(http: httpx.Client) -> None:
    q = '{ official(id: "OFF-ZW") { name } }'
    expected = {"data": {"official": {"name": "张伟"}}}
    assert http.get("/graphql", params={"query": q}).json() == expected
    assert http.post("/graphql", json={"query": q}).json() == expected
    assert http.post("/graphql", content=q, headers={"content-type": "application/graphql"}).json() == expected
    with_vars = http.get(
        "/graphql", params={"query": "query($id: ID!) { official(id: $id) { name } }", "variables": '{"id": "OFF-ZW"}'}
    )
    assert with_vars.json() == expected


@pytest.mark.parametrize(
    ("kwargs", "status"),
    [
        ({"content": b"{not json", "headers": {"content-type": "application/json"}}, 400),
        ({"json": {"variables": {}}}, 400),
        ({"json": ["a batch"]}, 400),
        ({"json": {"query": "{ __typename }", "variables": "not an object"}}, 400),
        ({"content": b"x", "headers": {"content-type": "text/csv"}}, 415),
        ({"content": b'{"query": "{ __typename }"}'}, 415),  # no content type at all
        (
            {
                "content": b'{"query": "{ __typename }"}',
                "headers": {"content-type": "application/json; charset=latin-1"},
            },
            415,
        ),
        ({"json": {"query": "{ __typename }", "extensions": "not an object"}}, 400),
        ({"json": {"query": "{ __typename }", "operationName": 7}}, 400),
    ],
)
def test_request_errors(http: httpx.Client, kwargs: dict[str, Any], status: int) -> None:
    response = http.post("/graphql", **kwargs)
    assert response.status_code == status
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


def test_mutations_and_unknown_operations_are_refused(http: httpx.Client) -> None:
    response = http.post("/graphql", json={"query": "mutation { x }"})
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    response = http.post("/graphql", json={"query": "query A { __typename }", "operationName": "B"})
    assert response.status_code == 400


def test_graphiql_and_explorer_pages_work_offline(http: httpx.Client) -> None:
    page = http.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200 and "<title>问责 GraphQL</title>" in page.text
    assert "https://" not in page.text and "http://" not in page.text
    explorer = http.get("/")
    assert explorer.status_code == 200 and "问责" in explorer.text and "/graphql" in explorer.text
    assert "https://" not in explorer.text and "http://" not in explorer.text
    asset = http.get("/static/vendor/graphiql.min.js")
    assert asset.status_code in (200, 503)  # 503 (with the fix) when the assets were never fetched


GQL_RESPONSE = "application/graphql-response+json"
APOLLO_ACCEPT = "application/graphql-response+json,application/json;q=0.9"  # what Apollo Client sends
NEIGHBOURHOOD = "nodes { id label } edges { id type source target } truncated"


def _post(http: httpx.Client, body: dict[str, Any], accept: str | None = None) -> httpx.Response:
    return http.post("/graphql", json=body, headers={"accept": accept} if accept else {})


def test_a_size_passed_as_a_variable_costs_what_the_literal_costs(http: httpx.Client) -> None:
    # At the cap (limit 1000) this selection would cost 1 + 1000 × 9 > 5000; at 200 it costs 1801.
    literal = _post(http, {"query": f'{{ neighbourhood(id: "OFF-ZW", depth: 2, limit: 200) {{ {NEIGHBOURHOOD} }} }}'})
    variable = _post(
        http,
        {
            "query": f"query($id: ID!, $d: Int!, $l: Int!) {{ neighbourhood(id: $id, depth: $d, limit: $l) "
            f"{{ {NEIGHBOURHOOD} }} }}",
            "variables": {"id": "OFF-ZW", "d": 2, "l": 200},
        },
    )
    defaulted_query = (
        f'query($l: Int! = 200) {{ neighbourhood(id: "OFF-ZW", depth: 2, limit: $l) {{ {NEIGHBOURHOOD} }} }}'
    )
    defaulted = _post(http, {"query": defaulted_query})
    assert literal.status_code == variable.status_code == defaulted.status_code == 200
    assert "errors" not in literal.json()
    assert literal.json() == variable.json() == defaulted.json()
    assert {"id": "OFF-ZW", "label": "张伟"} in literal.json()["data"]["neighbourhood"]["nodes"]


def test_a_costly_size_is_refused_alike_as_literal_and_as_variable(http: httpx.Client) -> None:
    deep = "nodes { cases { measures { subject { label } } } }"
    literal = _post(http, {"query": f"{{ issues(first: 100) {{ {deep} }} }}"}).json()
    variable = _post(http, {"query": f"query($n: Int!) {{ issues(first: $n) {{ {deep} }} }}", "variables": {"n": 100}})
    assert variable.status_code == 200  # application/json: errors or not
    [error] = variable.json()["errors"]
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX" and "data" not in variable.json()
    assert literal["errors"][0]["message"] == error["message"]
    assert error["message"].startswith("Query complexity 5701 exceeds the limit of 5000")
    small = _post(http, {"query": f"query($n: Int!) {{ issues(first: $n) {{ {deep} }} }}", "variables": {"n": 10}})
    assert "errors" not in small.json()
    assert small.json() == _post(http, {"query": f"{{ issues(first: 10) {{ {deep} }} }}"}).json()


def test_several_operations_need_an_operation_name(http: httpx.Client) -> None:
    doc = 'query A { official(id: "OFF-ZW") { name } } query B { official(id: "OFF-ZW") { id } }'
    unnamed = _post(http, {"query": doc})
    assert unnamed.status_code == 400
    [error] = unnamed.json()["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and "data" not in unnamed.json()
    assert "2 operations (A, B)" in error["message"] and "operationName" in error["message"]
    assert _post(http, {"query": doc}, GQL_RESPONSE).status_code == 400
    named = _post(http, {"query": doc, "operationName": "B"})
    assert named.json() == {"data": {"official": {"id": "OFF-ZW"}}}
    assert _post(http, {"query": 'query A { official(id: "OFF-ZW") { name } }'}).json() == {
        "data": {"official": {"name": "张伟"}}
    }


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        (None, "application/json"),
        ("application/json", "application/json"),
        ("*/*", "application/json"),
        ("application/*", "application/json"),
        (GQL_RESPONSE, GQL_RESPONSE),
        (APOLLO_ACCEPT, GQL_RESPONSE),
        ("application/json, application/graphql-response+json", GQL_RESPONSE),
        ("application/json;q=1, application/graphql-response+json;q=0.5", "application/json"),
        ("application/graphql-response+json;q=0, */*", "application/json"),
        ("text/html, */*;q=0.8", "application/json"),  # a browser following a link
    ],
)
def test_the_response_media_type_follows_accept(http: httpx.Client, accept: str | None, media_type: str) -> None:
    response = _post(http, {"query": '{ official(id: "OFF-ZW") { name } }'}, accept)
    assert response.status_code == 200
    assert response.headers["content-type"] == media_type
    assert response.json() == {"data": {"official": {"name": "张伟"}}}


@pytest.mark.parametrize("accept", ["text/html", "application/xml, text/plain", "application/json;q=0"])
def test_nothing_acceptable_is_406(http: httpx.Client, accept: str) -> None:
    response = _post(http, {"query": "{ __typename }"}, accept)
    assert response.status_code == 406
    assert response.headers["content-type"] == "application/json"
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and accept in error["message"]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"query": "{ official(id: "}, "BAD_USER_INPUT"),  # syntax
        ({"query": '{ official(id: "OFF-ZW") { noSuchField } }'}, "BAD_USER_INPUT"),  # validation
        ({"query": "query($id: ID!) { official(id: $id) { name } }", "variables": {"id": None}}, "BAD_USER_INPUT"),
        (
            {"query": "{ issues(first: 100) { nodes { cases { measures { subject { label } } } } } }"},
            "QUERY_TOO_COMPLEX",
        ),
    ],
)
def test_request_errors_are_4xx_only_as_graphql_response_json(
    http: httpx.Client, body: dict[str, Any], code: str
) -> None:
    as_json = _post(http, body, "application/json")
    assert as_json.status_code == 200 and as_json.headers["content-type"] == "application/json"
    response = _post(http, body, APOLLO_ACCEPT)
    assert response.status_code == 400 and response.headers["content-type"] == GQL_RESPONSE
    assert "data" not in response.json()
    assert [e["extensions"]["code"] for e in response.json()["errors"]] == [code]
    assert response.json() == as_json.json()


def test_field_errors_are_200_with_data_as_graphql_response_json(http: httpx.Client) -> None:
    response = _post(
        http, {"query": '{ ok: node(id: "OFF-ZW") { id } bad: neighbourhood(id: "NOPE") { truncated } }'}, GQL_RESPONSE
    )
    assert response.status_code == 200 and response.headers["content-type"] == GQL_RESPONSE
    body = response.json()
    assert body["data"] == {"ok": {"id": "OFF-ZW"}, "bad": None} or body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["NOT_FOUND"]


def test_get_follows_accept_too(http: httpx.Client) -> None:
    ok = http.get("/graphql", params={"query": "{ __typename }"}, headers={"accept": GQL_RESPONSE})
    assert ok.status_code == 200 and ok.json() == {"data": {"__typename": "Query"}}
    assert ok.headers["content-type"] == GQL_RESPONSE
    bad = http.get("/graphql", params={"query": "{ nope }"}, headers={"accept": GQL_RESPONSE})
    assert bad.status_code == 400 and "data" not in bad.json()
    mutation = http.get("/graphql", params={"query": "mutation { x }"}, headers={"accept": GQL_RESPONSE})
    assert mutation.status_code == 400
    assert http.get("/graphql", params={"query": "{ __typename }", "extensions": "[1]"}).status_code == 400


class BrokenStore:
    """A store whose relationship reads fail as a backend bug would."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store
        self.backend = store.backend

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def edges(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret backend detail: connection string and all")


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphQLClient]:
    folder: Path = tmp_path_factory.mktemp("broken")
    store = open_test_store("embedded", folder / "db")
    load_dataset(store, "trap", folder)
    server = LiveServer(BrokenStore(store), Settings(data_dir=folder / "unused")).start()  # type: ignore[arg-type]
    yield GraphQLClient(server.url)
    server.stop()
    store.close()


def test_unexpected_errors_are_masked_and_logged(broken: GraphQLClient, caplog: pytest.LogCaptureFixture) -> None:
    body = broken.post('{ official(id: "OFF-ZW") { name posts { title } } }')
    [error] = body["errors"]
    assert error["extensions"]["code"] == "INTERNAL"
    assert "secret" not in error["message"] and error["extensions"]["reference"] in error["message"]
    assert error["path"] == ["official", "posts"]
    assert body["data"] == {"official": None}
    assert any(
        "unexpected error" in r.message and error["extensions"]["reference"] in r.getMessage() for r in caplog.records
    )


def test_the_health_probe_needs_no_sign_in_and_says_nothing_of_the_data(servers: Servers) -> None:
    url = servers.get("embedded", "trap").url
    with httpx.Client(base_url=url, timeout=30) as bare:  # no identity at all
        for _ in range(200):
            r = bare.get("/healthz")
            if r.json()["searchIndex"] == "ready":
                break
            time.sleep(0.05)  # the index's file is being written
        assert r.status_code == 200
        assert r.headers["cache-control"] == "no-store"
        assert r.json() == {"status": "ok", "searchIndex": "ready"}
        assert bare.post("/healthz").status_code == 405
