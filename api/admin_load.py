"""Loading a bundle into the store a running server holds: ``POST /admin/load``, and its client.

    curl -H "Authorization: Bearer $WENZE_TOKEN" -H "Content-Type: application/zip" \
         --data-binary @bundle.zip "http://127.0.0.1:8000/admin/load?dry_run=1"
    send_bundle(Path("bundle"), settings, token, dry_run=False)     # what `wenze load` does when a
                                                                     # server holds the embedded store

The embedded engine admits one process, so while ``wenze serve`` runs, a load must go through it: the
same validation, the same all-or-nothing write and the same report as ``wenze load``, one load at a
time, while readers keep getting answers; the search index is fresh before the answer is sent. Only
the administrator role (``admin``) may load (CONTRACT §4), with an API token (no cookie: a browser
form could not send one). Every load is recorded in the audit log.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import tempfile
import urllib.error
import urllib.request
import zipfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from api.audit import AuditUnavailable, record_event
from api.auth.edge import error_response
from api.errors import BAD_USER_INPUT, FORBIDDEN, INTERNAL, UNAUTHENTICATED
from api.settings import Settings
from graph.errors import GraphError
from loaders import BundleRejected, BundleUnreadable, LoadReport, load

log = logging.getLogger("wenze.api")
LOAD_PATH = "/admin/load"
_SUFFIX = {"application/zip": ".zip", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx"}


async def admin_caller(state: Any, request: Request, what: str) -> tuple[Any, Response]:
    """(the caller, None-like) for an administrator with an API token, else (None, the refusal).

    ``what`` names the operation in Chinese and English ("导入数据 load bundles").
    """
    caller, via, _ = await state.identity.of(request)
    if caller is None:
        return None, error_response(
            "请先登录 Sign in first: send Authorization: Bearer <an admin's token>.", UNAUTHENTICATED, 401
        )
    if via == "cookie":
        return None, error_response(
            "Administrators' operations take an API token (Authorization: Bearer), not a browser session.",
            FORBIDDEN,
            403,
        )
    if "admin" not in caller.roles and not caller.unrestricted:
        chinese, english = what.split(" ", 1)
        return None, error_response(f"只有系统管理员可以{chinese} only the admin role may {english}.", FORBIDDEN, 403)
    return caller, Response(status_code=204)


class LoadRoutes:
    """``POST /admin/load[?dry_run=1][&encoding=ENC]`` with the bundle as a .zip or .xlsx body."""

    def __init__(self, state: Any, settings: Settings) -> None:
        self.state = state  # app.state: store, identity, executor, search_index (set by the lifespan)
        self.settings = settings
        self._one_at_a_time = asyncio.Lock()

    def routes(self) -> list[Route]:
        return [Route(LOAD_PATH, self.load, methods=["POST"])]

    async def load(self, request: Request) -> Response:
        caller, refusal = await admin_caller(self.state, request, "导入数据 load bundles")
        if caller is None:
            return refusal
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        suffix = _SUFFIX.get(content_type)
        if suffix is None:
            return error_response(
                "Send the bundle as application/zip (a zipped folder) or an .xlsx workbook.", BAD_USER_INPUT, 415
            )
        limit = self.settings.load_max_unzipped_bytes
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > limit:
                return error_response(
                    f"The bundle is larger than {limit:,} bytes (WENZE_LOAD_MAX_UNZIPPED_BYTES).", BAD_USER_INPUT, 413
                )
        dry_run = request.query_params.get("dry_run") in ("1", "true")
        encoding = request.query_params.get("encoding") or None
        async with self._one_at_a_time:
            with tempfile.TemporaryDirectory(prefix="wenze-upload-") as folder:
                path = Path(folder) / f"bundle{suffix}"
                path.write_bytes(body)
                try:
                    report = await asyncio.get_running_loop().run_in_executor(
                        self.state.executor, self._load, path, dry_run, encoding
                    )
                except (BundleRejected, BundleUnreadable) as e:
                    self._record(caller.login, "rejected", dry_run, problem=str(e)[:500])
                    return JSONResponse({"rejected": True, "message": str(e)}, status_code=422)
                except GraphError as e:
                    self._record(caller.login, "failed", dry_run, problem=str(e)[:500])
                    return error_response(str(e), INTERNAL, 500)
        self._record(caller.login, "ok", dry_run, rows=report.rows)
        return JSONResponse(report_json(report))

    def _load(self, path: Path, dry_run: bool, encoding: str | None) -> LoadReport:
        report = load(self.state.store, path, dry_run=dry_run, limits=self.settings.load_limits(), encoding=encoding)
        if not dry_run and self.state.search_index is not None:
            self.state.search_index.wait_until_fresh()  # readers find the new data as soon as we answer
        return report

    def _record(self, user: str | None, outcome: str, dry_run: bool, **details: Any) -> None:
        if dry_run:
            return
        try:
            record_event(self.settings, "load", user or "", via="server", outcome=outcome, **details)
        except AuditUnavailable:  # the load has happened; the server log says the audit entry is missing
            log.exception("the audit entry of a load could not be written")


def report_json(report: LoadReport) -> dict[str, Any]:
    return {
        "rows": report.rows,
        "dry_run": report.dry_run,
        "stats": asdict(report.stats),
        "encodings": report.encodings,
        "seconds": round(report.read_seconds + report.validate_seconds + report.write_seconds, 3),
    }


class ServerRefused(Exception):
    """The server refused the load; the message is its answer (problems with file, row and column)."""


class ServerUnreachable(ServerRefused):
    """No server answered at ``settings.server_url``."""


def send_bundle(
    path: Path, settings: Settings, token: str | None, dry_run: bool, encoding: str | None
) -> dict[str, Any]:
    """Send a bundle (folder, .zip or .xlsx) to the running server's ``/admin/load``; its report."""
    if path.is_dir():
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
            for file in sorted(path.rglob("*")):
                if file.is_file():
                    zf.write(file, file.relative_to(path).as_posix())
        body, content_type = buffer.getvalue(), "application/zip"
    else:
        body = path.read_bytes()
        content_type = next((t for t, s in _SUFFIX.items() if path.suffix.lower() == s), "application/zip")
    query = "?dry_run=1" if dry_run else ""
    if encoding:
        query += ("&" if query else "?") + f"encoding={encoding}"
    return post_to_server(settings, LOAD_PATH + query, body, content_type, token)


def post_to_server(settings: Settings, path: str, body: bytes, content_type: str, token: str | None) -> dict[str, Any]:
    """POST ``body`` to ``settings.server_url`` + ``path``; the JSON answer, or ServerRefused/ServerUnreachable."""
    request = urllib.request.Request(
        settings.server_url.rstrip("/") + path,
        data=body,
        method="POST",
        headers={"Content-Type": content_type, **({"Authorization": f"Bearer {token}"} if token else {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=3600) as answer:  # noqa: S310 (the configured server)
            return dict(json.loads(answer.read()))
    except urllib.error.HTTPError as e:
        try:
            payload = json.loads(e.read() or b"{}")
        except ValueError:
            payload = {}
        message = payload.get("message") or "; ".join(x.get("message", "") for x in payload.get("errors", []))
        raise ServerRefused(message or f"HTTP {e.code}") from None
    except urllib.error.URLError as e:
        raise ServerUnreachable(
            f"no server answered at {settings.server_url} ({e.reason}); set WENZE_SERVER_URL"
        ) from None
