"""The account store port: users, server-side sessions and API tokens, for every backend and app server.

    store = open_account_store(settings)          # SQLite file (embedded) or Neo4j nodes (neo4j)
    store.add_user(user)                          # AccountExists when the login is taken
    store.session_with_user(session_hash)         # (Session, User) or None — one round trip

Implementations: ``SqliteAccountStore`` (api/auth/sqlite_store.py) and ``Neo4jAccountStore``
(api/auth/neo4j_accounts.py). Both pass tests/contract/test_account_store.py. Secrets never reach a
store: sessions are kept by the SHA-256 of their cookie value, tokens by the SHA-256 of their secret.
Counters that several app servers change (failed sign-ins, the last TOTP step) change atomically in
the store, not read-modify-write in Python.

Errors: ``AccountError`` ├── ``AccountExists`` (login taken) └── ``AccountMissing`` (no such user/token).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from api.settings import Settings


class AccountError(Exception):
    """A problem with an account operation; the message says what to do."""


class AccountExists(AccountError):
    pass


class AccountMissing(AccountError):
    pass


@dataclass(frozen=True)
class User:
    id: str
    login: str
    name: str
    roles: tuple[str, ...]
    regions: tuple[str, ...] = ()
    password_hash: str = ""  # "" = no local password (an OIDC-only user)
    totp_secret: str = ""  # "" = not enrolled
    disabled: bool = False
    failed_sign_ins: int = 0
    locked_until: float = 0.0  # epoch seconds; 0 = not locked
    created: float = 0.0
    password_changed: float = 0.0


@dataclass(frozen=True)
class Session:
    id_hash: str  # SHA-256 hex of the cookie value
    user_id: str
    created: float
    last_seen: float
    method: str = "password"
    client: str = ""


@dataclass(frozen=True)
class Token:
    id: str  # the public part of wz_<id>_<secret>
    user_id: str
    secret_hash: str  # SHA-256 hex of the secret
    created: float
    expires: float
    revoked: bool = False
    note: str = ""


class AccountStore(Protocol):
    """Where accounts live. Every method is one short transaction; times are epoch seconds."""

    # users
    def add_user(self, user: User) -> None: ...
    def user_by_login(self, login: str) -> User | None: ...
    def user_by_id(self, user_id: str) -> User | None: ...
    def users(self) -> list[User]: ...
    def set_disabled(self, user_id: str, disabled: bool) -> None: ...
    def set_regions(self, user_id: str, regions: tuple[str, ...]) -> None: ...
    def set_password_hash(self, user_id: str, password_hash: str, changed: float) -> None: ...
    def set_totp_secret(self, user_id: str, secret: str) -> None: ...

    def note_failed_sign_in(self, user_id: str, now: float, limit: int, lock_seconds: float) -> User:
        """Count a failure atomically; the ``limit``-th one locks until ``now + lock_seconds`` and resets
        the count. Returns the user as stored afterwards."""
        ...

    def note_sign_in(self, user_id: str) -> None:
        """A successful sign-in: the failure count starts again from 0 and any expired lock is cleared."""
        ...

    def advance_totp_step(self, user_id: str, step: int) -> bool:
        """Record the TOTP time step just used, only if later than the last one (no replay): True if so."""
        ...

    # sessions
    def add_session(self, session: Session) -> None: ...
    def session_with_user(self, id_hash: str) -> tuple[Session, User] | None: ...
    def touch_session(self, id_hash: str, now: float) -> None: ...
    def delete_session(self, id_hash: str) -> None: ...
    def delete_sessions_of(self, user_id: str) -> int: ...
    def delete_sessions_before(self, created_before: float, seen_before: float) -> int: ...

    # tokens
    def add_token(self, token: Token) -> None: ...
    def token_with_user(self, token_id: str) -> tuple[Token, User] | None: ...
    def tokens_of(self, user_id: str) -> list[Token]: ...
    def revoke_token(self, token_id: str) -> bool: ...

    def close(self) -> None: ...


def open_account_store(settings: Settings) -> AccountStore:
    """The account store the settings choose (``account_store``, default: follow ``backend``)."""
    if settings.account_backend == "neo4j":
        from api.auth.neo4j_accounts import Neo4jAccountStore

        return Neo4jAccountStore(
            settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password, settings.neo4j_database
        )
    from api.auth.sqlite_store import SqliteAccountStore

    return SqliteAccountStore(settings.data_dir / "accounts.sqlite3")
