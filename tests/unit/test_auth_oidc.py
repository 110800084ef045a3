"""OIDC bearer tokens (api/auth/oidc.py, api/auth/edge.py): one good token, and a refusal per kind of bad one.

Figures: every kind of bad token below is refused — 0 accepted.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from joserfc import jwt
from joserfc.jwk import RSAKey

from api.auth.accounts import Accounts, Policy
from api.auth.edge import Identity
from api.auth.oidc import OidcRefused, OidcVerifier
from api.auth.sqlite_store import SqliteAccountStore
from api.settings import Settings
from tests.figures import figure

ISSUER, AUDIENCE = "https://sso.gansu.example/realms/gov", "wenze"


def _now() -> int:
    return int(time.time())  # at each call: the suite may run for minutes before these tests


@pytest.fixture(scope="module")
def keys() -> dict[str, RSAKey]:
    return {
        "good": RSAKey.generate_key(2048, parameters={"kid": "k1"}),
        "other": RSAKey.generate_key(2048, parameters={"kid": "k1"}),
        "unknown": RSAKey.generate_key(2048, parameters={"kid": "k9"}),
    }


@pytest.fixture
def jwks(tmp_path: Path, keys: dict[str, RSAKey]) -> Path:
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps({"keys": [keys["good"].as_dict(private=False)]}))
    return path


@pytest.fixture
def verifier(jwks: Path) -> OidcVerifier:
    return OidcVerifier(ISSUER, AUDIENCE, jwks, ["RS256"], leeway=0)


def _claims(**extra: Any) -> dict[str, Any]:
    now = _now()
    return {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "s-1",
        "preferred_username": "zhang",
        "iat": now,
        "exp": now + 300,
        **extra,
    }


def _sign(key: RSAKey, claims: dict[str, Any], kid: str | None = "k1") -> str:
    header: dict[str, Any] = {"alg": "RS256"}
    if kid is not None:
        header["kid"] = kid
    return jwt.encode(header, claims, key)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unsigned(header: dict[str, Any], claims: dict[str, Any], secret: bytes | None = None) -> str:
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest() if secret is not None else b""
    return f"{signing_input}.{_b64(signature)}"


def test_a_good_token_passes(verifier: OidcVerifier, keys: dict[str, RSAKey]) -> None:
    claims = verifier.verify(_sign(keys["good"], _claims(wenze_roles=["auditor"], wenze_regions="620100 620102")))
    assert claims["sub"] == "s-1"
    assert verifier.identity(claims) == ("zhang", "zhang", ["auditor"], ["620100", "620102"])


def _bad_tokens(keys: dict[str, RSAKey]) -> dict[str, tuple[str, str]]:
    public_pem = (
        keys["good"]
        .get_op_key("verify")
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    now = _now()
    return {
        "expired": (_sign(keys["good"], _claims(exp=now - 10)), "expired"),
        "not yet valid": (_sign(keys["good"], _claims(nbf=now + 600)), "not_yet_valid"),
        "wrong issuer": (_sign(keys["good"], _claims(iss="https://evil.example")), "issuer"),
        "wrong audience": (_sign(keys["good"], _claims(aud="someone-else")), "audience"),
        "no expiry": (_sign(keys["good"], {k: v for k, v in _claims().items() if k != "exp"}), "claims"),
        "bad signature": (_sign(keys["other"], _claims()), "signature"),
        "tampered payload": (_tamper(_sign(keys["good"], _claims())), "signature"),
        "alg none": (_unsigned({"alg": "none", "kid": "k1"}, _claims()), "algorithm"),
        "HS256 with the RSA public key": (_unsigned({"alg": "HS256", "kid": "k1"}, _claims(), public_pem), "algorithm"),
        "unknown key id": (_sign(keys["unknown"], _claims(), kid="k9"), "unknown_key"),
        "no key id": (_sign(keys["good"], _claims(), kid=None), "unknown_key"),
        "not a JWT": ("eyJhbGciOi.x", "malformed"),
    }


def _tamper(token: str) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["preferred_username"] = "boss"
    return f"{header}.{_b64(json.dumps(claims).encode())}.{signature}"


def test_every_kind_of_bad_token_is_refused(verifier: OidcVerifier, keys: dict[str, RSAKey]) -> None:
    accepted, reasons = [], {}
    for kind, (token, reason) in _bad_tokens(keys).items():
        try:
            verifier.verify(token)
            accepted.append(kind)
        except OidcRefused as e:
            reasons[kind] = e.reason
            assert e.reason == reason, (kind, e.reason, str(e))
    assert accepted == []
    assert len(reasons) == 12
    figure("issue 11 bad OIDC tokens", ", ".join(reasons), f"{len(reasons)} refused, {len(accepted)} accepted")


def test_settings_refuse_symmetric_and_none_algorithms() -> None:
    for algs in (["HS256"], ["none"], ["RS256", "HS512"], []):
        with pytest.raises(ValueError):
            Settings(oidc_algorithms=algs)


def test_a_jwks_file_with_a_symmetric_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps({"keys": [{"kty": "oct", "kid": "k1", "k": _b64(b"s" * 32)}]}))
    with pytest.raises(ValueError, match="symmetric"):
        OidcVerifier(ISSUER, AUDIENCE, path, ["RS256"])


@pytest.fixture
def identity(tmp_path: Path, jwks: Path) -> Iterator[Identity]:
    store = SqliteAccountStore(tmp_path / "a.sqlite3")
    settings = Settings(data_dir=tmp_path, oidc_issuer=ISSUER, oidc_audience=AUDIENCE, oidc_jwks_file=jwks)
    verifier = OidcVerifier.from_settings(settings)
    assert verifier is not None
    yield Identity(Accounts(store, Policy(), None), verifier, settings)
    store.close()


def test_claims_map_to_a_local_user_or_to_roles_and_regions(identity: Identity, keys: dict[str, RSAKey]) -> None:
    identity.accounts.add_user("zhang", "张三", ["personnel"], ["620100"], None, actor="t")
    caller = identity._oidc_caller(_sign(keys["good"], _claims(wenze_roles=["inspector"])))
    assert (caller.login, caller.roles, caller.regions, caller.method) == (
        "zhang",
        frozenset({"personnel"}),
        frozenset({"620100"}),
        "oidc",
    )  # the local user's, not the token's
    caller = identity._oidc_caller(
        _sign(
            keys["good"], _claims(preferred_username="li", name="李四", wenze_roles="auditor", wenze_regions=["620102"])
        )
    )
    assert (caller.login, caller.name, caller.roles, caller.regions) == (
        "li",
        "李四",
        frozenset({"auditor"}),
        frozenset({"620102"}),
    )
    with pytest.raises(OidcRefused):  # no usable role
        identity._oidc_caller(_sign(keys["good"], _claims(preferred_username="wang")))
    with pytest.raises(OidcRefused) as e:  # an administrator without a second factor at the IdP
        identity._oidc_caller(_sign(keys["good"], _claims(preferred_username="a", wenze_roles=["audit_admin"])))
    assert e.value.reason == "second_factor"
    caller = identity._oidc_caller(
        _sign(keys["good"], _claims(preferred_username="a", wenze_roles=["audit_admin"], amr=["pwd", "otp"]))
    )
    assert caller.roles == frozenset({"audit_admin"}) and not caller.reads_graph


def test_a_token_of_a_disabled_user_is_refused(identity: Identity, keys: dict[str, RSAKey]) -> None:
    identity.accounts.add_user("zhang", "张三", ["inspector"], ["620100"], None, actor="t")
    token = _sign(keys["good"], _claims())
    assert identity._oidc_caller(token).login == "zhang"
    identity.accounts.disable("zhang", actor="t")
    with pytest.raises(OidcRefused) as e:
        identity._oidc_caller(token)
    assert e.value.reason == "disabled"


def test_a_rotated_jwks_file_is_read_again(verifier: OidcVerifier, jwks: Path, keys: dict[str, RSAKey]) -> None:
    import os

    token = _sign(keys["unknown"], _claims(), kid="k9")
    with pytest.raises(OidcRefused):
        verifier.verify(token)
    jwks.write_text(json.dumps({"keys": [keys["good"].as_dict(private=False), keys["unknown"].as_dict(private=False)]}))
    os.utime(jwks, (time.time() + 5, time.time() + 5))
    assert verifier.verify(token)["sub"] == "s-1"
