"""Identity at the edge: one gate turns each request into a ``Caller`` or refuses it, then audits the answer.

    gate = Gate(app.state, settings, graphql_schema)     # the lifespan sets app.state.identity and .audit
    Route("/graphql", gate.graphql(endpoint.handle), methods=["GET", "POST"])
    Route("/", gate.page(explorer_page))                 # a browser without a session goes to /login

For ``/graphql``, in this order:
1. identity: ``Authorization: Bearer`` (an API token ``wz_…`` or an OIDC JWT) or the session cookie;
   none, or a bad one → 401 UNAUTHENTICATED (a bad bearer never falls back to the cookie);
2. CSRF: a POST must be ``application/json`` or ``application/graphql`` (415 otherwise: a form,
   text/plain or no Content-Type is what a cross-site page can send without a preflight); with
   the cookie, POST and GET queries must carry ``X-Wenze-Request: 1`` (403 otherwise; a header a
   cross-site page cannot add without a preflight). A cookie GET *without* a query is the
   GraphiQL page itself and needs no header;
3. the three administrators read no graph data → 403 FORBIDDEN;
4. rate limit in query cost points per user (moving window, in memory) → 429 RATE_LIMITED;
5. the endpoint runs with the caller (``api.context.current_caller``);
6. the audit entry is written and fsynced before the answer leaves (concurrent requests share one
   fdatasync: group commit in api/audit/log.py); if it cannot be → 503
   AUDIT_UNAVAILABLE. Refusals in 1–4 are audited too.

With WENZE_AUTH=off every request from a loopback address is ``LOCAL_CALLER`` (development);
others get 401.
"""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import quote

import orjson
from graphql import DocumentNode, GraphQLError, GraphQLSchema, get_operation_ast, parse
from graphql.execution.values import get_variable_values
from limits import RateLimitItem
from limits import parse as parse_limit
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from api.audit.answer import answer_objects, root_fields
from api.audit.log import AuditLog, AuditUnavailable, new_request_id
from api.auth.accounts import Accounts, caller_of
from api.auth.oidc import OidcRefused, OidcVerifier, has_second_factor, looks_like_jwt
from api.auth.roles import check_role_set, needs_second_factor
from api.context import LOCAL_CALLER, Caller, reset_caller, use_caller
from api.errors import BAD_USER_INPUT, FORBIDDEN, UNAUTHENTICATED, request_error
from api.limits import CostCache
from api.settings import Settings

# The audit's own threads, one set per process (every app's gate shares them; made as needed), for
# appends while the disk is slow (AuditLog.quick; on a fast disk an append is written on the loop, the
# hop there and back costing more than the write): a hop to one takes 75 µs against 112 µs through
# anyio's shared pool (measured); group commit keeps up to one thread per waiting request.
_AUDIT_THREADS = ThreadPoolExecutor(max_workers=64, thread_name_prefix="wenze-audit")
RATE_LIMITED = "RATE_LIMITED"
AUDIT_UNAVAILABLE = "AUDIT_UNAVAILABLE"
SESSION_COOKIE = "wenze_session"
CSRF_HEADER = "x-wenze-request"
JSON_TYPES = ("application/json", "application/graphql")
Handler = Callable[[Request], Awaitable[Response]]

SIGN_IN_FIRST = "请先登录 Sign in first: send Authorization: Bearer <token> (wenze token create) or sign in at /login."


def error_response(
    message: str,
    code: str,
    status: int,
    headers: dict[str, str] | None = None,
    extensions: dict[str, Any] | None = None,
) -> Response:
    """``{"errors": [{"message", "extensions": {"code", …}}]}`` with the HTTP status."""
    error = request_error(message, code)
    error["extensions"].update(extensions or {})
    body = orjson.dumps({"errors": [error]})
    return Response(body, status_code=status, media_type="application/json", headers=headers)


def is_loopback(host: str | None) -> bool:
    if host in ("localhost", "testclient"):
        return True
    try:
        return ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return False


def serving_problem(settings: Settings, host: str, has_identities: bool) -> str | None:
    """Why ``wenze serve --host host`` must not start, or None (CONTRACT §4: data needs an identity)."""
    if is_loopback(host):
        return None
    if settings.auth == "off":
        return (
            f"拒绝在 {host} 上无认证服务 refusing to serve on {host} with WENZE_AUTH=off: that setting is for "
            "a loopback address only; turn authentication on"
        )
    if not has_identities and not settings.oidc_configured:
        return (
            f"refusing to serve on {host}: no user can sign in yet; create one with `wenze user add` "
            "or configure OIDC (WENZE_OIDC_ISSUER, WENZE_OIDC_AUDIENCE, WENZE_OIDC_JWKS_FILE)"
        )
    return None


def _parsed(query: str) -> DocumentNode | None:
    """The query's document, kept per text when the text is short (as strawberry's ParserCache keeps
    its own): one object per text also lets the cost of each operation be kept (``CostCache``, keyed
    by the document). A long text is parsed each time, so that 1,024 kept texts stay small."""
    return _kept_parse(query) if len(query) <= _KEPT_QUERY_CHARS else _parse(query)


_KEPT_QUERY_CHARS = 16_384


@functools.lru_cache(maxsize=1024)
def _kept_parse(query: str) -> DocumentNode | None:
    return _parse(query)


def _parse(query: str) -> DocumentNode | None:
    try:
        return parse(query, max_tokens=5000)
    except GraphQLError:
        return None


class Identity:
    """Who a request comes from: bearer token, OIDC JWT or session cookie (see the module docstring)."""

    def __init__(self, accounts: Accounts, oidc: OidcVerifier | None, settings: Settings) -> None:
        self.accounts = accounts
        self.oidc = oidc
        self.settings = settings
        self.offload = getattr(accounts.store, "backend", "embedded") != "embedded"

    async def _call(self, fn: Callable[..., Any], *args: Any) -> Any:
        return await run_in_threadpool(fn, *args) if self.offload else fn(*args)

    async def of(self, request: Request) -> tuple[Caller | None, str, str]:
        """(the caller or None, "bearer"/"cookie"/"local"/"", why it was refused — "" when not)."""
        if self.settings.auth == "off":
            client = request.client.host if request.client else None
            return (LOCAL_CALLER, "local", "") if is_loopback(client) else (None, "", "auth off, not loopback")
        header = request.headers.get("authorization", "")
        if header:
            scheme, _, text = header.partition(" ")
            text = text.strip()
            if scheme.lower() != "bearer" or not text:
                return None, "bearer", "not a Bearer authorization"
            if text.startswith("wz_"):
                caller = await self._call(self.accounts.caller_for_token, text)
                return caller, "bearer", "" if caller else "bad API token"
            if self.oidc is not None and looks_like_jwt(text):
                try:
                    return await self._call(self._oidc_caller, text), "bearer", ""
                except OidcRefused as e:
                    return None, "bearer", f"oidc: {e.reason}"
            return None, "bearer", "unknown bearer token"
        value = request.cookies.get(SESSION_COOKIE)
        if value:
            caller = await self._call(self.accounts.caller_for_session, value)
            return caller, "cookie", "" if caller else "session ended or timed out"
        return None, "", "no identity"

    def _oidc_caller(self, text: str) -> Caller:
        assert self.oidc is not None
        claims = self.oidc.verify(text)
        login, name, roles, regions = self.oidc.identity(claims)
        user = self.accounts.store.user_by_login(login)
        if user is not None:
            if user.disabled:
                raise OidcRefused("disabled", f"user {login!r} is disabled")
            caller = caller_of(user, "oidc")
        else:
            try:
                role_names = check_role_set(roles)
            except ValueError as e:
                raise OidcRefused("claims", f"roles claim: {e}") from e
            caller = Caller(
                id=f"oidc:{claims.get('sub', login)}",
                name=name,
                login=login,
                roles=frozenset(role_names),
                regions=frozenset(regions),
                method="oidc",
            )
        if needs_second_factor(caller.roles) and not has_second_factor(claims):
            raise OidcRefused("second_factor", "an administrator's token must show a second factor (amr)")
        return caller


class QuietMemoryStorage(MemoryStorage):
    """limits' in-memory storage without a thread per request. Its expiry pass (dropping events that
    left the window: memory only, no decision depends on it) starts a 10 ms ``threading.Timer`` on
    every hit once the last one has ended, which at one user's pace is a thread started per request
    (0.3 ms of the loop's time, profiled). Here the pass runs inline, at most once a second."""

    EVERY = 1.0  # seconds between expiry passes

    def __init__(self) -> None:
        super().__init__()
        self._passed = time.monotonic()

    def _MemoryStorage__schedule_expiry(self) -> None:  # replaces the base class's private method
        now = time.monotonic()
        if now - self._passed >= self.EVERY:
            self._passed = now
            self._MemoryStorage__expire_events()  # type: ignore[attr-defined]


class Gate:
    """Wraps handlers; reads ``state.identity`` and ``state.audit``, which the app's lifespan opens."""

    def __init__(self, state: Any, settings: Settings, schema: GraphQLSchema) -> None:
        self.state = state
        self.settings = settings
        self.schema = schema
        self._costs = CostCache()  # each kept document's operation costs (the rate limit prices by them)
        self.limiter = MovingWindowRateLimiter(QuietMemoryStorage())
        self.limit: RateLimitItem = parse_limit(settings.rate_limit)

    @property
    def identity(self) -> Identity:
        identity: Identity = self.state.identity
        return identity

    @property
    def audit(self) -> AuditLog:
        audit: AuditLog = self.state.audit
        return audit

    # ---- pages: a browser without identity is sent to the sign-in page

    def page(self, handler: Handler) -> Handler:
        async def guarded(request: Request) -> Response:
            caller, _, _ = await self.identity.of(request)
            if caller is None:
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                return RedirectResponse(f"/login?next={quote(target, safe='/')}", status_code=303)
            token = use_caller(caller)
            try:
                return await handler(request)
            finally:
                reset_caller(token)

        return guarded

    # ---- the GraphQL endpoint

    def graphql(self, handler: Handler) -> Handler:
        async def gated(request: Request) -> Response:
            started = time.perf_counter()
            entry: dict[str, Any] = {
                "type": "request",
                "request_id": new_request_id(),
                "client": request.client.host if request.client else "",
                "http": f"{request.method} {request.url.path}",
            }
            query, variables, operation = await _graphql_params(request)
            document = _parsed(query) if query else None
            entry.update(
                operation=operation or _operation_name(document),
                query_sha256=_sha256(query),
                variables=variables,
                fields=_fields(document, variables, operation),
            )
            caller, via, why = await self.identity.of(request)
            entry.update(_who(caller, via))
            refusal = self._refusal(request, caller, via, why, query, document, operation, variables)
            if refusal is not None:
                entry.update(outcome="refused", status=refusal.status_code, reason=_reason(refusal))
                return await self._audited(entry, refusal, started)
            assert caller is not None
            token = use_caller(caller)
            try:
                response = await handler(request)
            finally:
                reset_caller(token)
            entry.update(status=response.status_code)
            self._describe(entry, response, document, operation)
            return await self._audited(entry, response, started)

        return gated

    def _refusal(
        self,
        request: Request,
        caller: Caller | None,
        via: str,
        why: str,
        query: str | None,
        document: DocumentNode | None,
        operation: str | None,
        variables: Any = None,
    ) -> Response | None:
        page_request = request.method == "GET" and "query" not in request.query_params
        if caller is None:
            if page_request and "text/html" in request.headers.get("accept", ""):
                return RedirectResponse("/login?next=/graphql", status_code=303)
            return error_response(SIGN_IN_FIRST, UNAUTHENTICATED, 401, {"WWW-Authenticate": 'Bearer realm="wenze"'})
        if request.method == "POST":
            content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if content_type not in JSON_TYPES:
                return error_response(
                    f"Unsupported content type {content_type or '(none)'!r}; send application/json "
                    "(or application/graphql).",
                    BAD_USER_INPUT,
                    415,
                )
        if via == "cookie" and not page_request and request.headers.get(CSRF_HEADER) != "1":
            return error_response(
                "请求须带 X-Wenze-Request: 1 头 (cookie-authenticated requests must carry the header "
                "X-Wenze-Request: 1; this protects against cross-site request forgery)",
                FORBIDDEN,
                403,
            )
        if not caller.reads_graph:
            return error_response(
                "管理员角色不能读取业务数据 administrator roles (admin, security_admin, audit_admin) read no graph "
                "data; sign in with a business account",
                FORBIDDEN,
                403,
            )
        if page_request and not self.settings.graphiql:
            return error_response("GraphiQL is turned off on this server (WENZE_GRAPHIQL).", BAD_USER_INPUT, 404)
        if query is not None:
            cost = min(self._cost(document, operation, variables), self.limit.amount)
            if not self.limiter.hit(self.limit, caller.id or caller.login, cost=cost):
                reset = self.limiter.get_window_stats(self.limit, caller.id or caller.login).reset_time
                wait = max(1, int(reset - time.time()) + 1)
                return error_response(
                    f"请求过于频繁 rate limit reached: {self.limit.amount} cost points per "
                    f"{self.limit.get_expiry()} s per user (this query costs {cost}); retry in {wait} s",
                    RATE_LIMITED,
                    429,
                    {"Retry-After": str(wait)},
                )
        return None

    def _cost(self, document: DocumentNode | None, operation: str | None, variables: Any) -> int:
        """What the operation costs with these variables (api.limits prices sizes by their value)."""
        if document is None:
            return 1
        try:
            chosen = get_operation_ast(document, operation)
            if chosen is None:
                return 1
            cost = self._costs.get(self.schema, document, chosen)
            coerced = get_variable_values(
                self.schema, chosen.variable_definitions or (), variables if isinstance(variables, dict) else {}
            )
            return max(1, cost.value(coerced) if isinstance(coerced, dict) else cost.fixed)
        except Exception:  # a document the validator will refuse anyway: charge the minimum
            return 1

    def _describe(
        self, entry: dict[str, Any], response: Response, document: DocumentNode | None, operation: str | None
    ) -> None:
        body = getattr(response, "body", b"")
        if not (response.media_type or "").startswith("application/json") or not body:
            entry["outcome"] = "page" if response.status_code == 200 else "error"
            return
        payload = getattr(response, "wenze_payload", None)  # the endpoint's answer, before it became bytes
        if payload is None:
            try:
                payload = orjson.loads(body)
            except orjson.JSONDecodeError:
                entry["outcome"] = "error"
                return
        errors = payload.get("errors") or [] if isinstance(payload, dict) else []
        codes = sorted({str((e.get("extensions") or {}).get("code")) for e in errors if isinstance(e, dict)})
        entry["outcome"] = "ok" if not errors else ("partial" if payload.get("data") else "error")
        if codes:
            entry["error_codes"] = codes
        data = payload.get("data") if isinstance(payload, dict) else None
        variables = entry.get("variables")
        objects, count = answer_objects(
            data, document, self.schema, operation, variables if isinstance(variables, dict) else None
        )
        entry["objects"] = objects
        entry["object_count"] = count

    async def _audited(self, entry: dict[str, Any], response: Response, started: float) -> Response:
        entry["ms"] = round((time.perf_counter() - started) * 1000, 2)
        audit = self.audit
        try:
            if audit.quick():  # a fast disk: written here, on the loop (see AuditLog.quick)
                audit.append(entry)
            else:
                await asyncio.get_running_loop().run_in_executor(_AUDIT_THREADS, audit.append, entry)
        except AuditUnavailable as e:
            return error_response(
                f"审计日志不可用，请求未执行 {e}; the request was refused (tell the administrator)",
                AUDIT_UNAVAILABLE,
                503,
            )
        response.headers["X-Request-Id"] = entry["request_id"]
        return response


def _who(caller: Caller | None, via: str) -> dict[str, Any]:
    if caller is None:
        return {"user": None, "roles": [], "regions": [], "method": via or "none"}
    return {
        "user": caller.login,
        "user_id": caller.id,
        "roles": sorted(caller.roles),
        "regions": sorted(caller.regions),
        "method": caller.method,
    }


def _reason(response: Response) -> str:
    try:
        payload = orjson.loads(getattr(response, "body", b"") or b"{}")
        return str(payload["errors"][0]["extensions"]["code"])
    except (orjson.JSONDecodeError, KeyError, IndexError, TypeError):
        return "redirect" if response.status_code in (302, 303) else str(response.status_code)


def _sha256(query: str | None) -> str | None:
    import hashlib

    return hashlib.sha256(query.encode("utf-8")).hexdigest() if query is not None else None


def _operation_name(document: DocumentNode | None) -> str | None:
    from graphql import OperationDefinitionNode

    if document is None:
        return None
    ops = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    return ops[0].name.value if len(ops) == 1 and ops[0].name is not None else None


def _fields(document: DocumentNode | None, variables: Any, operation: str | None) -> dict[str, Any]:
    try:
        return root_fields(document, variables if isinstance(variables, dict) else None, operation)
    except Exception:  # arguments the validator will refuse: the hash and variables still say what was asked
        return {}


async def _graphql_params(request: Request) -> tuple[str | None, Any, str | None]:
    """(query, variables, operationName) as the endpoint will read them; None for what is absent or unreadable."""
    if request.method == "GET":
        params = request.query_params
        variables: Any = None
        if params.get("variables"):
            try:
                variables = orjson.loads(params["variables"])
            except orjson.JSONDecodeError:
                variables = params["variables"]
        return params.get("query"), variables, params.get("operationName")
    body = await request.body()
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/graphql":
        return body.decode("utf-8", errors="replace"), None, None
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None, None, None
    if not isinstance(data, dict):
        return None, None, None
    query, operation = data.get("query"), data.get("operationName")
    return (
        query if isinstance(query, str) else None,
        data.get("variables"),
        operation if isinstance(operation, str) else None,
    )
