"""Backing up the store a running server holds: ``POST /admin/backup``, and its client.

    curl -H "Authorization: Bearer $WENZE_TOKEN" -H "Content-Type: application/json" \
         -d '{"path": "/backups/wenze-2024-03-01"}' http://127.0.0.1:8000/admin/backup
    request_backup(Path("/backups/wenze-2024-03-01"), settings, token)   # what `wenze backup` does when
                                                                          # a server holds the embedded store

The embedded engine admits one process, and copying its files from under it is not safe, so while
``wenze serve`` runs the server writes the backup itself (graph/ladybug/backup.py) into a folder on
its own machine (the store is on that machine's disk, so `wenze backup` runs there too). The copy is
consistent: it holds the store's write lock, so a load that is being written finishes first and one
that arrives waits — the backup is the state before a load or after it, never between. Readers keep
getting answers. Only the administrator role may back up, with an API token; every backup (made or
failed) is recorded in the audit log with its folder.
"""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from api.admin_load import admin_caller, post_to_server
from api.audit import AuditUnavailable, record_event
from api.auth.edge import error_response
from api.errors import BAD_USER_INPUT, INTERNAL
from api.settings import Settings
from graph.errors import GraphError

log = logging.getLogger("wenze.api")
BACKUP_PATH = "/admin/backup"


class BackupRoutes:
    """``POST /admin/backup`` with ``{"path": "<a new or empty folder, absolute>"}``; the manifest."""

    def __init__(self, state: Any, settings: Settings) -> None:
        self.state = state  # app.state: store, identity, executor (set by the lifespan)
        self.settings = settings

    def routes(self) -> list[Route]:
        return [Route(BACKUP_PATH, self.backup, methods=["POST"])]

    async def backup(self, request: Request) -> Response:
        caller, refusal = await admin_caller(self.state, request, "备份 make backups")
        if caller is None:
            return refusal
        from graph.ladybug import LadybugStore  # only the embedded store is backed up by wenze

        if not isinstance(self.state.store, LadybugStore):
            return error_response(
                "此后端不由 wenze 备份 this server's store is not the embedded one: back up Neo4j with "
                "neo4j-admin (README, Backup and restore).",
                BAD_USER_INPUT,
                409,
            )
        try:
            body = json.loads(await request.body() or b"{}")
            folder = Path(body["path"])
        except (ValueError, KeyError, TypeError):
            return error_response('Send {"path": "<folder for the backup>"} as JSON.', BAD_USER_INPUT, 400)
        problem = _folder_problem(folder, self.state.store.path.parent)
        if problem:
            return error_response(problem, BAD_USER_INPUT, 400)
        try:
            manifest = await asyncio.get_running_loop().run_in_executor(
                self.state.executor, _backup, self.state.store, folder
            )
        except GraphError as e:  # BackupFailed: the folder is not empty, no space, …
            self._record(caller.login, "failed", folder, problem=str(e)[:500])
            return error_response(f"备份未完成 no backup was made: {e}", INTERNAL, 500)
        self._record(caller.login, "ok", folder, bytes=manifest["files"]["graph.lbug"]["bytes"])
        return JSONResponse(manifest)

    def _record(self, user: str | None, outcome: str, folder: Path, **details: Any) -> None:
        try:
            record_event(
                self.settings, "backup", user or "", via="server", outcome=outcome, path=str(folder), **details
            )
        except AuditUnavailable:
            log.exception("the audit entry of a backup could not be written")


def _backup(store: Any, folder: Path) -> dict[str, Any]:
    from graph.ladybug.backup import backup

    return backup(store, folder)


def _folder_problem(folder: Path, data_dir: Path) -> str | None:
    if not folder.is_absolute():
        return f"The backup folder must be an absolute path on the server's machine, not {folder}."
    inside = folder.resolve()
    if inside == data_dir.resolve() or data_dir.resolve() in inside.parents:
        return f"The backup folder {folder} is inside the store's folder {data_dir}: give one outside it."
    return None


def request_backup(folder: Path, settings: Settings, token: str | None) -> dict[str, Any]:
    """Ask the running server to back its store up into ``folder`` (made absolute here); the manifest."""
    body = json.dumps({"path": str(folder.expanduser().absolute())}).encode()
    return post_to_server(settings, BACKUP_PATH, body, "application/json", token)
