"""`wenze backup` while `wenze serve` holds the embedded store, and while a load is being written.

The server (a real uvicorn in this process) holds the store with the small demo in it. In other
processes, as an operator would, `wenze load` sends a bundle (new officials and a changed issue) and
`wenze backup` runs again and again until the load has answered: each finds the store in use and asks
the server (POST /admin/backup, the admin's token in WENZE_TOKEN). Every backup is restored into a fresh
folder and served: its counts and a chain must be those before the load or those after it, never a mix.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

import loaders
from api.settings import Settings
from graph.ladybug import LadybugStore
from graph.ladybug.backup import counts, restore
from loaders.demo import generate
from tests.e2e.conftest import LiveServer, auth_headers

ISSUE = "IS-2023-0001"
CHAIN = """query($id: ID!) { chain(issueId: $id, asOf: "2023-12-31") {
    issue { id summary } organisation { id } responsible { official { id } kind } steps { id }
    cases { id } measures { id form } stage } }"""
NEW_OFFICIALS = 20_000


@pytest.fixture
def serving(tmp_path):
    data = tmp_path / "data"
    store = LadybugStore(data)
    loaders.load(store, generate("small"))
    settings = Settings(data_dir=data)
    server = LiveServer(store, settings).start()
    from api.auth.commands import open_accounts

    with open_accounts(settings.model_copy(update={"account_store": "embedded"})) as accounts:
        accounts.add_user("e2e.admin", "测试 管理员", ["admin"], [], None, actor="e2e")
        admin_token = accounts.create_token("e2e.admin", 1, actor="e2e")
    yield server, store, data, admin_token
    server.stop()
    store.close()


def _env(data: Path, url: str, token: str | None) -> dict[str, str]:
    env = {**os.environ, "WENZE_DATA_DIR": str(data), "WENZE_SERVER_URL": url, "WENZE_BACKEND": "embedded"}
    env.pop("WENZE_TOKEN", None)
    if token:
        env["WENZE_TOKEN"] = token
    return env


def _wenze(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args], env=env, capture_output=True, text=True, timeout=300
    )


def _chain(server: LiveServer) -> dict[str, Any]:
    body = httpx.post(
        f"{server.url}/graphql",
        headers=auth_headers(server.url),
        json={"query": CHAIN, "variables": {"id": ISSUE}},
        timeout=60,
    ).json()
    assert "errors" not in body, body
    return dict(body["data"]["chain"])


def _answers_of(folder: Path, restored: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """Restore the backup in ``folder`` into the new folder ``restored``, serve it: (counts, the chain)."""
    restore(folder, restored)
    store = LadybugStore(restored)
    server = LiveServer(store, Settings(data_dir=restored)).start()
    try:
        return counts(store), _chain(server)
    finally:
        server.stop()
        store.close()


def _changes(tmp_path: Path) -> Path:
    bundle = tmp_path / "changes"
    bundle.mkdir()
    officials = "".join(f"OFF-BK-{i:05d},备份测试{i},female\n" for i in range(NEW_OFFICIALS))
    (bundle / "Official.csv").write_text("id,name,gender\n" + officials, encoding="utf-8")
    (bundle / "Issue.csv").write_text(f"id,summary\n{ISSUE},整改台账（备份期间已更新）\n", encoding="utf-8")
    return bundle


def test_backups_during_a_load_hold_the_state_before_or_after_it(serving, tmp_path):
    server, store, data, token = serving
    before = (counts(store), _chain(server))
    assert before[1]["issue"]["id"] == ISSUE and before[1]["steps"]

    env = _env(data, server.url, token)
    loading = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "load", str(_changes(tmp_path))],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    made: list[tuple[Path, float, float]] = []
    while len(made) < 6:
        folder = tmp_path / f"bk{len(made)}"
        started = time.monotonic()
        done = _wenze(env, "backup", str(folder))
        assert done.returncode == 0, done.stderr
        assert "made the backup" in done.stderr and "backed up" in done.stderr
        made.append((folder, started, time.monotonic()))
        if loading.poll() is not None:
            break
    _, err = loading.communicate(timeout=300)
    assert loading.returncode == 0, err
    assert f"nodes +{NEW_OFFICIALS} ~1" in err
    after = (counts(store), _chain(server))
    assert after[0]["nodes"]["Official"] == before[0]["nodes"]["Official"] + NEW_OFFICIALS
    assert after[1]["issue"]["summary"] == "整改台账（备份期间已更新）" != before[1]["issue"]["summary"]
    assert {k: v for k, v in after[1].items() if k != "issue"} == {k: v for k, v in before[1].items() if k != "issue"}

    seen = []
    for i, (folder, _, _) in enumerate(made):
        answers = _answers_of(folder, tmp_path / f"restored{i}")
        assert answers in (before, after), f"backup {i} is neither the state before the load nor after it"
        seen.append("before" if answers == before else "after")
    # At least the first backup was made while the load ran (the load had not answered when it was done).
    assert len(made) >= 2, "the load answered before the first backup: make it bigger"
    print("backups during the load:", seen)


def test_only_an_administrator_may_back_up_through_the_server(serving, tmp_path):
    server, _, data, _ = serving
    as_inspector = _wenze(_env(data, server.url, server.token), "backup", str(tmp_path / "bk"))
    assert as_inspector.returncode == 4 and "admin" in as_inspector.stderr
    anonymous = _wenze(_env(data, server.url, None), "backup", str(tmp_path / "bk"))
    assert anonymous.returncode == 4 and "Sign in" in anonymous.stderr
    assert not (tmp_path / "bk").exists()


def test_the_server_refuses_a_folder_that_is_not_empty_or_inside_the_store(serving, tmp_path):
    server, _, data, token = serving
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    refused = _wenze(_env(data, server.url, token), "backup", str(tmp_path / "full"))
    assert refused.returncode == 4 and "not an empty folder" in refused.stderr
    inside = _wenze(_env(data, server.url, token), "backup", str(data / "bk"))
    assert inside.returncode == 4 and "inside the store's folder" in inside.stderr
    assert not (data / "bk").exists()
