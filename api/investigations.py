"""Saved investigations of the explorer (nodes, positions, filters, time window, notes), kept per user.

    store = open_investigations(settings)     # where accounts live: <data_dir>/investigations.sqlite3, or Neo4j
    saved = store.save("zhang", "张伟案关系", {"elements": "[…]"}, notes="待核")
    store.owned("zhang")                                  # [Investigation(id=…, name='张伟案关系', …)]
    store.get("li", saved.id)                             # None: another user never sees it

    mutation { saveInvestigation(name: "张伟案关系", state: "{…}", notes: "待核") { id updated } }
    { investigations { id name updated } }  { investigation(id: "…") { state } }
    mutation { deleteInvestigation(id: "…") }
    mutation { recordExport(format: GEXF, nodeCount: 12, edgeCount: 10) { seq time } }   # audit an export

Every operation is keyed by the signed-in caller's login (``Caller.login``): one user's investigations
are invisible to every other user, whatever id they send. They live where the accounts live
(``settings.account_backend``): a SQLite file beside the graph for the embedded engine (like
api/auth/sqlite_store.py), ``_WenzeInvestigation`` nodes in Neo4j when the accounts are there
(api/neo4j_investigations.py, like api/auth/neo4j_accounts.py), so every app server of a Neo4j
deployment sees the same ones. Either way they are not graph data: they survive ``wenze load``,
``clear`` and ``restore`` and never appear in an export. Saving under a name the user already has
replaces that investigation. Both stores pass tests/contract/test_investigation_store.py.

Exports are drawn in the browser (PNG, SVG, GraphML, GEXF, CSV of what is on screen), so the server
never sees them: the explorer calls ``recordExport`` before offering the file, and the mutation writes an
``explorer_export`` event (format, node and relationship counts, the caller) to the audit log, beside the
request entry every call gets; a refused audit write refuses the export (the client offers no file).
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Protocol, cast

import strawberry
from strawberry.permission import BasePermission
from strawberry.scalars import JSON
from strawberry.types import Info

from api.audit.log import AuditUnavailable, record_event
from api.errors import ApiError, BadUserInput, NotFound
from api.permissions import CanRead
from api.settings import Settings

MAX_STATE_CHARS = 1_000_000
MAX_NAME_CHARS = 200
MAX_NOTES_CHARS = 20_000
MAX_PER_USER = 500
MAX_EXPORT_ELEMENTS = 1_000_000

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


class InvestigationStore(Protocol):
    """Where investigations are kept (``SqliteInvestigationStore``, ``Neo4jInvestigationStore``)."""

    def save(self, owner: str, name: str, state: dict[str, Any], notes: str = "") -> Investigation: ...
    def owned(self, owner: str) -> list[Investigation]: ...
    def get(self, owner: str, ident: str) -> Investigation | None: ...
    def delete(self, owner: str, ident: str) -> bool: ...


def checked(name: str, notes: str, state: dict[str, Any]) -> tuple[str, str]:
    """The name as kept (stripped) and the state as JSON text; ``InvestigationRefused`` says what is wrong."""
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
    return name, text


def too_many() -> InvestigationRefused:
    return InvestigationRefused(f"每位用户最多保存 {MAX_PER_USER} 个调查。 At most {MAX_PER_USER}.")


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
        name, text = checked(name, notes, state)
        now = time.time()
        with self._lock, self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            old = db.execute("SELECT id, created FROM investigations WHERE owner = ? AND name = ?", (owner, name))
            found = old.fetchone()
            if found is None:
                (count,) = db.execute("SELECT count(*) FROM investigations WHERE owner = ?", (owner,)).fetchone()
                if count >= MAX_PER_USER:
                    db.execute("ROLLBACK")
                    raise too_many()
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


@lru_cache(maxsize=8)
def _neo4j_store(uri: str, user: str, password: str, database: str) -> InvestigationStore:
    from api.neo4j_investigations import Neo4jInvestigationStore

    return Neo4jInvestigationStore(uri, user, password, database)


def open_investigations(settings: Settings) -> InvestigationStore:
    """The investigation store where the settings keep accounts (one per file or database, shared by the
    requests): Neo4j nodes when ``account_backend`` is neo4j, else the data folder's SQLite file."""
    if settings.account_backend == "neo4j":
        return _neo4j_store(settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password, settings.neo4j_database)
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


@strawberry.enum(description="导出格式 (the explorer's export formats).")
class ExportFormat(Enum):
    PNG = strawberry.enum_value("png", description="PNG 图片 (high resolution, watermarked)")
    SVG = strawberry.enum_value("svg", description="SVG 矢量图")
    GRAPHML = strawberry.enum_value("graphml", description="GraphML (Gephi, networkx)")
    GEXF = strawberry.enum_value("gexf", description="GEXF (Gephi)")
    CSV = strawberry.enum_value("csv", description="CSV 表格 (nodes, then relationships)")


@strawberry.type(description="导出已记录 (the audit event an export wrote).")
class ExportRecorded:
    seq: int = strawberry.field(description="审计序号 (the event's sequence number in the audit log).")
    time: str = strawberry.field(description="记录时间 (when it was written, UTC, ISO 8601).")


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

    @strawberry.mutation(
        permission_classes=_read(),
        description="记录导出 (audit an export of the explorer: its format and how many nodes and relationships it "
        "holds; call before offering the file). Writes an explorer_export event to the audit log.",
    )
    async def record_export(
        self,
        info: Info,
        format: Annotated[ExportFormat, strawberry.argument(description="格式 (PNG, SVG, GRAPHML, GEXF, CSV).")],
        node_count: Annotated[int, strawberry.argument(description="节点数 (nodes exported).")],
        edge_count: Annotated[int, strawberry.argument(description="关系数 (relationships exported).")] = 0,
        start: Annotated[
            str | None, strawberry.argument(description="起点节点 (the explorer's start node, if any).")
        ] = None,
    ) -> ExportRecorded:
        for name, n in (("nodeCount", node_count), ("edgeCount", edge_count)):
            if not 0 <= n <= MAX_EXPORT_ELEMENTS:
                raise BadUserInput(f"'{name}' must be between 0 and {MAX_EXPORT_ELEMENTS} (got {n})")
        if start is not None and len(start) > MAX_NAME_CHARS:
            raise BadUserInput(f"'start' is longer than {MAX_NAME_CHARS} characters")
        details = {"format": format.value, "nodes": node_count, "edges": edge_count, "start": start}
        try:
            entry = await info.context.call(
                record_event, info.context.settings, "explorer_export", _owner(info), **details
            )
        except AuditUnavailable:
            raise ApiError(
                "审计日志暂不可用，导出已拒绝。 The audit log is unavailable: the export is refused."
            ) from None
        return ExportRecorded(seq=int(entry["seq"]), time=str(entry["time"]))
