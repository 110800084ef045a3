"""Browser fixtures: the built workbench on a live server (trap bundle, small demo), driven by Playwright
for Python through the Debian Chromium (``executable_path``: no browser download, ever).

Every page runs with two fences against outside requests: Chromium resolves no host but 127.0.0.1,
and a route handler aborts any request to another host and records it; ``page`` fails the test
if one was made. ``axe_violations(page)`` runs axe-core (from web/node_modules) in the page.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from api.explorer import APP_DIR
from tests.e2e.conftest import Servers

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "web" / "node_modules" / "axe-core" / "axe.min.js"
LOCAL_HOSTS = {"127.0.0.1"}

needs_workbench = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (apt-get install chromium)"),
    pytest.mark.skipif(
        not (APP_DIR / "index.html").is_file(), reason="workbench not built: run scripts/fetch-web-assets"
    ),
]


@pytest.fixture(scope="session")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    manager = Servers(tmp_path_factory.mktemp("browser"))
    yield manager
    manager.close()


@pytest.fixture(scope="session")
def trap_url(servers: Servers) -> str:
    return servers.get("embedded", "trap").url


@pytest.fixture(scope="session")
def demo_url(servers: Servers) -> str:
    return servers.get("embedded", "demo").url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"],
        )
        yield b
        b.close()


class Outside:
    """Requests to any host but the local server: aborted, and remembered for the test to fail on."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def handle(self, route: Any) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname not in LOCAL_HOSTS:
            self.urls.append(url)
            route.abort()
        else:
            route.continue_()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN", accept_downloads=True)
    outside = Outside()
    context.route("**/*", outside.handle)
    errors: list[str] = []
    pg = context.new_page()
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.set_default_timeout(20_000)
    yield pg
    context.close()
    assert outside.urls == [], f"the page reached outside localhost: {outside.urls}"
    assert errors == [], f"uncaught errors in the page: {errors}"


def axe_violations(page: Any, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict[str, Any]]:
    """axe-core's violations of the given impacts on the page as it is now (id, impact, targets)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => JSON.stringify((await axe.run(document)).violations)")
    found = json.loads(result)
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "targets": [n["target"] for n in v["nodes"]][:5]}
        for v in found
        if v["impact"] in impacts
    ]


def gql(url: str) -> Callable[[str, dict[str, Any] | None], dict[str, Any]]:
    """A GraphQL caller for the same server, to compare the screen with the API."""
    import httpx

    def call(query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        r = httpx.post(f"{url}/graphql", json={"query": query, "variables": variables or {}}, timeout=60)
        body = r.json()
        assert "errors" not in body, body
        return body["data"]  # type: ignore[no-any-return]

    return call
