"""`wenze load` while `wenze serve` holds the embedded store: the bundle goes through the server.

The server (a real uvicorn in this process) holds the store; the command runs in another process, as
an operator would run it, finds the store in use and sends the bundle to POST /admin/load with the
admin's token in WENZE_TOKEN. Readers see the new data (search included) as soon as it answers.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

import loaders
from api.settings import Settings
from graph.ladybug import LadybugStore
from tests.e2e.conftest import LiveServer, auth_headers
from tests.e2e.trap_bundle import write_bundle

NEW_OFFICIAL = "id,name,gender\nOFF-NEW,欧阳新,female\n"


@pytest.fixture
def serving(tmp_path):
    data = tmp_path / "data"
    store = LadybugStore(data)
    loaders.load(store, write_bundle(tmp_path / "trap"))
    settings = Settings(data_dir=data)
    server = LiveServer(store, settings).start()
    from api.auth.commands import open_accounts

    with open_accounts(settings.model_copy(update={"account_store": "embedded"})) as accounts:
        accounts.add_user("e2e.admin", "测试 管理员", ["admin"], [], None, actor="e2e")
        admin_token = accounts.create_token("e2e.admin", 1, actor="e2e")
    yield server, data, admin_token
    server.stop()
    store.close()


def _wenze_load(data: Path, bundle: Path, url: str, token: str | None, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WENZE_DATA_DIR": str(data), "WENZE_SERVER_URL": url, "WENZE_BACKEND": "embedded"}
    env.pop("WENZE_TOKEN", None)
    if token:
        env["WENZE_TOKEN"] = token
    return subprocess.run(
        [sys.executable, "-m", "api.cli", "load", str(bundle), *extra],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _names(server: LiveServer, text: str) -> list[str]:
    body = httpx.post(
        f"{server.url}/graphql",
        headers=auth_headers(server.url),
        json={"query": "query($t:String!){ search(text:$t){ id label } }", "variables": {"t": text}},
    )
    return [n["label"] for n in body.json()["data"]["search"]]


def test_a_load_goes_through_the_server_and_readers_see_it_at_once(serving, tmp_path):
    server, data, token = serving
    bundle = tmp_path / "new"
    bundle.mkdir()
    (bundle / "Official.csv").write_text(NEW_OFFICIAL, encoding="utf-8")
    dry = _wenze_load(data, bundle, server.url, token, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "held by a server" in dry.stderr and "dry run" in dry.stderr
    assert _names(server, "欧阳新") == []
    done = _wenze_load(data, bundle, server.url, token)
    assert done.returncode == 0, done.stderr
    assert "nodes +1" in done.stderr
    assert _names(server, "欧阳新") == ["欧阳新"]  # the search index is fresh before the load answers


def test_a_bad_bundle_is_refused_whole_through_the_server(serving, tmp_path):
    server, data, token = serving
    bundle = tmp_path / "bad"
    bundle.mkdir()
    (bundle / "Official.csv").write_text(NEW_OFFICIAL + "OFF-BAD,错,unknown\n", encoding="utf-8")
    refused = _wenze_load(data, bundle, server.url, token)
    assert refused.returncode == 1
    assert "Official.csv" in refused.stderr and "gender" in refused.stderr
    assert _names(server, "欧阳新") == []  # nothing of it was written


def test_only_an_administrators_token_may_load(serving, tmp_path):
    server, data, _ = serving
    bundle = tmp_path / "new"
    bundle.mkdir()
    (bundle / "Official.csv").write_text(NEW_OFFICIAL, encoding="utf-8")
    as_inspector = _wenze_load(data, bundle, server.url, server.token)
    assert as_inspector.returncode == 1 and "admin" in as_inspector.stderr
    anonymous = _wenze_load(data, bundle, server.url, None)
    assert anonymous.returncode == 1 and "Sign in" in anonymous.stderr
    assert _names(server, "欧阳新") == []
