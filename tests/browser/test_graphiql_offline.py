"""GraphiQL renders in real headless Chromium from this server's own assets, with no outside request.

A trivial strawberry schema stands in for the real one: what is under test is the page
(``api.graphiql``) and the vendored bundles, not the API. Chromium runs with every host name but
127.0.0.1 resolving to nothing, so a bundle that reached for a CDN could not render, and its
net log is checked for any URL that is not this server's.
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
import strawberry
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Mount, Route
from strawberry.asgi import GraphQL

from api.graphiql import SCRIPTS, STYLESHEETS, VENDOR_DIR, VENDOR_PATH, graphiql_html, graphiql_routes

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (apt-get install chromium)"),
    pytest.mark.skipif(
        not (VENDOR_DIR / "graphiql.min.js").is_file(),
        reason="GraphiQL assets not fetched: run scripts/fetch-web-assets",
    ),
]


@strawberry.type
class Hit:
    id: str
    kind: str
    label: str


@strawberry.type
class Query:
    @strawberry.field
    def search(self, text: str) -> list[Hit]:
        return [Hit(id="OFF-1", kind="Official", label=f"{text}伟")]


def _app(requests_seen: list[tuple[str, str, str]]) -> Starlette:
    endpoint = GraphQL(strawberry.Schema(query=Query), graphql_ide=None)

    async def page(request: Request) -> HTMLResponse:
        return HTMLResponse(graphiql_html("/graphql"))

    app = Starlette(
        routes=[
            Route("/graphql", page, methods=["GET"]),
            Route("/graphql", endpoint, methods=["POST"]),
            *graphiql_routes("/graphql"),
        ]
    )

    async def record(scope, receive, send):  # type: ignore[no-untyped-def]
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        body = b""

        async def receive_and_keep():  # type: ignore[no-untyped-def]
            nonlocal body
            message = await receive()
            body += message.get("body", b"")
            return message

        await app(scope, receive_and_keep, send)
        requests_seen.append((scope["method"], scope["path"], body.decode(errors="replace")))

    return record  # type: ignore[return-value]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, list[tuple[str, str, str]]]]:
    requests_seen: list[tuple[str, str, str]] = []
    port = _free_port()
    config = uvicorn.Config(_app(requests_seen), host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not uv.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start within 10 s")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", requests_seen
    uv.should_exit = True
    thread.join(timeout=10)


def _page_requests(net_log: Path) -> list[tuple[str, str]]:
    """(method, url) of every request the page initiated, from Chromium's ``--log-net-log``.

    Requests the page makes carry its origin as ``initiator``; Chromium's own background traffic
    (component updates, account checks; blocked here anyway) carries "not an origin" and is skipped.
    """
    text = net_log.read_text()
    try:
        log = json.loads(text)
    except json.JSONDecodeError:  # Chromium leaves the event list open if it exits abruptly
        log = json.loads(text.rstrip().rstrip(",") + "]}")
    start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    requests = []
    for event in log["events"]:
        params = event.get("params") or {}
        if event["type"] == start_job and "url" in params:
            initiator = params.get("initiator", "")
            if initiator.startswith(("http://", "https://")):
                requests.append((params.get("method", ""), params["url"]))
    return requests


def _chromium(url: str, profile: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-default-apps",
            "--disable-extensions",
            # Any host but this server resolves to nothing: an outside request cannot succeed.
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            f"--user-data-dir={profile}",
            "--window-size=1280,800",
            "--virtual-time-budget=8000",
            *extra,
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_page_references_only_relative_urls() -> None:
    page = graphiql_html("/graphql")
    assert '<html lang="zh-CN">' in page
    assert "<title>问责 GraphQL</title>" in page
    assert re.findall(r"https?://", page) == []
    assert re.findall(r"""(?:src|href)="//""", page) == []
    for name in (*SCRIPTS, *STYLESHEETS):
        assert f'"{VENDOR_PATH}/{name}"' in page


def test_graphiql_renders_offline_in_chromium(server: tuple[str, list[tuple[str, str, str]]]) -> None:
    base, requests_seen = server
    requests_seen.clear()
    with tempfile.TemporaryDirectory() as profile:
        net_log = Path(profile) / "net-log.json"
        run = _chromium(f"{base}/graphql", profile, "--dump-dom", f"--log-net-log={net_log}")
        assert run.returncode == 0, run.stderr[-2000:]
        dom = run.stdout
        page_requests = _page_requests(net_log)

    # GraphiQL mounted its editors (and not the "assets missing" fallback).
    assert "graphiql-container" in dom
    assert "graphiql-editor" in dom
    assert 'class="wenze-missing"' not in dom
    assert "正在加载 GraphiQL" not in dom
    # The default query is in the query editor (CodeMirror renders its text into the DOM).
    assert "search" in dom and "label" in dom

    # Every asset came from this server, and the fetcher introspected the same-origin endpoint.
    paths = {(method, path) for method, path, _ in requests_seen}
    for name in (*SCRIPTS, *STYLESHEETS):
        assert ("GET", f"{VENDOR_PATH}/{name}") in paths
    introspections = [b for m, p, b in requests_seen if (m, p) == ("POST", "/graphql") and "__schema" in b]
    assert introspections, f"no introspection POST to /graphql; saw {sorted(paths)}"

    # Everything the page itself asked for went to this server, as the server's own log agrees.
    assert {urlsplit(url).path for _, url in page_requests} >= {f"{VENDOR_PATH}/{n}" for n in SCRIPTS}
    outside = sorted(url for _, url in page_requests if urlsplit(url).netloc != urlsplit(base).netloc)
    assert outside == []


def test_vendor_route_says_how_to_fetch_missing_assets(tmp_path: Path) -> None:
    from api.graphiql import _VendorFiles

    async def get(app: Starlette, path: str) -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return await client.get(path)

    unfetched = Starlette(routes=[Mount(VENDOR_PATH, app=_VendorFiles(tmp_path))])
    response = asyncio.run(get(unfetched, f"{VENDOR_PATH}/graphiql.min.js"))
    assert response.status_code == 503
    assert "scripts/fetch-web-assets" in response.text

    served = asyncio.run(get(Starlette(routes=graphiql_routes()), f"{VENDOR_PATH}/graphiql.min.js"))
    assert served.status_code == 200
    assert served.headers["content-type"].startswith(("text/javascript", "application/javascript"))
