"""Sign-in policy (api/auth/accounts.py) on the embedded account store: lock-out, timeouts, TOTP, tokens."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest

from api.audit.log import AuditLog
from api.audit.verify import read_entries
from api.auth.accounts import Accounts, BadAccountInput, Policy, SignInRefused
from api.auth.sqlite_store import SqliteAccountStore
from api.auth.store import AccountExists
from tests.figures import figure

PASSWORD = "Gansu-2023"


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def accounts(tmp_path: Path, clock: Clock) -> Iterator[Accounts]:
    store = SqliteAccountStore(tmp_path / "accounts.sqlite3")
    audit = AuditLog(tmp_path / "audit", b"k" * 32)
    yield Accounts(store, Policy(), audit, clock=clock)
    store.close()


def _events(accounts: Accounts) -> list[tuple[str, str]]:
    assert accounts.audit is not None
    return [
        (e["event"], e["details"].get("reason", ""))
        for e in read_entries(accounts.audit.folder)
        if e["type"] == "event"
    ]


def test_lock_out_on_exactly_the_fifth_failure_and_none_succeeds_while_locked(accounts: Accounts, clock: Clock) -> None:
    accounts.add_user("zhang", "张三", ["inspector"], ["620100"], PASSWORD, actor="t")
    for attempt in range(1, 5):
        with pytest.raises(SignInRefused) as e:
            accounts.sign_in("zhang", "wrong-Pass1", None, "10.0.0.1")
        assert e.value.reason == "bad_credentials", attempt
        assert accounts.store.user_by_login("zhang").locked_until == 0.0  # type: ignore[union-attr]
    accounts.sign_in("zhang", PASSWORD, None, "10.0.0.1")  # a success resets the count
    for _ in range(4):
        with pytest.raises(SignInRefused):
            accounts.sign_in("zhang", "wrong-Pass1", None, "10.0.0.1")
    assert accounts.store.user_by_login("zhang").locked_until == 0.0  # type: ignore[union-attr]
    with pytest.raises(SignInRefused):
        accounts.sign_in("zhang", "wrong-Pass1", None, "10.0.0.1")  # the 5th consecutive failure
    assert accounts.store.user_by_login("zhang").locked_until == clock.now + 30 * 60  # type: ignore[union-attr]
    clock.now += 29 * 60
    with pytest.raises(SignInRefused) as e:
        accounts.sign_in("zhang", PASSWORD, None, "10.0.0.1")  # the right password, still locked
    assert e.value.reason == "locked" and "1 分钟" in str(e.value)
    clock.now += 61
    value, user = accounts.sign_in("zhang", PASSWORD, None, "10.0.0.1")
    assert user.login == "zhang" and accounts.caller_for_session(value) is not None
    events = _events(accounts)
    assert events.count(("locked_out", "")) == 1
    assert events.count(("sign_in", "")) == 2 and ("sign_in_failed", "locked") in events
    figure("issue 11 lock-out", "locked on failure", "the 5th (not the 4th); the right password refused while locked")


def test_unknown_login_and_wrong_password_get_the_same_message(accounts: Accounts) -> None:
    accounts.add_user("zhang", "张三", ["inspector"], ["620100"], PASSWORD, actor="t")
    with pytest.raises(SignInRefused) as unknown:
        accounts.sign_in("nobody", PASSWORD, None, "")
    with pytest.raises(SignInRefused) as wrong:
        accounts.sign_in("zhang", "Wrong-2023", None, "")
    assert str(unknown.value) == str(wrong.value)


def test_idle_and_absolute_session_timeouts(accounts: Accounts, clock: Clock) -> None:
    accounts.add_user("zhang", "张三", ["inspector"], ["620100"], PASSWORD, actor="t")
    value, _ = accounts.sign_in("zhang", PASSWORD, None, "")
    clock.now += 29 * 60
    assert accounts.caller_for_session(value) is not None
    clock.now += 31 * 60  # 31 idle minutes since the last use
    assert accounts.caller_for_session(value) is None
    assert accounts.caller_for_session(value) is None  # and it is gone for good
    value, _ = accounts.sign_in("zhang", PASSWORD, None, "")
    minutes = 0
    while accounts.caller_for_session(value) is not None and minutes < 24 * 60:
        clock.now += 20 * 60  # used every 20 minutes: never idle, but 12 hours is the end
        minutes += 20
    assert minutes == 12 * 60 + 20  # alive at 12:00 exactly, ended at the next use


def test_disable_ends_sessions_and_tokens_at_once(accounts: Accounts) -> None:
    accounts.add_user("zhang", "张三", ["inspector"], ["620100"], PASSWORD, actor="t")
    value, _ = accounts.sign_in("zhang", PASSWORD, None, "")
    token = accounts.create_token("zhang", 30, actor="t")
    caller = accounts.caller_for_token(token)
    assert caller is not None and caller.method == "token" and caller.regions == frozenset({"620100"})
    assert accounts.disable("zhang", actor="t") == 1
    assert accounts.caller_for_session(value) is None
    assert accounts.caller_for_token(token) is None
    with pytest.raises(SignInRefused):
        accounts.sign_in("zhang", PASSWORD, None, "")
    accounts.enable("zhang", actor="t")
    assert accounts.caller_for_token(token) is not None
    assert accounts.caller_for_session(value) is None  # ended sessions stay ended
    figure("issue 11 API tokens refused", "of a disabled user", "refused at once, with the user's sessions")


def test_tokens_expire_and_are_revoked(accounts: Accounts, clock: Clock) -> None:
    accounts.add_user("zhang", "张三", ["inspector"], ["620100"], None, actor="t")
    token = accounts.create_token("zhang", 1, actor="t")
    token_id = token.split("_")[1]
    assert accounts.caller_for_token(token) is not None
    assert accounts.caller_for_token(token[:-1] + ("0" if token[-1] != "0" else "1")) is None  # wrong secret
    clock.now += 86400 + 1
    assert accounts.caller_for_token(token) is None
    fresh = accounts.create_token("zhang", 5, actor="t")
    accounts.revoke_token(fresh.split("_")[1], actor="t")
    assert accounts.caller_for_token(fresh) is None
    stored = accounts.store.tokens_of(accounts.store.user_by_login("zhang").id)  # type: ignore[union-attr]
    assert [t.id for t in stored][0] == token_id and all(token.split("_")[2] not in t.secret_hash for t in stored)
    figure("issue 11 API tokens refused", "wrong secret, expired, revoked", "3 of 3 refused")


@pytest.mark.parametrize("role", ["admin", "security_admin", "audit_admin"])
def test_administrators_need_a_second_factor(accounts: Accounts, clock: Clock, role: str) -> None:
    accounts.add_user("boss", "管理员", [role], [], PASSWORD, actor="t")
    with pytest.raises(SignInRefused) as e:
        accounts.sign_in("boss", PASSWORD, None, "")
    assert e.value.reason == "totp_not_enrolled"
    uri = accounts.enrol_totp("boss", actor="t")
    totp = pyotp.parse_uri(uri)
    with pytest.raises(SignInRefused) as e:
        accounts.sign_in("boss", PASSWORD, None, "")
    assert e.value.reason == "totp_required"
    with pytest.raises(SignInRefused) as e:
        accounts.sign_in("boss", PASSWORD, "000000" if totp.at(clock.now) != "000000" else "111111", "")
    assert e.value.reason == "bad_totp"
    code = totp.at(clock.now)
    value, user = accounts.sign_in("boss", PASSWORD, code, "")
    assert user.roles == (role,)
    with pytest.raises(SignInRefused) as e:  # the same code again: a replay
        accounts.sign_in("boss", PASSWORD, code, "")
    assert e.value.reason == "bad_totp"
    clock.now += 30
    accounts.sign_in("boss", PASSWORD, totp.at(clock.now), "")
    caller = accounts.caller_for_session(value)
    assert caller is not None and not caller.reads_graph


def test_user_changes_are_validated_and_audited(accounts: Accounts) -> None:
    with pytest.raises(BadAccountInput):
        accounts.add_user("zhang", "张三", ["inspector"], ["620100"], "weak", actor="t")
    with pytest.raises(BadAccountInput):
        accounts.add_user("zhang", "张三", ["inspector"], [], PASSWORD, actor="t")  # no jurisdiction
    with pytest.raises(BadAccountInput):
        accounts.add_user("zhang", "张三", ["inspector"], ["62010"], PASSWORD, actor="t")
    with pytest.raises(BadAccountInput):
        accounts.add_user("zhang", "张三", ["admin", "inspector"], ["620100"], PASSWORD, actor="t")
    accounts.add_user("zhang", "张三", ["inspector"], ["620100"], PASSWORD, actor="t")
    with pytest.raises(AccountExists):
        accounts.add_user("zhang", "张三", ["inspector"], ["620100"], PASSWORD, actor="t")
    assert accounts.grant("zhang", "620102", actor="t") == ("620100", "620102")
    assert accounts.revoke_region("zhang", "620100", actor="t") == ("620102",)
    token = accounts.create_token("zhang", 1, actor="t")
    caller = accounts.caller_for_token(token)
    assert caller is not None and caller.regions == frozenset({"620102"})
    assert [e for e, _ in _events(accounts)] == [
        "user_added",
        "region_granted",
        "region_revoked",
        "token_created",
    ]  # refused changes leave no entry
