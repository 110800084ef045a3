"""The HTTP surface: GET and POST forms, request errors, GraphiQL and the explorer page, masked errors."""

from __future__ import annotations

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
