"""The offline GraphiQL page: HTML that loads only this server's own copies of GraphiQL and React.

Users sit on air-gapped intranets, so nothing comes from a CDN. ``scripts/fetch-web-assets`` copies
the pinned bundles (``web/package-lock.json``) into ``api/static/vendor/``; these routes serve them.

    app = Starlette(routes=[*graphiql_routes(), Route("/graphql", graphql_endpoint)])
    HTMLResponse(graphiql_html("/graphql"))   # for a browser's GET /graphql (Accept: text/html)

The page carries a Content-Security-Policy that lets it load and connect to its own origin only,
so a stray absolute URL in a future bundle fails loudly in the browser instead of leaking a request.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from pathlib import Path

from starlette.responses import PlainTextResponse
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

VENDOR_DIR = Path(__file__).parent / "static" / "vendor"
VENDOR_PATH = "/static/vendor"

# Loaded in this order: GraphiQL's UMD bundle reads the React and ReactDOM globals.
SCRIPTS = ("react.production.min.js", "react-dom.production.min.js", "graphiql.min.js")
STYLESHEETS = ("graphiql.min.css",)

DEFAULT_QUERY = """\
# 问责 GraphQL：按 Ctrl+Enter 运行查询
{
  search(text: "张") {
    id
    kind
    label
  }
}
"""

_MISSING_ASSETS = (
    "GraphiQL assets are not installed on this server (api/static/vendor/ lacks them). "
    "On a machine with npm registry access run scripts/fetch-web-assets, then copy "
    "api/static/vendor/ to the server. The GraphQL endpoint itself works without them."
)


class _VendorFiles:
    """StaticFiles over ``api/static/vendor``, answering 503 with a fix if the assets were never fetched.

    The check runs per request, so fetching the assets does not need a restart.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.files = StaticFiles(directory=directory, check_dir=False)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not all((self.directory / name).is_file() for name in (*SCRIPTS, *STYLESHEETS)):
            response = PlainTextResponse(_MISSING_ASSETS, status_code=503)
            await response(scope, receive, send)
            return
        await self.files(scope, receive, send)


def graphiql_routes(graphql_path: str = "/graphql") -> list[BaseRoute]:
    """Routes the page needs besides the endpoint itself: the vendor assets under ``/static/vendor``.

    The assets do not depend on ``graphql_path``; it is accepted so the app factory passes its
    settings the same way to both functions. The HTML page itself is served by the GraphQL
    endpoint for a browser's GET (see ``graphiql_html``).
    """
    return [Mount(VENDOR_PATH, app=_VendorFiles(VENDOR_DIR), name="graphiql-vendor")]


def _inline_script(graphql_path: str, default_query: str) -> str:
    # json.dumps makes a valid JS string literal; escaping "<" keeps "</script>" out of the page.
    def js(value: str) -> str:
        return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")

    return f"""
(function () {{
  var root = document.getElementById("graphiql");
  if (typeof GraphiQL === "undefined" || typeof React === "undefined" || typeof ReactDOM === "undefined") {{
    root.className = "wenze-missing";
    root.textContent = "GraphiQL 资源未安装：请在可访问 npm 仓库的机器上运行 scripts/fetch-web-assets，"
      + "再把 api/static/vendor/ 复制到本服务器。GraphQL 接口本身不受影响。";
    return;
  }}
  // Same-origin endpoint: a path, resolved against this page's own address.
  // X-Wenze-Request: the header a cookie-authenticated request must carry (CSRF, api/auth/edge.py).
  var fetcher = GraphiQL.createFetcher({{
    url: new URL({js(graphql_path)}, window.location.href).href, headers: {{ "X-Wenze-Request": "1" }}
  }});
  ReactDOM.createRoot(root).render(
    React.createElement(GraphiQL, {{
      fetcher: fetcher,
      defaultQuery: {js(default_query)},
      defaultEditorToolsVisibility: true,
      storage: GraphiQL.createLocalStorage({{ namespace: "wenze" }}),
    }})
  );
}})();
"""


def graphiql_html(graphql_path: str = "/graphql", *, default_query: str = DEFAULT_QUERY) -> str:
    """The GraphiQL page (zh-CN) for ``graphql_path``, loading only assets from this server.

    >>> page = graphiql_html("/graphql")
    >>> "<title>问责 GraphQL</title>" in page and "https://" not in page
    True
    """
    if not graphql_path.startswith("/") or graphql_path.startswith("//"):
        raise ValueError(f"graphql_path must be a same-origin path such as '/graphql', not {graphql_path!r}")
    script = _inline_script(graphql_path, default_query)
    # The CSP allows exactly this inline script (by hash) and the origin's own files; GraphiQL's
    # editors set inline styles and its stylesheet embeds its fonts as data: URLs.
    script_hash = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    csp = (
        "default-src 'self'; "
        f"script-src 'self' 'sha256-{script_hash}'; "
        "style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self' data:; "
        "connect-src 'self'; worker-src 'self' blob:; "
        "base-uri 'none'; form-action 'self'"
    )
    stylesheets = "\n".join(
        f'  <link rel="stylesheet" href="{html.escape(f"{VENDOR_PATH}/{name}")}">' for name in STYLESHEETS
    )
    scripts = "\n".join(f'  <script src="{html.escape(f"{VENDOR_PATH}/{name}")}"></script>' for name in SCRIPTS)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta http-equiv="Content-Security-Policy" content="{html.escape(csp)}">
  <meta name="referrer" content="no-referrer">
  <title>问责 GraphQL</title>
  <link rel="icon" href="data:,">
{stylesheets}
  <style>
    html, body {{ height: 100%; margin: 0; }}
    #graphiql {{ height: 100vh; }}
    .wenze-missing {{ padding: 2em; font: 16px/1.6 sans-serif; color: #a40000; }}
  </style>
</head>
<body>
  <div id="graphiql">正在加载 GraphiQL…</div>
  <noscript>此页面需要启用 JavaScript。也可以直接向 {html.escape(graphql_path)} 发送 POST 请求。</noscript>
{scripts}
  <script>{script}</script>
</body>
</html>
"""
