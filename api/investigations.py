"""Saved investigations of the explorer (nodes, positions, filters, time window, notes), kept per user.

    store = open_investigations(settings)                 # <data_dir>/investigations.sqlite3
    saved = store.save("zhang", "张伟案关系", {"elements": "[…]"}, notes="待核")
    store.owned("zhang")                                  # [Investigation(id=…, name='张伟案关系', …)]
    store.get("li", saved.id)                             # None: another user never sees it

    mutation { saveInvestigation(name: "张伟案关系", state: "{…}", notes: "待核") { id updated } }
    { investigations { id name updated } }  { investigation(id: "…") { state } }
    mutation { deleteInvestigation(id: "…") }

Every operation is keyed by the signed-in caller's login (``Caller.login``): one user's investigations
are invisible to every other user, whatever id they send. Like the accounts (api/auth/sqlite_store.py),
they are not graph data: a SQLite file beside the graph survives ``wenze load``, ``clear`` and
``restore`` and never appears in an export. The file is used for both graph backends (for Neo4j it
sits in ``WENZE_DATA_DIR`` of the server process; a Neo4j-side store like api/auth/neo4j_accounts.py
is not written yet). Saving under a name the user already has replaces that investigation.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, cast

import strawberry
from strawberry.permission import BasePermission
from strawberry.scalars import JSON
from strawberry.types import Info

from api.errors import BadUserInput, NotFound
from api.permissions import CanRead
from api.settings import Settings

MAX_STATE_CHARS = 1_000_000
MAX_NAME_CHARS = 200
MAX_NOTES_CHARS = 20_000
MAX_PER_USER = 500

_SCHEMA = """
CREATE TABLE IF NOT EXISTS investigations (
  id TEXT PRIMARY KEY, owner TEXT NOT NULL, name TEXT NOT NULL, notes TEXT NOT NULL, state TEXT NOT NULL,
  created REAL NOT NULL, updated REAL NOT NULL, UNIQUE (owner, name));
CREATE INDEX IF NOT EXISTS investigations_owner ON investigations(owner, updated);
"""
_COLUMNS = "SELECT id, owner, name, notes, state, created, updated FROM investigations"


class InvestigationRefused(ValueError):
    """A save the store will not take (empty name, too large, too many); the message says which."""


@dataclass(frozen=True)
class Investigation:
    id: str
    owner: str
    name: str
    notes: str
    state: dict[str, Any]
    created: float
    updated: float


class SqliteInvestigationStore:
    """Investigations in one SQLite file (WAL mode; one transaction per method; safe from several threads)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10, isolation_level=None)

    @staticmethod
    def _row(row: tuple[Any, ...]) -> Investigation:
        return Investigation(row[0], row[1], row[2], row[3], json.loads(row[4]), row[5], row[6])

    def save(self, owner: str, name: str, state: dict[str, Any], notes: str = "") -> Investigation:
        """Save (or, under a name the owner already uses, replace) one investigation."""
        name = name.strip()
        if not name:
            raise InvestigationRefused("请给调查起一个名称。 Give the investigation a name.")
        if len(name) > MAX_NAME_CHARS or len(notes) > MAX_NOTES_CHARS:
            raise InvestigationRefused(
                f"名称或备注过长（上限 {MAX_NAME_CHARS} / {MAX_NOTES_CHARS} 字）。 The name or notes are too long."
            )
        text = json.dumps(state, ensure_ascii=False, separators=(",", ":"))
        if len(text) > MAX_STATE_CHARS:
            raise InvestigationRefused(
                f"调查内容过大（{len(text)} 字符，上限 {MAX_STATE_CHARS}）。 The saved state is too large."
            )
        now = time.time()
        with self._lock, self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            old = db.execute("SELECT id, created FROM investigations WHERE owner = ? AND name = ?", (owner, name))
            found = old.fetchone()
            if found is None:
                (count,) = db.execute("SELECT count(*) FROM investigations WHERE owner = ?", (owner,)).fetchone()
                if count >= MAX_PER_USER:
                    db.execute("ROLLBACK")
                    raise InvestigationRefused(f"每位用户最多保存 {MAX_PER_USER} 个调查。 At most {MAX_PER_USER}.")
                ident, created = uuid.uuid4().hex, now
                db.execute(
                    "INSERT INTO investigations (id, owner, name, notes, state, created, updated) "
                    "VALUES (?,?,?,?,?,?,?)",
                    (ident, owner, name, notes, text, created, now),
                )
            else:
                ident, created = found
                db.execute(
                    "UPDATE investigations SET notes = ?, state = ?, updated = ? WHERE id = ? AND owner = ?",
                    (notes, text, now, ident, owner),
                )
            db.execute("COMMIT")
        return Investigation(ident, owner, name, notes, state, created, now)

    def owned(self, owner: str) -> list[Investigation]:
        """The owner's investigations, most recently saved first."""
        with self._connect() as db:
            rows = db.execute(_COLUMNS + " WHERE owner = ? ORDER BY updated DESC, name", (owner,)).fetchall()
        return [self._row(r) for r in rows]

    def get(self, owner: str, ident: str) -> Investigation | None:
        """One investigation of the owner's (None for an unknown id, or someone else's)."""
        with self._connect() as db:
            row = db.execute(_COLUMNS + " WHERE owner = ? AND id = ?", (owner, ident)).fetchone()
        return None if row is None else self._row(row)

    def delete(self, owner: str, ident: str) -> bool:
        """Delete one of the owner's investigations; False when there was none with that id."""
        with self._lock, self._connect() as db:
            return db.execute("DELETE FROM investigations WHERE owner = ? AND id = ?", (owner, ident)).rowcount > 0


@lru_cache(maxsize=8)
def _store_at(path: Path) -> SqliteInvestigationStore:
    return SqliteInvestigationStore(path)


def open_investigations(settings: Settings) -> SqliteInvestigationStore:
    """The investigation store of the settings' data folder (one per file, shared by the requests)."""
    return _store_at((settings.data_dir / "investigations.sqlite3").resolve())


# --- GraphQL -------------------------------------------------------------------------------------------


def _read() -> list[type[BasePermission]]:
    return [CanRead]


def _when(t: float) -> datetime:
    return datetime.fromtimestamp(t, UTC)


@strawberry.type(description="保存的调查 (a saved investigation of the explorer), visible only to its owner.")
class SavedInvestigation:
    item: strawberry.Private[Investigation]
    id: strawberry.ID = strawberry.field(description="调查标识 (the investigation's id).")
    name: str = strawberry.field(description="名称 (the name it was saved under; unique per user).")
    notes: str = strawberry.field(description="备注 (the user's notes).")
    created: datetime = strawberry.field(description="首次保存时间 (when first saved, UTC).")
    updated: datetime = strawberry.field(description="最近保存时间 (when last saved, UTC).")

    @strawberry.field(
        description="保存的内容 (what the explorer saved: elements with positions, filters, time window, as-of date)."
    )
    def state(self) -> JSON:
        return cast(JSON, self.item.state)


def _object(item: Investigation) -> SavedInvestigation:
    return SavedInvestigation(
        item=item,
        id=strawberry.ID(item.id),
        name=item.name,
        notes=item.notes,
        created=_when(item.created),
        updated=_when(item.updated),
    )


def _owner(info: Info) -> str:
    caller = info.context.caller
    return str(caller.login or caller.id)


@strawberry.type
class InvestigationQuery:
    @strawberry.field(
        permission_classes=_read(),
        description="我保存的调查 (the signed-in user's saved investigations, newest first).",
    )
    async def investigations(self, info: Info) -> list[SavedInvestigation]:
        found = await info.context.call(open_investigations(info.context.settings).owned, _owner(info))
        return [_object(i) for i in found]

    @strawberry.field(
        permission_classes=_read(), description="一个保存的调查 (one of the user's investigations; null otherwise)."
    )
    async def investigation(
        self, info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="调查标识 (its id).")]
    ) -> SavedInvestigation | None:
        found = await info.context.call(open_investigations(info.context.settings).get, _owner(info), str(id))
        return None if found is None else _object(found)


@strawberry.type(description="修改 (the changes a signed-in user may make: their own saved investigations).")
class Mutation:
    @strawberry.mutation(
        permission_classes=_read(),
        description="保存调查 (save the explorer's state under a name; the same name again replaces it).",
    )
    async def save_investigation(
        self,
        info: Info,
        name: Annotated[str, strawberry.argument(description="名称 (the investigation's name).")],
        state: Annotated[
            str, strawberry.argument(description="内容 (the explorer's state: the text of a JSON object).")
        ],
        notes: Annotated[str, strawberry.argument(description="备注 (notes).")] = "",
    ) -> SavedInvestigation:
        try:
            parsed = json.loads(state)
        except ValueError:
            parsed = None
        if not isinstance(parsed, dict):
            raise BadUserInput("'state' must be the text of a JSON object (调查内容须为 JSON 对象的文本)")
        store = open_investigations(info.context.settings)
        try:
            saved = await info.context.call(store.save, _owner(info), name, parsed, notes)
        except InvestigationRefused as e:
            raise BadUserInput(str(e)) from None
        return _object(saved)

    @strawberry.mutation(permission_classes=_read(), description="删除调查 (delete one of the user's investigations).")
    async def delete_investigation(
        self, info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="调查标识 (its id).")]
    ) -> bool:
        store = open_investigations(info.context.settings)
        if not await info.context.call(store.delete, _owner(info), str(id)):
            raise NotFound(f"没有这个调查 no investigation {str(id)!r} of yours")
        return True
