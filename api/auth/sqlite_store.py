"""The embedded account store: one SQLite file beside the graph (``<data_dir>/accounts.sqlite3``).

    store = SqliteAccountStore(Path("wenze-data/accounts.sqlite3"))
    store.add_user(User(id="u1", login="zhang", name="张三", roles=("inspector",)))

Why SQLite (the standard library's sqlite3) and not the graph engine: accounts are not graph data.
They must survive ``wenze load``, ``clear`` and ``restore`` of the graph, must never appear in an
export, and the embedded graph engine admits one process at a time, while ``wenze user …`` has to
work while ``wenze serve`` runs. SQLite in WAL mode lets the CLI and the server write the same file
safely; each method is one transaction.

Identity lookups (``session_with_user``, ``token_with_user``: one per request) are kept in memory
while nothing changed the file: ``PRAGMA data_version`` (a few µs) moves whenever another
connection — a ``wenze user disable`` in another process, say — commits, and this connection's own
writes empty the memory too, so a disabled user, a revoked token or an ended session stops on the
very next request. The figure: the lookup ~25 µs, with the memory ~5 µs (bench/FIGURES.md).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

from api.auth.store import AccountExists, Session, Token, User

_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY, login TEXT NOT NULL UNIQUE, name TEXT NOT NULL, roles TEXT NOT NULL,
  regions TEXT NOT NULL, password_hash TEXT NOT NULL, totp_secret TEXT NOT NULL, totp_step INTEGER NOT NULL,
  disabled INTEGER NOT NULL, failed_sign_ins INTEGER NOT NULL, locked_until REAL NOT NULL,
  created REAL NOT NULL, password_changed REAL NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
  id_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, created REAL NOT NULL, last_seen REAL NOT NULL,
  method TEXT NOT NULL, client TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions(user_id);
CREATE TABLE IF NOT EXISTS tokens (
  id TEXT PRIMARY KEY, user_id TEXT NOT NULL, secret_hash TEXT NOT NULL, created REAL NOT NULL,
  expires REAL NOT NULL, revoked INTEGER NOT NULL, note TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS tokens_user ON tokens(user_id);
"""
_KNOWN_AT_MOST = 4096
# Statements written out in full (no string building: ruff S608 stays meaningful).
_SELECT_USER = (
    "SELECT id, login, name, roles, regions, password_hash, totp_secret, disabled, failed_sign_ins, locked_until, "
    "created, password_changed FROM users"
)
_INSERT_USER = (
    "INSERT INTO users (id, login, name, roles, regions, password_hash, totp_secret, disabled, failed_sign_ins, "
    "locked_until, created, password_changed, totp_step) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,0)"
)
_SESSION_WITH_USER = (
    "SELECT s.id_hash, s.user_id, s.created, s.last_seen, s.method, s.client, u.id, u.login, u.name, u.roles, "
    "u.regions, u.password_hash, u.totp_secret, u.disabled, u.failed_sign_ins, u.locked_until, u.created, "
    "u.password_changed FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?"
)
_TOKEN_WITH_USER = (
    "SELECT t.id, t.user_id, t.secret_hash, t.created, t.expires, t.revoked, t.note, u.id, u.login, u.name, "
    "u.roles, u.regions, u.password_hash, u.totp_secret, u.disabled, u.failed_sign_ins, u.locked_until, "
    "u.created, u.password_changed FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.id = ?"
)


def _user(row: Any, offset: int = 0) -> User:
    r = row[offset:]
    return User(
        id=r[0],
        login=r[1],
        name=r[2],
        roles=tuple(json.loads(r[3])),
        regions=tuple(json.loads(r[4])),
        password_hash=r[5],
        totp_secret=r[6],
        disabled=bool(r[7]),
        failed_sign_ins=int(r[8]),
        locked_until=float(r[9]),
        created=float(r[10]),
        password_changed=float(r[11]),
    )


def _session_row(r: Any) -> tuple[Session, User]:
    return Session(r[0], r[1], float(r[2]), float(r[3]), r[4], r[5]), _user(r, 6)


def _token_row(r: Any) -> tuple[Token, User]:
    return Token(r[0], r[1], r[2], float(r[3]), float(r[4]), bool(r[5]), r[6]), _user(r, 7)


class SqliteAccountStore:
    """``AccountStore`` over a SQLite file in WAL mode (see the module docstring for why)."""

    backend = "embedded"

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._known: dict[tuple[str, str], Any] = {}  # identity lookups since data_version last moved
        self._version = -1
        self._db = sqlite3.connect(path, timeout=10, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA busy_timeout=10000")
        self._db.executescript(_SCHEMA)
        path.chmod(0o600)

    def _run(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def _write(self, sql: str, params: tuple[Any, ...] = ()) -> int:
        with self._lock:
            self._known.clear()  # our own commits do not move our data_version
            return self._db.execute(sql, params).rowcount

    def _identity(self, kind: str, key: str, sql: str, build: Any) -> Any:
        """``build(row)`` of the row ``sql`` finds for ``key`` (or None); from memory while the file is unchanged."""
        with self._lock:
            version = self._db.execute("PRAGMA data_version").fetchone()[0]
            if version != self._version:
                self._known.clear()
                self._version = version
            if (kind, key) in self._known:
                return self._known[(kind, key)]
            rows = self._db.execute(sql, (key,)).fetchall()
            found = build(rows[0]) if rows else None
            if len(self._known) >= _KNOWN_AT_MOST:  # unknown ids are remembered too: bound the memory
                self._known.clear()
            self._known[(kind, key)] = found
            return found

    # ---- users

    def add_user(self, user: User) -> None:
        try:
            self._write(
                _INSERT_USER,
                (
                    user.id,
                    user.login,
                    user.name,
                    json.dumps(list(user.roles)),
                    json.dumps(list(user.regions)),
                    user.password_hash,
                    user.totp_secret,
                    int(user.disabled),
                    user.failed_sign_ins,
                    user.locked_until,
                    user.created,
                    user.password_changed,
                ),
            )
        except sqlite3.IntegrityError as e:
            raise AccountExists(f"a user with login {user.login!r} already exists") from e

    def user_by_login(self, login: str) -> User | None:
        rows = self._run(_SELECT_USER + " WHERE login = ?", (login,))
        return _user(rows[0]) if rows else None

    def user_by_id(self, user_id: str) -> User | None:
        rows = self._run(_SELECT_USER + " WHERE id = ?", (user_id,))
        return _user(rows[0]) if rows else None

    def users(self) -> list[User]:
        return [_user(r) for r in self._run(_SELECT_USER + " ORDER BY login")]

    def set_disabled(self, user_id: str, disabled: bool) -> None:
        self._write("UPDATE users SET disabled = ? WHERE id = ?", (int(disabled), user_id))

    def set_regions(self, user_id: str, regions: tuple[str, ...]) -> None:
        self._write("UPDATE users SET regions = ? WHERE id = ?", (json.dumps(list(regions)), user_id))

    def set_password_hash(self, user_id: str, password_hash: str, changed: float) -> None:
        self._write(
            "UPDATE users SET password_hash = ?, password_changed = ? WHERE id = ?", (password_hash, changed, user_id)
        )

    def set_totp_secret(self, user_id: str, secret: str) -> None:
        self._write("UPDATE users SET totp_secret = ?, totp_step = 0 WHERE id = ?", (secret, user_id))

    def note_failed_sign_in(self, user_id: str, now: float, limit: int, lock_seconds: float) -> User:
        with self._lock:
            self._known.clear()
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute(
                    "UPDATE users SET "
                    " locked_until = CASE WHEN failed_sign_ins + 1 >= ? THEN ? ELSE locked_until END,"
                    " failed_sign_ins = CASE WHEN failed_sign_ins + 1 >= ? THEN 0 ELSE failed_sign_ins + 1 END "
                    "WHERE id = ?",
                    (limit, now + lock_seconds, limit, user_id),
                )
                row = self._db.execute(_SELECT_USER + " WHERE id = ?", (user_id,)).fetchone()
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return _user(row)

    def note_sign_in(self, user_id: str) -> None:
        self._write("UPDATE users SET failed_sign_ins = 0, locked_until = 0 WHERE id = ?", (user_id,))

    def advance_totp_step(self, user_id: str, step: int) -> bool:
        return self._write("UPDATE users SET totp_step = ? WHERE id = ? AND totp_step < ?", (step, user_id, step)) == 1

    # ---- sessions

    def add_session(self, session: Session) -> None:
        self._write(
            "INSERT INTO sessions VALUES (?,?,?,?,?,?)",
            (session.id_hash, session.user_id, session.created, session.last_seen, session.method, session.client),
        )

    def session_with_user(self, id_hash: str) -> tuple[Session, User] | None:
        found: tuple[Session, User] | None = self._identity("session", id_hash, _SESSION_WITH_USER, _session_row)
        return found

    def touch_session(self, id_hash: str, now: float) -> None:
        self._write("UPDATE sessions SET last_seen = ? WHERE id_hash = ?", (now, id_hash))

    def delete_session(self, id_hash: str) -> None:
        self._write("DELETE FROM sessions WHERE id_hash = ?", (id_hash,))

    def delete_sessions_of(self, user_id: str) -> int:
        return self._write("DELETE FROM sessions WHERE user_id = ?", (user_id,))

    def delete_sessions_before(self, created_before: float, seen_before: float) -> int:
        return self._write("DELETE FROM sessions WHERE created < ? OR last_seen < ?", (created_before, seen_before))

    # ---- tokens

    def add_token(self, token: Token) -> None:
        self._write(
            "INSERT INTO tokens VALUES (?,?,?,?,?,?,?)",
            (token.id, token.user_id, token.secret_hash, token.created, token.expires, int(token.revoked), token.note),
        )

    def token_with_user(self, token_id: str) -> tuple[Token, User] | None:
        found: tuple[Token, User] | None = self._identity("token", token_id, _TOKEN_WITH_USER, _token_row)
        return found

    def tokens_of(self, user_id: str) -> list[Token]:
        rows = self._run(
            "SELECT id, user_id, secret_hash, created, expires, revoked, note FROM tokens "
            "WHERE user_id = ? ORDER BY created",
            (user_id,),
        )
        return [Token(r[0], r[1], r[2], float(r[3]), float(r[4]), bool(r[5]), r[6]) for r in rows]

    def revoke_token(self, token_id: str) -> bool:
        return self._write("UPDATE tokens SET revoked = 1 WHERE id = ? AND revoked = 0", (token_id,)) == 1

    def close(self) -> None:
        with self._lock:
            self._db.close()
