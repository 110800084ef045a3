"""Browser fixtures: the built workbench on a live server (trap bundle, small demo), driven by Playwright
for Python through the Debian Chromium (``executable_path``: no browser download, ever).

Signed in: each server's account store gets a browser user (an inspector with the province's
jurisdiction 620000, with a password), and ``page`` signs its browser context in through
``POST /auth/login`` (the session cookie is set in the context, as the web app's own sign-in does) on
the server the test asks for (``trap_url`` or ``demo_url``). ``anonymous_page`` is not signed in.
``gql(url)`` sends the server's test bearer token (tests.e2e.conftest.auth_headers).

Playwright's sync API runs an event loop in the main thread while it is open, so ``browser`` is
module-scoped inside ``with sync_playwright()``: it is closed before the next module's tests (an
``asyncio.run`` in a later test would otherwise fail with "cannot be called from a running event loop").

Every page runs with two fences against outside requests: Chromium resolves no host but 127.0.0.1,
and a route handler aborts any request to another host and records it; ``page`` fails the test
if one was made. ``axe_violations(page)`` runs axe-core (from web/node_modules) in the page.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from api.explorer import APP_DIR
from tests.e2e.conftest import Servers, auth_headers

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "web" / "node_modules" / "axe-core" / "axe.min.js"
LOCAL_HOSTS = {"127.0.0.1"}
BROWSER_USER = "browser.inspector"
BROWSER_USER_NAME = "浏览器 督察员"
BROWSER_PASSWORD = "Gansu-2023-browser"

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


def add_browser_user(app_state: Any) -> None:
    """The browser user in the account store of the live app whose ``app.state`` this is (once)."""
    from api.auth.commands import open_accounts
    from api.auth.store import AccountExists

    with open_accounts(app_state.settings) as accounts:
        try:
            accounts.add_user(
                BROWSER_USER, BROWSER_USER_NAME, ["inspector"], ["620000"], BROWSER_PASSWORD, actor="browser-tests"
            )
        except AccountExists:
            pass


def _url_with_browser_user(servers: Servers, dataset: str) -> str:
    live = servers.get("embedded", dataset)
    add_browser_user(live.server.server.config.app.state)
    return live.url


@pytest.fixture(scope="session")
def trap_url(servers: Servers) -> str:
    return _url_with_browser_user(servers, "trap")


@pytest.fixture(scope="session")
def demo_url(servers: Servers) -> str:
    return _url_with_browser_user(servers, "demo")


@pytest.fixture(scope="module")
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


def sign_in(context: Any, url: str) -> None:
    """Sign the browser context in as the browser user: ``POST /auth/login`` sets the session cookie in it."""
    response = context.request.post(f"{url}/auth/login", data={"login": BROWSER_USER, "password": BROWSER_PASSWORD})
    assert response.status == 200, response.text()
    assert response.json()["user"]["login"] == BROWSER_USER
    assert [c["name"] for c in context.cookies(url)] == ["wenze_session"]


@contextmanager
def _page(browser: Any, signed_in_at: str | None, **options: Any) -> Iterator[Any]:
    context = browser.new_context(
        viewport={"width": 1440, "height": 900}, locale="zh-CN", accept_downloads=True, **options
    )
    try:
        if signed_in_at is not None:
            sign_in(context, signed_in_at)
        outside = Outside()
        context.route("**/*", outside.handle)
        errors: list[str] = []
        pg = context.new_page()
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.set_default_timeout(20_000)
        yield pg
    finally:
        context.close()
    assert outside.urls == [], f"the page reached outside localhost: {outside.urls}"
    assert errors == [], f"uncaught errors in the page: {errors}"


def _server_of(request: pytest.FixtureRequest) -> str:
    """The server the test uses: the ``trap_url`` or ``demo_url`` fixture it asks for."""
    names = [n for n in ("trap_url", "demo_url") if n in request.fixturenames]
    assert len(names) == 1, f"a signed-in page needs exactly one of trap_url, demo_url (got {names})"
    url: str = request.getfixturevalue(names[0])
    return url


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A page in a browser context signed in to the test's server."""
    with _page(browser, _server_of(request)) as pg:
        yield pg


@pytest.fixture
def anonymous_page(browser: Any) -> Iterator[Any]:
    """A page in a browser context that has not signed in."""
    with _page(browser, None) as pg:
        yield pg


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
    """A GraphQL caller for the same server (as its test user), to compare the screen with the API."""
    import httpx

    def call(query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        r = httpx.post(
            f"{url}/graphql", json={"query": query, "variables": variables or {}}, timeout=60, headers=auth_headers(url)
        )
        body = r.json()
        assert "errors" not in body, body
        return body["data"]  # type: ignore[no-any-return]

    return call
