"""The workbench (web/, built into api/static/app/): its index page at every app route, its assets.

    routes = workbench_routes(guard=gate.page)     # mounted by api.app.create_app

- ``guard`` wraps the app's pages (not its assets): api.auth.edge.Gate.page sends a browser without
  a session to ``/login?next=<path>``; the assets under ``/static/app/`` need no identity.

- ``/`` and every route of the single-page application (``/chain/ISS-1``, ``/official/P-1``, …) answer
  the app's ``index.html``; the app's router shows the view. Bookmarks and reloads work.
- The built assets are served under ``/static/app/`` (the fixed prefix ``web/vite.config.ts`` builds for).
- When the app was not built (``scripts/setup`` builds it with npm), every app route answers 503 with a
  Chinese page that says how to build it. GraphiQL stays at ``/graphql``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

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


class _AppFiles(StaticFiles):
    """The built assets; a missing build answers 503 (not a bare 404) with how to build it."""

    def __init__(self, directory: Path) -> None:
        super().__init__(directory=directory, check_dir=False)

    async def get_response(self, path: str, scope: dict) -> Response:  # type: ignore[type-arg,override]
        if not (Path(str(self.directory)) / "index.html").is_file():
            return HTMLResponse(NOT_BUILT, status_code=503)
        response = await super().get_response(path, scope)
        if path.startswith("assets/") and response.status_code == 200:
            # File names carry a content hash: a browser may keep them.
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response


def workbench_routes(app_dir: Path = APP_DIR, guard: Callable[[Handler], Handler] | None = None) -> list[BaseRoute]:
    """The app's index page at every app route (through ``guard`` when given), its assets under ``/static/app``."""
    index = app_dir / "index.html"

    async def index_page(request: Request) -> Response:
        if not index.is_file():
            return HTMLResponse(NOT_BUILT, status_code=503)
        # Never cached: a new build's asset names must reach the browser at once.
        return FileResponse(index, media_type="text/html; charset=utf-8", headers={"Cache-Control": "no-cache"})

    page = guard(index_page) if guard is not None else index_page

    routes: list[BaseRoute] = [Route("/", page, methods=["GET", "HEAD"])]
    for first in APP_ROUTES:
        if first:
            routes.append(Route(f"/{first}", page, methods=["GET", "HEAD"]))
            routes.append(Route(f"/{first}/{{rest:path}}", page, methods=["GET", "HEAD"]))
    routes.append(Mount(ASSET_PATH, app=_AppFiles(app_dir)))
    return routes
