"""Identity at the edge over real HTTP (api/auth/edge.py, api/auth/pages.py): refusals counted, CSRF shapes,
the sign-in page, administrators, rate limits, headers, and the audit entry written before the answer.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.audit.log import log_files
from api.auth.commands import open_accounts
from api.settings import Settings
from tests.e2e.conftest import LiveServer, auth_headers, load_dataset, open_test_store
from tests.figures import figure

PASSWORD = "Gansu-2023"
Q = '{ official(id: "OFF-ZW") { name } }'


@dataclass
class Site:
    url: str
    settings: Settings
    token: str
    admin_token: str

    def client(self, **kw: Any) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30, **kw)

    def sign_in(self, client: httpx.Client, login: str = "li") -> None:
        r = client.post("/auth/login", json={"login": login, "password": PASSWORD})
        assert r.status_code == 200, r.text


def _site(folder: Path, store: Any, **settings: Any) -> tuple[Site, LiveServer]:
    s = Settings(data_dir=folder / "data", account_store="embedded", **settings)
    with open_accounts(s) as accounts:
        accounts.add_user("li", "李四", ["inspector"], ["620000"], PASSWORD, actor="test")
        accounts.add_user("auditadmin", "审计管理员", ["audit_admin"], [], PASSWORD, actor="test")
        admin_token = accounts.create_token("auditadmin", 1, actor="test")
    server = LiveServer(store, s).start()
    return Site(server.url, s, server.token, admin_token), server


@pytest.fixture(scope="module")
def trap_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    folder = tmp_path_factory.mktemp("auth-store")
    store = open_test_store("embedded", folder / "db")
    load_dataset(store, "trap", folder)
    yield store
    store.close()


@pytest.fixture(scope="module")
def site(trap_store: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    found, server = _site(tmp_path_factory.mktemp("auth-site"), trap_store)
    yield found
    server.stop()


def _unauthenticated(response: httpx.Response) -> bool:
    return response.status_code == 401 and response.json() == {
        "errors": [{"message": response.json()["errors"][0]["message"], "extensions": {"code": "UNAUTHENTICATED"}}]
    }


def test_every_root_field_refuses_a_request_without_identity_by_get_and_post(site: Site) -> None:
    with site.client(headers=auth_headers(site.url)) as c:
        schema = c.post(
            "/graphql",
            json={
                "query": "{ __schema { queryType { fields { name type { kind "
                "ofType { kind ofType { kind ofType { kind } } } } } } } }"
            },
        )
    fields = schema.json()["data"]["__schema"]["queryType"]["fields"]
    assert len(fields) >= 19

    def selection(t: dict[str, Any]) -> str:
        while t.get("ofType"):
            t = t["ofType"]
        return " { __typename }" if t["kind"] in ("OBJECT", "INTERFACE", "UNION") else ""

    identities: dict[str, dict[str, str]] = {
        "none": {},
        "garbage bearer": {"Authorization": "Bearer nonsense"},
        "forged API token": {"Authorization": "Bearer wz_" + "0" * 16 + "_" + "0" * 64},
        "basic auth": {"Authorization": "Basic bGk6R2Fuc3UtMjAyMw=="},
        "unknown cookie": {"Cookie": "wenze_session=not-a-session", "X-Wenze-Request": "1"},
    }
    refused = sent = 0
    with site.client() as c:
        for f in fields:
            query = "{ " + f["name"] + selection(f["type"]) + " }"
            for headers in identities.values():
                for response in (
                    c.get("/graphql", params={"query": query}, headers=headers),
                    c.post("/graphql", json={"query": query}, headers=headers),
                ):
                    sent += 1
                    refused += _unauthenticated(response)
    assert sent == len(fields) * len(identities) * 2
    assert refused == sent, f"{sent - refused} of {sent} requests without identity were not refused with 401"
    figure(
        "issue 11 without identity",
        f"{len(fields)} root fields x {len(identities)} identities x GET and POST",
        f"{refused} of {sent} refused 401 UNAUTHENTICATED",
    )


def test_static_assets_and_the_login_page_need_no_identity(site: Site) -> None:
    with site.client() as c:
        assert c.get("/login").status_code == 200
        assert c.get("/static/vendor/graphiql.min.js").status_code in (200, 503)
        page = c.get("/graphql", headers={"accept": "text/html"})
        assert page.status_code == 303 and page.headers["location"] == "/login?next=/graphql"
        assert c.get("/").headers["location"] == "/login?next=/"


def test_csrf_shapes_with_the_session_cookie(site: Site) -> None:
    with site.client() as c:
        site.sign_in(c)
        ok = {"data": {"official": {"name": "张伟"}}}
        h = {"X-Wenze-Request": "1"}
        assert c.post("/graphql", json={"query": Q}, headers=h).json() == ok
        assert c.post("/graphql", content=Q, headers={**h, "content-type": "application/graphql"}).json() == ok
        shapes = {
            "JSON without the header": (c.post("/graphql", json={"query": Q}), 403),
            "form-encoded": (c.post("/graphql", data={"query": Q}, headers=h), 415),
            "text/plain": (
                c.post("/graphql", content=json.dumps({"query": Q}), headers={**h, "content-type": "text/plain"}),
                415,
            ),
            "no Content-Type": (c.post("/graphql", content=json.dumps({"query": Q}), headers=h), 415),
            "multipart": (c.post("/graphql", files={"query": ("q", Q)}, headers=h), 415),
            "GET query without the header": (c.get("/graphql", params={"query": Q}), 403),
        }
        for name, (response, status) in shapes.items():
            assert response.status_code == status, (name, response.text)
            code = response.json()["errors"][0]["extensions"]["code"]
            assert code == ("FORBIDDEN" if status == 403 else "BAD_USER_INPUT"), name
        figure("issue 11 CSRF shapes refused", ", ".join(shapes), f"{len(shapes)} of {len(shapes)}")
        assert c.get("/graphql", params={"query": Q}, headers=h).json() == ok
        page = c.get("/graphql", headers={"accept": "text/html"})  # the GraphiQL page itself
        assert page.status_code == 200 and "<title>问责 GraphQL</title>" in page.text
        assert c.get("/").status_code == 200
    with site.client(headers=auth_headers(site.url)) as bearer:  # no cookie: no CSRF header needed
        assert bearer.post("/graphql", json={"query": Q}).json() == ok
        assert bearer.post("/graphql", content=json.dumps({"query": Q})).status_code == 415


def test_the_sign_in_page_flow(site: Site) -> None:
    with site.client() as c:
        page = c.get("/login", params={"next": "/graphql"})
        assert page.status_code == 200 and "登录名" in page.text and "密码" in page.text and "动态口令" in page.text
        assert "http://" not in page.text and "https://" not in page.text and "<script" not in page.text
        assert "default-src 'none'" in page.headers["content-security-policy"]
        wrong = c.post("/login", data={"login": "li", "password": "Wrong-2023", "next": "/graphql"})
        assert wrong.status_code == 401 and "登录名或密码错误" in wrong.text and "wenze_session" not in c.cookies
        evil = c.post("/login", data={"login": "li", "password": PASSWORD}, headers={"Origin": "http://evil.example"})
        assert evil.status_code == 403 and "wenze_session" not in c.cookies
        done = c.post("/login", data={"login": "li", "password": PASSWORD, "next": "//evil.example/"})
        assert done.status_code == 303 and done.headers["location"] == "/"
        cookie = done.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Secure" not in cookie
        me = c.get("/auth/me").json()["user"]
        assert me["login"] == "li" and me["roles"] == [{"name": "inspector", "chinese": "纪检监察"}]
        assert me["regions"] == ["620000"] and me["method"] == "password"
        value = c.cookies["wenze_session"]
        assert c.get("/logout").status_code == 200
        out = c.post("/logout")
        assert out.status_code == 303 and out.headers["location"] == "/login"
    with site.client() as stale:  # the old cookie is dead on the server, not just in the browser
        stale.cookies.set("wenze_session", value)
        assert stale.post("/graphql", json={"query": Q}, headers={"X-Wenze-Request": "1"}).status_code == 401
        assert stale.get("/auth/me").status_code == 401


def test_json_sign_in_refusal_says_why(site: Site) -> None:
    with site.client() as c:
        r = c.post("/auth/login", json={"login": "auditadmin", "password": PASSWORD})
        assert r.status_code == 401
        assert r.json()["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED", "reason": "totp_not_enrolled"}
        assert c.post("/auth/login", data={"login": "li", "password": PASSWORD}).status_code == 415


def test_administrators_read_no_graph_data_but_the_audit_admin_reads_the_log(site: Site) -> None:
    with site.client(headers={"Authorization": f"Bearer {site.admin_token}"}) as admin:
        r = admin.post("/graphql", json={"query": Q})
        assert r.status_code == 403 and r.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        entries = admin.get("/audit/entries", params={"user": "auditadmin"}).json()["entries"]
        assert any(e.get("reason") == "FORBIDDEN" and e["roles"] == ["audit_admin"] for e in entries)
    with site.client(headers=auth_headers(site.url)) as inspector:
        r = inspector.get("/audit/entries")
        assert r.status_code == 403 and r.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def _entries(settings: Settings) -> list[dict[str, Any]]:
    return [json.loads(line) for p in log_files(settings.audit_folder) for line in p.read_bytes().splitlines()]


def test_the_audit_entry_is_on_disk_when_the_answer_arrives(site: Site) -> None:
    query = 'query Chain($id: ID!) { chain(issueId: $id) { issue { id } } case(id: "CASE-1") { title } }'
    with site.client(headers=auth_headers(site.url)) as c:
        r = c.post("/graphql", json={"query": query, "variables": {"id": "ISS-1"}, "operationName": "Chain"})
        entries = _entries(site.settings)  # read at once: no later flush could have written it
    assert r.status_code == 200
    [entry] = [e for e in entries if e.get("request_id") == r.headers["x-request-id"]]
    assert entry["user"] == "e2e.inspector" and entry["roles"] == ["inspector"] and entry["regions"] == ["620000"]
    assert entry["method"] == "token" and entry["client"] == "127.0.0.1" and entry["operation"] == "Chain"
    assert entry["variables"] == {"id": "ISS-1"} and entry["outcome"] == "ok" and len(entry["query_sha256"]) == 64
    assert {"kind": "Case", "id": "CASE-1"} in entry["objects"]
    assert entry["fields"]["case"] == {"id": "CASE-1"}


def test_an_audit_write_that_fails_refuses_the_request(site: Site) -> None:
    folder = site.settings.audit_folder
    backup = folder.with_name("audit-moved")
    folder.rename(backup)
    folder.write_text("not a folder")  # every write now fails
    try:
        with site.client(headers=auth_headers(site.url)) as c:
            r = c.post("/graphql", json={"query": Q})
        assert r.status_code == 503 and r.json()["errors"][0]["extensions"]["code"] == "AUDIT_UNAVAILABLE"
        assert "data" not in r.json()
    finally:
        folder.unlink()
        backup.rename(folder)


def test_disabling_a_user_stops_their_token_at_once(site: Site) -> None:
    with open_accounts(site.settings) as accounts:
        accounts.add_user("wang", "王五", ["auditor"], ["620100"], None, actor="test")
        token = accounts.create_token("wang", 1, actor="test")
    with site.client(headers={"Authorization": f"Bearer {token}"}) as c:
        assert c.post("/graphql", json={"query": Q}).status_code == 200
        with open_accounts(site.settings) as accounts:
            accounts.disable("wang", actor="test")
        assert c.post("/graphql", json={"query": Q}).status_code == 401


def test_security_headers(site: Site) -> None:
    with site.client(headers=auth_headers(site.url)) as c:
        for path in ("/graphql?query={__typename}", "/login", "/auth/me"):
            h = c.get(path).headers
            assert h["x-content-type-options"] == "nosniff" and h["x-frame-options"] == "DENY"
            assert h["referrer-policy"] == "no-referrer" and "frame-ancestors 'none'" in h["content-security-policy"]
            assert h["cache-control"] == "no-store", path
        asset = c.get("/static/vendor/graphiql.min.js")
        if asset.status_code == 200:
            assert asset.headers.get("cache-control") != "no-store"


def test_rate_limits_count_query_cost_per_user(trap_store: Any, tmp_path: Path) -> None:
    from graphql import get_operation_ast, parse

    from api.limits import operation_cost
    from api.schema import build_schema

    cheap = '{ official(id: "OFF-ZW") { name } }'
    costly = "{ officials(first: 10) { nodes { id name } } }"
    schema = build_schema()._schema

    def cost_of(query: str) -> int:  # what the gate charges (api.auth.edge Gate._cost): no variables here
        document = parse(query)
        operation = get_operation_ast(document)
        assert operation is not None
        return operation_cost(schema, document, operation).value({})

    cheap_cost, costly_cost = cost_of(cheap), cost_of(costly)
    assert costly_cost > 9 * cheap_cost  # so a third costly query cannot fit where nine cheap ones do
    budget = 2 * costly_cost + 9 * cheap_cost
    site, server = _site(tmp_path, trap_store, rate_limit=f"{budget}/minute")
    try:
        with site.client(headers=auth_headers(site.url)) as c:
            assert c.post("/graphql", json={"query": costly}).status_code == 200
            assert c.post("/graphql", json={"query": costly}).status_code == 200
            limited = c.post("/graphql", json={"query": costly})
            assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
            assert limited.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
            statuses = [c.post("/graphql", json={"query": cheap}).status_code for _ in range(12)]
            assert statuses == [200] * 9 + [429] * 3  # the budget, to the point
        with site.client() as other:  # another user has a budget of their own
            site.sign_in(other)
            assert other.post("/graphql", json={"query": cheap}, headers={"X-Wenze-Request": "1"}).status_code == 200
    finally:
        server.stop()
        shutil.rmtree(tmp_path / "data", ignore_errors=True)
