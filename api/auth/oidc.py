"""OIDC bearer tokens verified offline against a configured JWKS file, with joserfc (never the old jose library).

    verifier = OidcVerifier.from_settings(settings)      # None when OIDC is not configured
    claims = verifier.verify(bearer_text)                # dict of claims, or raises OidcRefused(reason)
    login, name, roles, regions = verifier.identity(claims)

Pinned by settings: issuer, audience, algorithms (asymmetric only; ``none`` and HS* are refused
before any key is touched, so an HS256 token "signed" with the RSA public key cannot pass). The
header must name a ``kid`` present in the JWKS file; ``exp`` is required, ``nbf`` and ``iat`` are
checked when present (with ``oidc_leeway_seconds``). The JWKS file is read when the server starts
(and again when its modification time changes), never fetched.

Reasons (for the audit log and tests): malformed, algorithm, unknown_key, signature, expired,
not_yet_valid, issuer, audience, claims.
"""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from joserfc import errors as jose_errors
from joserfc import jwt
from joserfc.jwk import KeySet

if TYPE_CHECKING:
    from api.settings import Settings

# An administrator's role from a token needs a second factor at the identity provider (RFC 8176 amr).
SECOND_FACTOR_AMR = frozenset({"mfa", "otp", "hwk", "swk", "sms", "sc"})


class OidcRefused(Exception):
    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def _b64json(part: str) -> Any:
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def looks_like_jwt(text: str) -> bool:
    return text.count(".") == 2 and text.startswith("eyJ")


class OidcVerifier:
    def __init__(
        self,
        issuer: str,
        audience: str,
        jwks_file: Path,
        algorithms: list[str],
        leeway: int = 30,
        login_claim: str = "preferred_username",
        name_claim: str = "name",
        roles_claim: str = "wenze_roles",
        regions_claim: str = "wenze_regions",
    ) -> None:
        self.issuer = issuer
        self.audience = audience
        self.jwks_file = jwks_file
        self.algorithms = list(algorithms)
        self.leeway = leeway
        self.login_claim, self.name_claim = login_claim, name_claim
        self.roles_claim, self.regions_claim = roles_claim, regions_claim
        self._mtime = -1.0
        self._keys = self._load()

    @classmethod
    def from_settings(cls, settings: Settings) -> OidcVerifier | None:
        if not settings.oidc_configured:
            return None
        assert settings.oidc_issuer and settings.oidc_audience and settings.oidc_jwks_file
        return cls(
            settings.oidc_issuer,
            settings.oidc_audience,
            settings.oidc_jwks_file,
            settings.oidc_algorithms,
            settings.oidc_leeway_seconds,
            settings.oidc_login_claim,
            settings.oidc_name_claim,
            settings.oidc_roles_claim,
            settings.oidc_regions_claim,
        )

    def _load(self) -> KeySet:
        try:
            self._mtime = self.jwks_file.stat().st_mtime
            data = json.loads(self.jwks_file.read_text(encoding="utf-8"))
            keys = KeySet.import_key_set(data)
        except (OSError, ValueError, jose_errors.JoseError) as e:
            raise ValueError(f"OIDC JWKS file {self.jwks_file} is unreadable: {e}") from e
        if any(k.get("kid") is None for k in data.get("keys", [])):
            raise ValueError(f"every key in the JWKS file {self.jwks_file} needs a 'kid'")
        if any(k.get("kty") == "oct" for k in data.get("keys", [])):
            raise ValueError(
                f"the JWKS file {self.jwks_file} holds a symmetric (oct) key; only public keys belong there"
            )
        return keys

    def _current_keys(self) -> KeySet:
        try:
            if self.jwks_file.stat().st_mtime != self._mtime:
                self._keys = self._load()
        except (OSError, ValueError):
            pass  # keep the keys already loaded; a broken rewrite does not open the door
        return self._keys

    def verify(self, token: str, now: float | None = None) -> dict[str, Any]:
        parts = token.split(".")
        if len(parts) != 3:
            raise OidcRefused("malformed", "not a signed JWT (three parts)")
        try:
            header = _b64json(parts[0])
        except ValueError as e:
            raise OidcRefused("malformed", "the token header is not base64url JSON") from e
        if not isinstance(header, dict):
            raise OidcRefused("malformed", "the token header is not a JSON object")
        alg = header.get("alg")
        if alg not in self.algorithms:
            raise OidcRefused("algorithm", f"algorithm {alg!r} is not allowed (allowed: {', '.join(self.algorithms)})")
        keys = self._current_keys()
        kid = header.get("kid")
        try:
            keys.get_by_kid(kid) if isinstance(kid, str) else None
        except jose_errors.InvalidKeyIdError:
            kid = None
        if not isinstance(kid, str):
            raise OidcRefused("unknown_key", f"key id {header.get('kid')!r} is not in the configured JWKS file")
        try:
            decoded = jwt.decode(token, keys, algorithms=self.algorithms)
        except jose_errors.BadSignatureError as e:
            raise OidcRefused("signature", "bad signature") from e
        except (jose_errors.JoseError, ValueError) as e:
            raise OidcRefused("malformed", f"the token cannot be decoded: {e}") from e
        registry = jwt.JWTClaimsRegistry(
            now=int(time.time() if now is None else now),
            leeway=self.leeway,
            iss={"essential": True, "value": self.issuer},
            aud={"essential": True, "value": self.audience},
            exp={"essential": True},
        )
        claims = dict(decoded.claims)
        try:
            registry.validate(claims)
        except jose_errors.ExpiredTokenError as e:
            raise OidcRefused("expired", "the token has expired") from e
        except jose_errors.InvalidClaimError as e:
            name = getattr(e, "claim", "")
            reason = {"iss": "issuer", "aud": "audience", "nbf": "not_yet_valid", "iat": "not_yet_valid"}.get(
                name, "claims"
            )
            raise OidcRefused(reason, f"claim {name!r} is not acceptable: {e}") from e
        except jose_errors.MissingClaimError as e:
            raise OidcRefused("claims", f"a required claim is missing: {e}") from e
        return claims

    def identity(self, claims: dict[str, Any]) -> tuple[str, str, list[str], list[str]]:
        """(login, display name, roles, regions) from the claims (roles and regions may be empty)."""
        login = claims.get(self.login_claim)
        if not isinstance(login, str) or not login:
            raise OidcRefused("claims", f"the token has no {self.login_claim!r} claim")
        name = claims.get(self.name_claim)
        return (
            login,
            name if isinstance(name, str) and name else login,
            _strings(claims.get(self.roles_claim)),
            _strings(claims.get(self.regions_claim)),
        )


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return value.replace(",", " ").split()
    if isinstance(value, list):
        return [str(v) for v in value]
    return []


def has_second_factor(claims: dict[str, Any]) -> bool:
    amr = claims.get("amr")
    return isinstance(amr, list) and bool(SECOND_FACTOR_AMR & {str(a) for a in amr})
