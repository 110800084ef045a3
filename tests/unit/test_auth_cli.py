"""``wenze user …``, ``wenze token …``, ``wenze audit …``, ``wenze serve`` exposure checks and the demo users."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pyotp
import pytest

from api.auth.commands import DEMO_PASSWORD, DEMO_USERS, ensure_demo_users, open_accounts
from api.cli import main
from api.settings import Settings


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("WENZE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("WENZE_BACKEND", raising=False)
    monkeypatch.delenv("WENZE_AUTH", raising=False)
    return Settings()


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def test_user_and_token_commands(
    env: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, "Gansu-2023\n")
    assert (
        main(
            [
                "user",
                "add",
                "zhang",
                "--name",
                "张三",
                "--role",
                "inspector",
                "--region",
                "620100",
                "--region",
                "620102",
                "--password-stdin",
            ]
        )
        == 0
    )
    _stdin(monkeypatch, "weak\n")
    assert (
        main(["user", "add", "li", "--name", "李四", "--role", "auditor", "--region", "620100", "--password-stdin"])
        == 1
    )
    assert "至少" in capsys.readouterr().err
    _stdin(monkeypatch, "Gansu-2023\n")
    assert (
        main(["user", "add", "zhang", "--name", "x", "--role", "auditor", "--region", "620100", "--password-stdin"])
        == 1
    )  # taken
    assert main(["user", "grant", "zhang", "--region", "620000"]) == 0
    assert main(["user", "revoke", "zhang", "--region", "620102"]) == 0
    assert main(["user", "revoke", "nobody", "--region", "620102"]) == 1
    capsys.readouterr()
    assert main(["user", "list"]) == 0
    listing = capsys.readouterr().out
    assert "zhang" in listing and "inspector(纪检监察)" in listing and "620100,620000" in listing
    assert main(["token", "create", "zhang", "--days", "3"]) == 0
    token = capsys.readouterr().out.strip()
    assert token.startswith("wz_")
    with open_accounts(env) as accounts:
        caller = accounts.caller_for_token(token)
        assert caller is not None and caller.regions == frozenset({"620100", "620000"})
    assert main(["user", "disable", "zhang"]) == 0
    with open_accounts(env) as accounts:
        assert accounts.caller_for_token(token) is None
    assert main(["user", "enable", "zhang"]) == 0
    assert main(["token", "revoke", token.split("_")[1]]) == 0
    with open_accounts(env) as accounts:
        assert accounts.caller_for_token(token) is None
    assert main(["token", "revoke", "feedfeedfeedfeed"]) == 1
    capsys.readouterr()
    assert main(["audit", "show", "--user", "zhang"]) == 0
    events = [json.loads(line)["event"] for line in capsys.readouterr().out.splitlines()]
    assert events == [
        "user_added",
        "region_granted",
        "region_revoked",
        "token_created",
        "user_disabled",
        "user_enabled",
        "token_revoked",
    ]
    assert main(["audit", "verify"]) == 0


def test_an_administrator_enrols_totp_and_signs_in_with_it(
    env: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, "Gansu-2023\n")
    assert main(["user", "add", "sec", "--name", "安全员", "--role", "security_admin", "--password-stdin"]) == 0
    assert "wenze user totp sec" in capsys.readouterr().err
    assert (
        main(
            [
                "user",
                "add",
                "mixed",
                "--name",
                "x",
                "--role",
                "admin",
                "--role",
                "inspector",
                "--region",
                "620000",
                "--password-stdin",
            ]
        )
        == 1
    )
    assert "三员分立" in capsys.readouterr().err
    assert main(["user", "totp", "sec"]) == 0
    uri = capsys.readouterr().out.strip()
    totp = pyotp.parse_uri(uri)
    with open_accounts(env) as accounts:
        _, user = accounts.sign_in("sec", "Gansu-2023", totp.now(), "127.0.0.1")
    assert user.roles == ("security_admin",)


def test_serve_refuses_an_exposed_host_without_identities(
    env: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", "--host", "0.0.0.0"]) == 5
    assert "no user can sign in" in capsys.readouterr().err
    monkeypatch.setenv("WENZE_AUTH", "off")
    assert main(["serve", "--host", "10.1.2.3"]) == 5
    assert "WENZE_AUTH=off" in capsys.readouterr().err


def test_demo_users_cover_each_business_role_at_three_levels(env: Settings) -> None:
    assert len(DEMO_USERS) == 9
    assert ensure_demo_users(env) == [login for login, *_ in DEMO_USERS]
    assert ensure_demo_users(env) == []  # idempotent
    with open_accounts(env) as accounts:
        users = {u.login: u for u in accounts.store.users()}
        assert {(u.roles, u.regions) for u in users.values()} == {
            ((role,), (code,))
            for role in ("inspector", "personnel", "auditor")
            for code in ("620000", "620100", "620102")
        }
        value, _ = accounts.sign_in("personnel.chengguan", DEMO_PASSWORD, None, "")
        caller = accounts.caller_for_session(value)
        assert caller is not None and not caller.may_read_kind("Clue") and caller.regions == frozenset({"620102"})
