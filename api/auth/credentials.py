"""Credentials: password rules and argon2id hashes, TOTP second factors, API token and session secrets.

    problems = password_problems("Gansu2023!", login="zhang")   # [] when the password is acceptable
    digest = hash_password("Gansu2023!")                        # argon2id, salted
    verify_password(digest, "Gansu2023!")                       # True (never raises)
    token = new_api_token()            # ApiToken(id="k3…", secret="…"); str(token) = "wz_<id>_<secret>"
    parse_api_token("wz_ab12_…")       # ("ab12", "…") or None when it is not of that shape

Only hashes are stored: argon2id for passwords (``check_needs_rehash`` upgrades old parameters on the
next sign-in), SHA-256 for API token secrets and session cookie values (256 random bits each: a fast
hash is enough when the secret cannot be guessed).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_PASSWORD_LENGTH = 8
TOKEN_PREFIX = "wz"
_TOKEN_SHAPE = re.compile(r"^wz_([0-9a-f]{16})_([0-9a-f]{64})$")
_HASHER = PasswordHasher()  # argon2id with the library's current recommended parameters
TOTP_ISSUER = "wenze 问责"


def password_problems(password: str, login: str = "") -> list[str]:
    """What is wrong with a new password (empty when it is acceptable), in Chinese and English.

    Rules (等保 2.0 §8.1.4.1): at least 8 characters; at least 3 of the 4 classes lower-case,
    upper-case, digit, other; not the login (in any case, either way round).
    """
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(f"密码至少 {MIN_PASSWORD_LENGTH} 个字符 (at least {MIN_PASSWORD_LENGTH} characters)")
    classes = sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )
    if classes < 3:
        problems.append(
            "密码须包含小写字母、大写字母、数字、符号中的至少三类 (use 3 of: lower-case, upper-case, digits, symbols)"
        )
    if login and (password.lower() == login.lower() or password.lower() == login.lower()[::-1]):
        problems.append("密码不能与登录名相同 (the password must not be the login)")
    return problems


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(digest: str, password: str) -> bool:
    """Whether the password matches the argon2 hash; False (not an exception) for any mismatch."""
    if not digest or not password:
        return False
    try:
        return _HASHER.verify(digest, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(digest: str) -> bool:
    return _HASHER.check_needs_rehash(digest)


@functools.cache
def dummy_hash() -> str:
    """A hash to verify against when the login is unknown, so the answer takes as long as for a real
    user. Made on first use: hashing costs a few tenths of a second, which every start paid at import."""
    return _HASHER.hash(secrets.token_hex(16))


# ---- TOTP (RFC 6238: 30-second steps, 6 digits, SHA-1 — what every authenticator app reads)


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(secret: str, login: str) -> str:
    """The otpauth:// URI an authenticator app enrols from (show it once, as text or a QR code)."""
    return pyotp.TOTP(secret).provisioning_uri(name=login, issuer_name=TOTP_ISSUER)


def totp_step(secret: str, code: str, now: float | None = None) -> int | None:
    """The time step the code belongs to (this one or a neighbour, for clock drift), or None if wrong.

    The caller records the step and refuses any code of a step not later than the last one used,
    so a code cannot be replayed.
    """
    code = code.strip().replace(" ", "")
    if not secret or not re.fullmatch(r"\d{6}", code):
        return None
    totp = pyotp.TOTP(secret)
    at = time.time() if now is None else now
    current = int(at // totp.interval)
    for step in (current, current - 1, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


# ---- API tokens and session cookie values


@dataclass(frozen=True)
class ApiToken:
    id: str
    secret: str

    def __str__(self) -> str:
        return f"{TOKEN_PREFIX}_{self.id}_{self.secret}"


def new_api_token() -> ApiToken:
    return ApiToken(id=secrets.token_hex(8), secret=secrets.token_hex(32))


def parse_api_token(text: str) -> tuple[str, str] | None:
    """(id, secret) of a ``wz_<id>_<secret>`` token, or None when the text has another shape."""
    m = _TOKEN_SHAPE.match(text)
    return (m.group(1), m.group(2)) if m else None


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def same_hash(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def new_session_value() -> str:
    return secrets.token_urlsafe(32)
