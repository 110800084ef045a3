"""The workbench (web/, built into api/static/app/): its index page at every app route, its assets.

    routes = workbench_routes(guard=gate.page)     # mounted by api.app.create_app

- ``guard`` wraps the app's pages (not its assets): api.auth.edge.Gate.page sends a browser without
  a session to ``/login?next=<path>``; the assets under ``/static/app/`` need no identity.

- ``/`` and every route of the single-page application (``/chain/ISS-1``, ``/official/P-1``, …) answer
  the app's ``index.html``; the app's router shows the view. Bookmarks and reloads work.
- The built assets are served under ``/static/app/`` (the fixed prefix ``web/vite.config.ts`` builds for).
  The build writes each text file precompressed beside it (``x.js.br``, ``x.js.gz``); the answer is the
  variant the request's ``Accept-Encoding`` allows (brotli, then gzip; ``q=0`` refuses one), with
  ``Content-Encoding`` and ``Vary: Accept-Encoding`` (on every answer for a file that has variants, the
  uncompressed one too). Nothing is compressed at request time.
- Cache: the hashed files under ``assets/`` are kept a year (``immutable``); ``index.html`` is
  revalidated on every load (``no-cache``; at the app's routes the security headers make it
  ``no-store``), so a new build's asset names reach the browser at once.
- When the app was not built (``scripts/setup`` builds it with npm), every app route answers 503 with a
  Chinese page that says how to build it. GraphiQL stays at ``/graphql``.
"""

from __future__ import annotations

import mimetypes
import os
import stat
from collections.abc import Awaitable, Callable
from pathlib import Path

import anyio.to_thread
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import NotModifiedResponse, StaticFiles

Handler = Callable[[Request], Awaitable[Response]]
APP_DIR = Path(__file__).with_name("static") / "app"
ASSET_PATH = "/static/app"
# The first segment of every route of the app (web/src/router.ts); "" is "/".
APP_ROUTES = (
    "",
    "search",
    "chain",
    "official",
    "organisation",
    "region",
    "case",
    "stats",
    "campaign",
    "supervision",
    "explorer",
)

NOT_BUILT = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>问责 · 工作台尚未构建</title></head>
<body style="font: 15px/1.6 sans-serif; max-width: 44em; margin: 3em auto; padding: 0 1em">
<h1>工作台尚未构建 (the workbench is not built)</h1>
<p>请在项目目录运行 <code>scripts/setup</code>（或 <code>scripts/fetch-web-assets</code>），
它会用 npm 构建 <code>web/</code> 并放入 <code>api/static/app/</code>。</p>
<p>GraphQL 查询界面仍可使用：<a href="/graphql">/graphql</a></p>
</body></html>
"""


# Content-Encoding -> the suffix of the file the build wrote (web/precompress.ts), in the server's preference.
ENCODINGS = {"br": ".br", "gzip": ".gz"}
COMPRESSIBLE = frozenset({".js", ".mjs", ".css", ".html", ".svg", ".json", ".txt"})
IMMUTABLE = "public, max-age=31536000, immutable"


def accepted_encodings(accept_encoding: str | None) -> list[str]:
    """The encodings of ``ENCODINGS`` that an ``Accept-Encoding`` header allows, the preferred first.

    >>> accepted_encodings("gzip, deflate, br")
    ['br', 'gzip']
    >>> accepted_encodings("br;q=0, gzip;q=0.8")
    ['gzip']
    >>> accepted_encodings(None)
    []
    """
    weights: dict[str, float] = {}
    for item in (accept_encoding or "").split(","):
        coding, _, params = item.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if coding.strip():
            weights[coding.strip().lower()] = q
    wildcard = weights.get("*", 0.0)
    allowed = [(weights.get(c, wildcard), -rank, c) for rank, c in enumerate(ENCODINGS)]
    return [c for q, _, c in sorted(allowed, reverse=True) if q > 0]


def precompressed(file: Path, accept_encoding: str | None) -> tuple[Path, str | None, os.stat_result | None]:
    """The precompressed variant of ``file`` the request takes (path, encoding, stat), or ``(file, None, None)``."""
    if file.suffix in COMPRESSIBLE:
        for coding in accepted_encodings(accept_encoding):
            variant = file.with_name(file.name + ENCODINGS[coding])
            try:
                found = variant.stat()
            except OSError:
                continue
            if stat.S_ISREG(found.st_mode):
                return variant, coding, found
    return file, None, None


def _has_variants(file: Path) -> bool:
    return file.suffix in COMPRESSIBLE and any(file.with_name(file.name + s).is_file() for s in ENCODINGS.values())


class _AppFiles(StaticFiles):
    """The built assets, precompressed when the request allows; a missing build answers 503 with how to build it."""

    def __init__(self, directory: Path) -> None:
        super().__init__(directory=directory, check_dir=False)

    def answer(self, file: Path, request_headers: Headers, cache: str) -> Response:
        """``file`` (or the variant the request accepts) with ``Cache-Control: cache``; 304 when validators match."""
        variant, coding, found = precompressed(file, request_headers.get("accept-encoding"))
        headers = {"Cache-Control": cache}
        if coding is not None or _has_variants(file):
            headers["Vary"] = "Accept-Encoding"
        if coding is not None:
            headers["Content-Encoding"] = coding
        media_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if media_type == "text/html":
            media_type = "text/html; charset=utf-8"
        response = FileResponse(variant, stat_result=found or variant.stat(), media_type=media_type, headers=headers)
        if self.is_not_modified(response.headers, request_headers):
            return NotModifiedResponse(response.headers)
        return response

    async def get_response(self, path: str, scope: dict) -> Response:  # type: ignore[type-arg,override]
        if not (Path(str(self.directory)) / "index.html").is_file():
            return HTMLResponse(NOT_BUILT, status_code=503)
        if scope["method"] in ("GET", "HEAD"):
            # lookup_path keeps the path inside the directory; a variant sits beside the file it found.
            full_path, found = await anyio.to_thread.run_sync(self.lookup_path, path)
            if found is not None and stat.S_ISREG(found.st_mode):
                # File names under assets/ carry a content hash: a browser may keep them.
                cache = IMMUTABLE if path.startswith("assets/") else "no-cache"
                request_headers = Headers(scope=scope)
                return await anyio.to_thread.run_sync(self.answer, Path(full_path), request_headers, cache)
        return await super().get_response(path, scope)


def workbench_routes(app_dir: Path = APP_DIR, guard: Callable[[Handler], Handler] | None = None) -> list[BaseRoute]:
    """The app's index page at every app route (through ``guard`` when given), its assets under ``/static/app``."""
    index = app_dir / "index.html"
    files = _AppFiles(app_dir)

    async def index_page(request: Request) -> Response:
        if not index.is_file():
            return HTMLResponse(NOT_BUILT, status_code=503)
        # Never cached: a new build's asset names must reach the browser at once.
        return await anyio.to_thread.run_sync(files.answer, index, request.headers, "no-cache")

    page = guard(index_page) if guard is not None else index_page

    routes: list[BaseRoute] = [Route("/", page, methods=["GET", "HEAD"])]
    for first in APP_ROUTES:
        if first:
            routes.append(Route(f"/{first}", page, methods=["GET", "HEAD"]))
            routes.append(Route(f"/{first}/{{rest:path}}", page, methods=["GET", "HEAD"]))
    routes.append(Mount(ASSET_PATH, app=files))
    return routes
