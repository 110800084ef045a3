"""Signing in with real headless Chromium: /login, the session cookie, and the workbench calling /graphql with it.

Playwright drives the Debian Chromium (/usr/bin/chromium). The workbench's client must send
X-Wenze-Request (the CSRF header) or its searches would be refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from api.auth.commands import open_accounts
from api.explorer import APP_DIR
from api.settings import Settings
from tests.e2e.conftest import LiveServer, load_dataset, open_test_store

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "Gansu-2023"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (apt-get install chromium)"),
    pytest.mark.skipif(
        not (APP_DIR / "index.html").is_file(), reason="workbench not built: run scripts/fetch-web-assets"
    ),
]


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("browser-sign-in")
    store = open_test_store("embedded", folder / "db")
    load_dataset(store, "trap", folder)
    settings = Settings(data_dir=folder / "data", account_store="embedded")
    with open_accounts(settings) as accounts:
        accounts.add_user("li", "李四", ["inspector"], ["620000"], PASSWORD, actor="test")
    server = LiveServer(store, settings).start()
    yield server.url
    server.stop()
    store.close()


def test_sign_in_then_search_in_the_workbench(url: str) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.goto(url + "/")
            assert page.url == url + "/login?next=/"
            assert page.title() == "登录 · 问责"
            page.fill("#login", "li")
            page.fill("#password", "wrong-Pass1")
            page.click("button[type=submit]")
            assert "登录名或密码错误" in page.inner_text(".error")
            page.fill("#password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(url + "/")
            [cookie] = page.context.cookies()
            assert cookie["name"] == "wenze_session" and cookie["httpOnly"] and cookie["sameSite"] == "Strict"
            assert page.evaluate("document.cookie") == ""  # HttpOnly: scripts cannot read it
            assert page.locator("[data-test=current-user]").inner_text() == "李四"  # GET /auth/me, with the cookie
            box = page.get_by_role("textbox", name="全局检索")
            box.fill("张伟")
            box.press("Enter")
            page.wait_for_url(url + "/search?q=%E5%BC%A0%E4%BC%9F")
            page.wait_for_selector("[data-test=group-Official]")
            assert "张伟" in page.inner_text("[data-test=group-Official]")
            status = page.evaluate("""async () => (await fetch('/graphql', {method: 'POST',
                headers: {'content-type': 'application/json'}, body: '{"query": "{ __typename }"}'})).status""")
            assert status == 403  # a script without the CSRF header is refused even with the cookie
        finally:
            browser.close()
