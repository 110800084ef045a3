"""The sign-in page ``/login`` (Chinese, plain HTML and CSS, no script, nothing from outside) and JSON sign-in.

    GET  /login          the form: 登录名, 密码, 动态口令 (TOTP; required for administrators)
    POST /login          form sign-in → session cookie, 303 to ?next= (a local path) or /
    GET  /logout         a one-button form;  POST /logout ends the session → /login
    POST /auth/login     {"login", "password", "totp"} → {"user": {…}} and the cookie (for the web app)
    POST /auth/logout    ends the session (cookie callers send X-Wenze-Request: 1)
    GET  /auth/me        who is signed in: login, name, roles (with Chinese names), regions, method
    GET  /audit/entries  ?user=&node=&from=&to=&limit= — the audit log, for the audit_admin role only

The cookie is HttpOnly, SameSite=Strict, Path=/, and Secure when the request came over TLS or
WENZE_TLS_PROXY says TLS ends at a proxy. Its lifetime is the session's absolute timeout; the
server ends it sooner after 30 idle minutes, at sign-out, or when the user is disabled.
"""

from __future__ import annotations

import html
from datetime import date
from typing import Any
from urllib.parse import parse_qs, urlsplit

import orjson
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from api.audit.log import AuditUnavailable
from api.audit.verify import read_entries
from api.auth.accounts import Accounts, SignInRefused
from api.auth.edge import AUDIT_UNAVAILABLE, CSRF_HEADER, SESSION_COOKIE, Identity, error_response
from api.auth.roles import ROLES
from api.errors import BAD_USER_INPUT, FORBIDDEN, UNAUTHENTICATED
from api.settings import Settings

PAGE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
MAX_AUDIT_ENTRIES = 10_000
MAX_FORM = 10_000

_STYLE = """
body { font: 15px/1.6 "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; background: #f4f5f7; color: #222;
       margin: 0; display: flex; min-height: 100vh; align-items: center; justify-content: center; }
main { background: #fff; padding: 2em 2.5em; border-radius: 6px; box-shadow: 0 1px 4px rgba(0,0,0,.12);
       width: 22em; }
h1 { font-size: 1.4em; margin: 0 0 .2em; } p.sub { color: #666; margin: 0 0 1.2em; }
label { display: block; margin: .8em 0 .2em; } input { width: 100%; box-sizing: border-box; padding: .5em;
        font-size: 1em; border: 1px solid #bbb; border-radius: 4px; }
button { margin-top: 1.4em; width: 100%; padding: .6em; font-size: 1em; background: #0b5cad; color: #fff;
         border: 0; border-radius: 4px; cursor: pointer; }
.error { background: #fdecea; color: #a40000; padding: .6em .8em; border-radius: 4px; margin-bottom: .5em; }
.hint { color: #777; font-size: .85em; }
"""


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    text = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title><link rel="icon" href="data:,"><style>{_STYLE}</style></head>
<body><main>{body}</main></body></html>"""
    return HTMLResponse(
        text, status_code=status, headers={"Content-Security-Policy": PAGE_CSP, "Cache-Control": "no-store"}
    )


def login_page(next_path: str = "/", error: str = "", login: str = "", status: int = 200) -> HTMLResponse:
    problem = f'<div class="error" role="alert">{html.escape(error)}</div>' if error else ""
    return _page(
        "登录 · 问责",
        f"""
<h1>问责 · 登录</h1><p class="sub">法治督察问责链条 — 请使用本人账户登录</p>{problem}
<form method="post" action="/login">
<input type="hidden" name="next" value="{html.escape(next_path)}">
<label for="login">登录名</label><input id="login" name="login" autocomplete="username" required autofocus
 value="{html.escape(login)}">
<label for="password">密码</label><input id="password" name="password" type="password"
 autocomplete="current-password" required>
<label for="totp">动态口令</label><input id="totp" name="totp" inputmode="numeric" pattern="[0-9 ]*"
 autocomplete="one-time-code" maxlength="7">
<p class="hint">已绑定动态口令的账户必填（管理员账户必须绑定）：6 位数字。</p>
<button type="submit">登录</button></form>""",
        status,
    )


def _safe_next(value: Any) -> str:
    text = value if isinstance(value, str) else "/"
    return text if text.startswith("/") and not text.startswith("//") and "\\" not in text else "/"


def _same_origin(request: Request) -> bool:
    """A form POST from another site (login CSRF) carries a foreign Origin or Sec-Fetch-Site; refuse it."""
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return request.headers.get("sec-fetch-site") in (None, "same-origin", "none")
    return urlsplit(origin).netloc == request.headers.get("host", request.url.netloc)


async def _form(request: Request) -> dict[str, str] | None:
    """The fields of a urlencoded form (what the sign-in page sends; no multipart parser needed)."""
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/x-www-form-urlencoded":
        return None
    body = await request.body()
    if len(body) > MAX_FORM:
        return None
    return {k: v[0] for k, v in parse_qs(body.decode("utf-8", errors="replace"), max_num_fields=10).items()}


class SignInRoutes:
    """The routes above; reads ``state.accounts`` and ``state.identity``, which the app's lifespan opens."""

    def __init__(self, state: Any, settings: Settings) -> None:
        self.state = state
        self.settings = settings

    @property
    def accounts(self) -> Accounts:
        accounts: Accounts = self.state.accounts
        return accounts

    @property
    def identity(self) -> Identity:
        identity: Identity = self.state.identity
        return identity

    def routes(self) -> list[BaseRoute]:
        return [
            Route("/login", self.login_form, methods=["GET"]),
            Route("/login", self.login_submit, methods=["POST"]),
            Route("/logout", self.logout_form, methods=["GET"]),
            Route("/logout", self.logout_submit, methods=["POST"]),
            Route("/auth/login", self.json_login, methods=["POST"]),
            Route("/auth/logout", self.json_logout, methods=["POST"]),
            Route("/auth/me", self.me, methods=["GET"]),
            Route("/audit/entries", self.audit_entries, methods=["GET"]),
        ]

    def _secure(self, request: Request) -> bool:
        return request.url.scheme == "https" or self.settings.tls_proxy

    def _set_cookie(self, response: Response, request: Request, value: str) -> None:
        response.set_cookie(
            SESSION_COOKIE,
            value,
            max_age=self.settings.session_absolute_hours * 3600,
            path="/",
            httponly=True,
            samesite="strict",
            secure=self._secure(request),
        )

    async def _sign_in(self, request: Request, login: str, password: str, totp: str | None) -> tuple[str, Any]:
        client = request.client.host if request.client else ""
        return await run_in_threadpool(self.accounts.sign_in, login, password, totp or None, client)

    async def login_form(self, request: Request) -> Response:
        return login_page(_safe_next(request.query_params.get("next")))

    async def login_submit(self, request: Request) -> Response:
        if not _same_origin(request):
            return login_page(error="请从本站登录页提交 (cross-site sign-in refused)", status=403)
        form = await _form(request)
        if form is None:
            return login_page(
                error="请通过登录表单提交 (send the sign-in form, application/x-www-form-urlencoded)", status=415
            )
        login, password = str(form.get("login", "")).strip(), str(form.get("password", ""))
        next_path = _safe_next(form.get("next"))
        try:
            value, _ = await self._sign_in(request, login, password, str(form.get("totp", "")).strip())
        except SignInRefused as e:
            return login_page(next_path, str(e), login, status=401)
        except AuditUnavailable as e:
            return login_page(next_path, f"审计日志不可用，暂不能登录 {e}", login, status=503)
        response = RedirectResponse(next_path, status_code=303)
        self._set_cookie(response, request, value)
        return response

    async def logout_form(self, request: Request) -> Response:
        return _page(
            "退出 · 问责",
            '<h1>退出登录</h1><form method="post" action="/logout"><button type="submit">退出</button></form>',
        )

    async def logout_submit(self, request: Request) -> Response:
        if not _same_origin(request):
            return _page("退出 · 问责", "<h1>退出登录</h1><p>跨站请求已拒绝 (cross-site request refused)</p>", 403)
        await self._end_session(request)
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict", secure=self._secure(request))
        return response

    async def _end_session(self, request: Request) -> None:
        value = request.cookies.get(SESSION_COOKIE)
        if value:
            caller = await run_in_threadpool(self.accounts.caller_for_session, value)
            await run_in_threadpool(self.accounts.sign_out, value, caller.login if caller else "-")

    async def json_login(self, request: Request) -> Response:
        if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
            return error_response('Send application/json: {"login", "password", "totp"}.', BAD_USER_INPUT, 415)
        try:
            data = orjson.loads(await request.body())
        except orjson.JSONDecodeError:
            data = None
        if (
            not isinstance(data, dict)
            or not isinstance(data.get("login"), str)
            or not isinstance(data.get("password"), str)
        ):
            return error_response('Send {"login": "…", "password": "…", "totp": "123456"}.', BAD_USER_INPUT, 400)
        totp = data.get("totp")
        try:
            value, user = await self._sign_in(
                request, data["login"].strip(), data["password"], totp if isinstance(totp, str) else None
            )
        except SignInRefused as e:
            return error_response(str(e), UNAUTHENTICATED, 401, extensions={"reason": e.reason})
        except AuditUnavailable as e:
            return error_response(str(e), AUDIT_UNAVAILABLE, 503)
        response = Response(
            orjson.dumps({"user": _user_json(user.login, user.name, user.roles, user.regions, "password")}),
            media_type="application/json",
        )
        self._set_cookie(response, request, value)
        return response

    async def json_logout(self, request: Request) -> Response:
        if request.cookies.get(SESSION_COOKIE) and request.headers.get(CSRF_HEADER) != "1":
            return error_response("Send the header X-Wenze-Request: 1.", FORBIDDEN, 403)
        await self._end_session(request)
        response = Response(orjson.dumps({"signedOut": True}), media_type="application/json")
        response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict", secure=self._secure(request))
        return response

    async def me(self, request: Request) -> Response:
        caller, _, _ = await self.identity.of(request)
        if caller is None:
            return error_response("未登录 not signed in", UNAUTHENTICATED, 401)
        return Response(
            orjson.dumps({"user": _user_json(caller.login, caller.name, caller.roles, caller.regions, caller.method)}),
            media_type="application/json",
        )

    async def audit_entries(self, request: Request) -> Response:
        caller, via, _ = await self.identity.of(request)
        if caller is None:
            return error_response("未登录 not signed in", UNAUTHENTICATED, 401)
        if via == "cookie" and request.headers.get(CSRF_HEADER) != "1":
            return error_response("Send the header X-Wenze-Request: 1.", FORBIDDEN, 403)
        if "audit_admin" not in caller.roles:
            return error_response(
                "只有审计管理员可以查看审计日志 only the audit_admin role reads the audit log", FORBIDDEN, 403
            )
        q = request.query_params
        try:
            start = date.fromisoformat(q["from"]) if q.get("from") else None
            end = date.fromisoformat(q["to"]) if q.get("to") else None
            limit = min(int(q.get("limit", "1000")), MAX_AUDIT_ENTRIES)
        except ValueError:
            return error_response("from/to are YYYY-MM-DD dates, limit a number.", BAD_USER_INPUT, 400)
        audit = self.accounts.audit
        assert audit is not None
        try:
            await run_in_threadpool(audit.event, "audit_read", caller.login, filters=dict(q))
        except AuditUnavailable as e:
            return error_response(str(e), AUDIT_UNAVAILABLE, 503)

        def select() -> list[dict[str, Any]]:
            out = list(read_entries(audit.folder, q.get("user"), q.get("node"), start, end))
            return out[-limit:]

        entries = await run_in_threadpool(select)
        return Response(
            orjson.dumps({"entries": entries}), media_type="application/json", headers={"Cache-Control": "no-store"}
        )


def _user_json(login: str, name: str, roles: Any, regions: Any, method: str) -> dict[str, Any]:
    return {
        "login": login,
        "name": name,
        "method": method,
        "regions": sorted(regions),
        "roles": [{"name": r, "chinese": ROLES[r].chinese} for r in sorted(roles) if r in ROLES],
    }
