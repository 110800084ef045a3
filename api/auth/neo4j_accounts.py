"""The Neo4j account store: users, sessions and tokens as nodes beside the graph, shared by every app server.

    store = Neo4jAccountStore("bolt://db:7687", "neo4j", "secret", "neo4j")
    store.user_by_login("zhang")

Labels ``_WenzeUser``, ``_WenzeSession`` and ``_WenzeToken`` are outside the model: they carry no
``Node`` label, so the graph store's scans, counts and exports never see them, and no relationship
joins them (a session or token holds its user's id), so relationship counts do not either. Unique
constraints on the user's id and login, the session hash and the token id make concurrent app
servers safe; counters change in one Cypher statement each. Every query is parameterised.
"""

from __future__ import annotations

from typing import Any

import neo4j
from neo4j import exceptions as nx

from api.auth.store import AccountError, AccountExists, Session, Token, User

USER, SESSION, TOKEN = "_WenzeUser", "_WenzeSession", "_WenzeToken"
ACCOUNT_LABELS = (USER, SESSION, TOKEN)

_CONSTRAINTS = (
    f"CREATE CONSTRAINT wenze_user_id IF NOT EXISTS FOR (u:{USER}) REQUIRE u.id IS UNIQUE",
    f"CREATE CONSTRAINT wenze_user_login IF NOT EXISTS FOR (u:{USER}) REQUIRE u.login IS UNIQUE",
    f"CREATE CONSTRAINT wenze_session_hash IF NOT EXISTS FOR (s:{SESSION}) REQUIRE s.id_hash IS UNIQUE",
    f"CREATE CONSTRAINT wenze_token_id IF NOT EXISTS FOR (t:{TOKEN}) REQUIRE t.id IS UNIQUE",
    f"CREATE INDEX wenze_session_user IF NOT EXISTS FOR (s:{SESSION}) ON (s.user_id)",
    f"CREATE INDEX wenze_token_user IF NOT EXISTS FOR (t:{TOKEN}) ON (t.user_id)",
)
_USER_FIELDS = (
    "id",
    "login",
    "name",
    "roles",
    "regions",
    "password_hash",
    "totp_secret",
    "disabled",
    "failed_sign_ins",
    "locked_until",
    "created",
    "password_changed",
)


def _user(props: Any) -> User:
    p = dict(props)
    return User(
        id=p["id"],
        login=p["login"],
        name=p["name"],
        roles=tuple(p["roles"]),
        regions=tuple(p.get("regions") or ()),
        password_hash=p.get("password_hash", ""),
        totp_secret=p.get("totp_secret", ""),
        disabled=bool(p.get("disabled")),
        failed_sign_ins=int(p.get("failed_sign_ins", 0)),
        locked_until=float(p.get("locked_until", 0.0)),
        created=float(p.get("created", 0.0)),
        password_changed=float(p.get("password_changed", 0.0)),
    )


def _session(p: Any) -> Session:
    return Session(p["id_hash"], p["user_id"], float(p["created"]), float(p["last_seen"]), p["method"], p["client"])


def _token(p: Any) -> Token:
    return Token(
        p["id"],
        p["user_id"],
        p["secret_hash"],
        float(p["created"]),
        float(p["expires"]),
        bool(p["revoked"]),
        p.get("note", ""),
    )


class Neo4jAccountStore:
    """``AccountStore`` over Neo4j (one driver; managed transactions)."""

    backend = "neo4j"

    def __init__(self, uri: str, user: str, password: str, database: str) -> None:
        self._driver = neo4j.GraphDatabase.driver(uri, auth=(user, password))
        self._database = database
        try:
            for statement in _CONSTRAINTS:
                self._driver.execute_query(statement, database_=database)
        except (nx.Neo4jError, nx.DriverError) as e:
            self._driver.close()
            raise AccountError(f"the Neo4j account store at {uri} is unavailable: {e}") from e

    def _read(self, query: str, **params: Any) -> list[Any]:
        records, _, _ = self._driver.execute_query(
            query, params, database_=self._database, routing_=neo4j.RoutingControl.READ
        )
        return list(records)

    def _write(self, query: str, **params: Any) -> list[Any]:
        records, _, _ = self._driver.execute_query(query, params, database_=self._database)
        return list(records)

    # ---- users

    def add_user(self, user: User) -> None:
        props = {f: getattr(user, f) for f in _USER_FIELDS}
        props["roles"], props["regions"] = list(user.roles), list(user.regions)
        props["totp_step"] = 0
        try:
            self._write(f"CREATE (u:{USER}) SET u = $props", props=props)
        except nx.ConstraintError as e:
            raise AccountExists(f"a user with login {user.login!r} already exists") from e

    def user_by_login(self, login: str) -> User | None:
        rows = self._read(f"MATCH (u:{USER} {{login: $login}}) RETURN u", login=login)
        return _user(rows[0]["u"]) if rows else None

    def user_by_id(self, user_id: str) -> User | None:
        rows = self._read(f"MATCH (u:{USER} {{id: $id}}) RETURN u", id=user_id)
        return _user(rows[0]["u"]) if rows else None

    def users(self) -> list[User]:
        return [_user(r["u"]) for r in self._read(f"MATCH (u:{USER}) RETURN u ORDER BY u.login")]

    def set_disabled(self, user_id: str, disabled: bool) -> None:
        self._write(f"MATCH (u:{USER} {{id: $id}}) SET u.disabled = $v", id=user_id, v=disabled)

    def set_regions(self, user_id: str, regions: tuple[str, ...]) -> None:
        self._write(f"MATCH (u:{USER} {{id: $id}}) SET u.regions = $v", id=user_id, v=list(regions))

    def set_password_hash(self, user_id: str, password_hash: str, changed: float) -> None:
        self._write(
            f"MATCH (u:{USER} {{id: $id}}) SET u.password_hash = $v, u.password_changed = $at",
            id=user_id,
            v=password_hash,
            at=changed,
        )

    def set_totp_secret(self, user_id: str, secret: str) -> None:
        self._write(f"MATCH (u:{USER} {{id: $id}}) SET u.totp_secret = $v, u.totp_step = 0", id=user_id, v=secret)

    def note_failed_sign_in(self, user_id: str, now: float, limit: int, lock_seconds: float) -> User:
        # The first SET takes u's write lock, so what follows reads the count as it is now: deciding
        # in a WITH before any write would read a stale count under concurrent app servers.
        rows = self._write(
            f"MATCH (u:{USER} {{id: $id}}) SET u.failed_sign_ins = u.failed_sign_ins + 1 "
            "WITH u, u.failed_sign_ins >= $limit AS locks "
            "SET u.locked_until = CASE WHEN locks THEN $until ELSE u.locked_until END, "
            "    u.failed_sign_ins = CASE WHEN locks THEN 0 ELSE u.failed_sign_ins END "
            "RETURN u",
            id=user_id,
            limit=limit,
            until=now + lock_seconds,
        )
        return _user(rows[0]["u"])

    def note_sign_in(self, user_id: str) -> None:
        self._write(f"MATCH (u:{USER} {{id: $id}}) SET u.failed_sign_ins = 0, u.locked_until = 0.0", id=user_id)

    def advance_totp_step(self, user_id: str, step: int) -> bool:
        rows = self._write(
            f"MATCH (u:{USER} {{id: $id}}) WHERE u.totp_step < $step SET u.totp_step = $step RETURN u.id",
            id=user_id,
            step=step,
        )
        return bool(rows)

    # ---- sessions

    def add_session(self, session: Session) -> None:
        self._write(f"CREATE (s:{SESSION}) SET s = $props", props=session.__dict__.copy())

    def session_with_user(self, id_hash: str) -> tuple[Session, User] | None:
        rows = self._read(
            f"MATCH (s:{SESSION} {{id_hash: $h}}) MATCH (u:{USER} {{id: s.user_id}}) RETURN s, u", h=id_hash
        )
        return (_session(rows[0]["s"]), _user(rows[0]["u"])) if rows else None

    def touch_session(self, id_hash: str, now: float) -> None:
        self._write(f"MATCH (s:{SESSION} {{id_hash: $h}}) SET s.last_seen = $now", h=id_hash, now=now)

    def delete_session(self, id_hash: str) -> None:
        self._write(f"MATCH (s:{SESSION} {{id_hash: $h}}) DELETE s", h=id_hash)

    def delete_sessions_of(self, user_id: str) -> int:
        rows = self._write(f"MATCH (s:{SESSION} {{user_id: $id}}) DELETE s RETURN count(*) AS n", id=user_id)
        return int(rows[0]["n"]) if rows else 0

    def delete_sessions_before(self, created_before: float, seen_before: float) -> int:
        rows = self._write(
            f"MATCH (s:{SESSION}) WHERE s.created < $c OR s.last_seen < $s DELETE s RETURN count(*) AS n",
            c=created_before,
            s=seen_before,
        )
        return int(rows[0]["n"]) if rows else 0

    # ---- tokens

    def add_token(self, token: Token) -> None:
        self._write(f"CREATE (t:{TOKEN}) SET t = $props", props=token.__dict__.copy())

    def token_with_user(self, token_id: str) -> tuple[Token, User] | None:
        rows = self._read(f"MATCH (t:{TOKEN} {{id: $id}}) MATCH (u:{USER} {{id: t.user_id}}) RETURN t, u", id=token_id)
        return (_token(rows[0]["t"]), _user(rows[0]["u"])) if rows else None

    def tokens_of(self, user_id: str) -> list[Token]:
        rows = self._read(f"MATCH (t:{TOKEN} {{user_id: $id}}) RETURN t ORDER BY t.created", id=user_id)
        return [_token(r["t"]) for r in rows]

    def revoke_token(self, token_id: str) -> bool:
        rows = self._write(
            f"MATCH (t:{TOKEN} {{id: $id}}) WHERE NOT t.revoked SET t.revoked = true RETURN t.id", id=token_id
        )
        return bool(rows)

    def close(self) -> None:
        self._driver.close()
