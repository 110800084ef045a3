"""Passwords, TOTP codes and token formats (api/auth/credentials.py), and the roles table."""

from __future__ import annotations

import pyotp
import pytest
from argon2 import PasswordHasher

from api.auth import credentials as cred
from api.auth.roles import ADMIN_ROLES, BUSINESS_ROLES, ROLES, check_role_set
from api.context import ANONYMOUS, LOCAL_CALLER, Caller
from schema.model import NODE_KINDS


@pytest.mark.parametrize(
    ("password", "login", "problems"),
    [
        ("Gansu-2023", "zhang", 0),
        ("gansu2023!", "zhang", 0),  # lower, digit, symbol: 3 classes
        ("Ab1!", "zhang", 1),  # too short
        ("abcdefgh1", "zhang", 1),  # 2 classes
        ("abcdefgh", "zhang", 1),
        ("Zhang.Wei1", "zhang.wei1", 1),  # the login, in another case
        ("1iew.gnahZ", "zhang.wei1", 1),  # the login reversed
        ("short", "short", 3),
    ],
)
def test_password_rules(password: str, login: str, problems: int) -> None:
    found = cred.password_problems(password, login)
    assert len(found) == problems, found


def test_argon2id_hash_verifies_and_upgrades() -> None:
    digest = cred.hash_password("Gansu-2023")
    assert digest.startswith("$argon2id$")
    assert cred.verify_password(digest, "Gansu-2023") is True
    assert cred.verify_password(digest, "gansu-2023") is False
    assert cred.verify_password("not a hash", "x") is False
    assert cred.verify_password(digest, "") is False
    assert cred.needs_rehash(digest) is False
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash("Gansu-2023")
    assert cred.verify_password(weak, "Gansu-2023") and cred.needs_rehash(weak)


def test_totp_codes_of_this_and_neighbouring_steps_only() -> None:
    secret = cred.new_totp_secret()
    totp = pyotp.TOTP(secret)
    now = 1_700_000_000.0
    step = int(now // 30)
    assert cred.totp_step(secret, totp.at(now), now) == step
    assert cred.totp_step(secret, totp.at(now - 30), now) == step - 1
    assert cred.totp_step(secret, totp.at(now + 30), now) == step + 1
    assert cred.totp_step(secret, totp.at(now - 90), now) is None
    assert cred.totp_step(secret, "12345", now) is None
    assert cred.totp_step("", totp.at(now), now) is None
    uri = cred.totp_uri(secret, "sec.admin")
    assert uri.startswith("otpauth://totp/") and f"secret={secret}" in uri and "sec.admin" in uri


def test_api_token_format_round_trips_and_rejects_other_shapes() -> None:
    token = cred.new_api_token()
    text = str(token)
    assert text.startswith("wz_") and len(text) == 3 + 16 + 1 + 64
    assert cred.parse_api_token(text) == (token.id, token.secret)
    for bad in ("", "wz_", text + "0", text.replace("wz_", "xx_"), text.upper(), f"wz_{token.id}", text[:-1]):
        assert cred.parse_api_token(bad) is None, bad
    other = cred.new_api_token()
    assert other.id != token.id and other.secret != token.secret
    assert cred.secret_hash(token.secret) != cred.secret_hash(other.secret)
    assert len(cred.secret_hash(token.secret)) == 64


def test_roles_table_matches_the_contract() -> None:
    assert set(ROLES) == {"inspector", "personnel", "auditor", "admin", "security_admin", "audit_admin"}
    assert [ROLES[r].chinese for r in ROLES] == [
        "纪检监察",
        "组织人事",
        "法治督察 / 审计",
        "系统管理员",
        "安全管理员",
        "审计管理员",
    ]
    assert BUSINESS_ROLES == ("inspector", "personnel", "auditor")
    assert ADMIN_ROLES == ("admin", "security_admin", "audit_admin")
    assert ROLES["inspector"].readable_kinds == frozenset(NODE_KINDS)
    for role in ("personnel", "auditor"):
        assert ROLES[role].readable_kinds == frozenset(NODE_KINDS) - {"Clue"}
    for role in ADMIN_ROLES:
        assert ROLES[role].readable_kinds == frozenset() and ROLES[role].needs_second_factor
    assert not any(ROLES[r].needs_second_factor for r in BUSINESS_ROLES)


def test_caller_may_read_kind_is_the_one_check() -> None:
    personnel = Caller(id="u", name="n", roles=frozenset({"personnel"}), regions=frozenset({"620100"}))
    readable = {k for k in NODE_KINDS if personnel.may_read_kind(k)}
    assert readable == set(NODE_KINDS) - {"Clue"}
    admin = Caller(id="a", name="n", roles=frozenset({"audit_admin"}))
    assert not any(admin.may_read_kind(k) for k in NODE_KINDS) and not admin.reads_graph
    assert all(LOCAL_CALLER.may_read_kind(k) for k in NODE_KINDS)
    assert not any(ANONYMOUS.may_read_kind(k) for k in NODE_KINDS)
    assert personnel.regions == frozenset({"620100"})


@pytest.mark.parametrize("roles", [["admin", "audit_admin"], ["security_admin", "inspector"], [], ["boss"]])
def test_role_sets_keep_the_three_administrators_apart(roles: list[str]) -> None:
    with pytest.raises(ValueError):
        check_role_set(roles)


def test_business_roles_may_be_combined() -> None:
    assert check_role_set(["inspector", "auditor", "inspector"]) == ("inspector", "auditor")
