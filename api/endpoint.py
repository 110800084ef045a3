"""The GraphQL endpoint over HTTP (GraphQL-over-HTTP spec): POST (JSON or application/graphql) and GET.

    Route("/graphql", GraphQLEndpoint(schema, app.state).handle, methods=["GET", "POST"])

The response media type follows the request's Accept header (``negotiate``):

- ``application/json`` (also for ``*/*``, ``application/*`` or no Accept header): status 200 for every
  GraphQL response, errors or not;
- ``application/graphql-response+json`` (when asked for by name, e.g. Apollo Client's
  ``application/graphql-response+json,application/json;q=0.9``): 200 when execution began (``data``
  present, possibly with field errors), 400 for request errors — syntax, validation, variable
  coercion, a refused limit — which have no ``data``;
- nothing acceptable: 406.

Either way a request that is not GraphQL at all (bad JSON, no query, a bad parameter, an unknown or
unchosen operation) gets 400 with a BAD_USER_INPUT error; unsupported content types 415, oversized
bodies 413. A browser's GET without a query (Accept: text/html) gets the offline GraphiQL page. Only
queries run on GET; POST also runs the few mutations (saved investigations). Bodies are written with orjson, in UTF-8.

Each request's execution runs in one worker thread of its lane (``api.lanes``: quick or slow, by what
requests of its shape recently cost), never on the event loop; a document that asks only for
``__typename`` reads no store and is answered on the loop at once. Past the request's time budget the
answer is a TIMEOUT error (``data: null``) even while its execution is still finishing its store call.
"""

from __future__ import annotations

import functools
import logging
import time
from typing import Any

import orjson
import strawberry
from graphql import FieldNode, GraphQLError, OperationDefinitionNode, parse
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from strawberry.exceptions import MissingQueryError
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types.graphql import OperationType

from api.context import current_caller, get_context, timeout_message
from api.errors import INTERNAL, TIMEOUT, format_error, request_error
from api.limits import OperationNotChosen
from api.settings import Settings

log = logging.getLogger("wenze.api")
_QUERIES_ONLY = (OperationType.QUERY,)
# POST may also run mutations (the explorer's saved investigations); GET never does.
_QUERIES_AND_MUTATIONS = (OperationType.QUERY, OperationType.MUTATION)
MAX_BODY = 1_000_000
GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"
_OFFERED = (JSON, GRAPHQL_RESPONSE_JSON)  # in this order: a wildcard gets application/json


def negotiate(accept: str | None) -> str | None:
    """The response media type for an Accept header, or None when nothing offered is acceptable.

        negotiate(None)                                                        # 'application/json'
        negotiate("application/graphql-response+json, application/json;q=0.9")  # '...graphql-response+json'
        negotiate("*/*")                                                       # 'application/json'
        negotiate("text/html")                                                 # None

    Each offered type takes the q of the most specific range matching it (exact, then ``type/*``,
    then ``*/*``); the highest q > 0 wins, a type named exactly beats one reached by a wildcard, and
    on a further tie application/graphql-response+json wins if it was named, else application/json.
    A malformed range is ignored.
    """
    if accept is None or not accept.strip():
        return JSON
    ranges: list[tuple[str, str, float]] = []
    for part in accept.split(","):
        pieces = [p.strip() for p in part.split(";")]
        kind, _, sub = pieces[0].lower().partition("/")
        if not kind or not sub:
            continue
        q = 1.0
        for param in pieces[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append((kind, sub, q))
    best: tuple[float, bool, bool] | None = None
    chosen: str | None = None
    for offered in _OFFERED:
        kind, _, sub = offered.partition("/")
        match: tuple[int, float] | None = None  # (specificity, q)
        for r_kind, r_sub, q in ranges:
            if (r_kind, r_sub) == (kind, sub):
                specificity = 2
            elif r_kind == kind and r_sub == "*":
                specificity = 1
            elif (r_kind, r_sub) == ("*", "*"):
                specificity = 0
            else:
                continue
            if match is None or specificity > match[0]:
                match = (specificity, q)
        if match is None or match[1] <= 0:
            continue
        named = match[0] == 2
        rank = (match[1], named, named and offered == GRAPHQL_RESPONSE_JSON)
        if best is None or rank > best:
            best, chosen = rank, offered
    return chosen


def _json(payload: Any, status: int = 200, media_type: str = JSON) -> Response:
    body = orjson.dumps(payload, option=orjson.OPT_NON_STR_KEYS)
    response = Response(body, status_code=status, media_type=media_type)
    # The audit reads what the answer disclosed from this (api/auth/edge.py), not by parsing the body again.
    response.wenze_payload = payload  # type: ignore[attr-defined]
    return response


def _bad(message: str, status: int = 400, media_type: str = JSON) -> Response:
    return _json({"errors": [request_error(message)]}, status, media_type)


def _status(payload: dict[str, Any], media_type: str) -> int:
    """200, except a request error (no ``data``) answered as application/graphql-response+json: 4xx/5xx."""
    if media_type != GRAPHQL_RESPONSE_JSON or "data" in payload:
        return 200
    codes = {e.get("extensions", {}).get("code") for e in payload.get("errors", ())}
    return 500 if INTERNAL in codes else 400


@functools.lru_cache(maxsize=256)
def reads_nothing(query: str) -> bool:
    """Whether every operation of the document selects only ``__typename`` (no store, no fragment).

    reads_nothing("{ __typename }")                     # True
    reads_nothing('{ __typename node(id: "1") { id } }')  # False
    """
    try:
        document = parse(query, max_tokens=200)
    except GraphQLError:
        return False
    ops = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    return len(ops) == len(document.definitions) and all(
        isinstance(sel, FieldNode) and sel.name.value == "__typename" and sel.selection_set is None
        for op in ops
        for sel in op.selection_set.selections
    )


def _timed_out(settings: Settings, media_type: str) -> Response:
    """The answer of a request whose budget ran out before its execution ended."""
    return _json({"data": None, "errors": [request_error(timeout_message(settings), TIMEOUT)]}, 200, media_type)


def _json_param(params: Any, name: str) -> tuple[Any, str | None]:
    """A GET parameter holding JSON: (value, None), or (None, the error message)."""
    text = params.get(name)
    if not text:
        return None, None
    try:
        return orjson.loads(text), None
    except orjson.JSONDecodeError:
        return None, f"'{name}' is not valid JSON."


class GraphQLEndpoint:
    """Turns HTTP requests into ``schema.execute`` calls with a fresh context each."""

    def __init__(self, schema: strawberry.Schema, state: Any, graphiql_page: str | None = None) -> None:
        self.schema = schema
        self.state = state  # app.state: store, settings, search_index (set by the lifespan)
        self.graphiql_page = graphiql_page

    async def handle(self, request: Request) -> Response:
        accept = request.headers.get("accept")
        if request.method == "GET" and "query" not in request.query_params and self.graphiql_page is not None:
            if "text/html" in (accept or ""):
                return HTMLResponse(self.graphiql_page)
        media_type = negotiate(accept)
        if media_type is None:
            return _bad(f"Not acceptable: {accept!r}; accept {GRAPHQL_RESPONSE_JSON} or {JSON} (不支持的 Accept).", 406)
        if request.method == "GET":
            return await self._get(request, media_type)
        return await self._post(request, media_type)

    async def _get(self, request: Request, media_type: str) -> Response:
        params = request.query_params
        if "query" not in params:
            return _bad('Pass the query as ?query=… (or POST a JSON body {"query": …}).', media_type=media_type)
        variables, problem = _json_param(params, "variables")
        if problem is None:
            extensions, problem = _json_param(params, "extensions")
        if problem is not None:
            return _bad(problem, media_type=media_type)
        return await self.execute(params.get("query"), variables, params.get("operationName"), extensions, media_type)

    async def _post(self, request: Request, media_type: str) -> Response:
        body = await request.body()
        if len(body) > MAX_BODY:
            return _bad(f"The request body is larger than {MAX_BODY} bytes.", 413, media_type)
        content_type, *params = [p.strip().lower() for p in request.headers.get("content-type", "").split(";")]
        charset = next((p.partition("=")[2].strip('"') for p in params if p.startswith("charset=")), "utf-8")
        if charset not in ("utf-8", "utf8"):
            return _bad(f"Unsupported charset {charset!r}; send UTF-8.", 415, media_type)
        if content_type == "application/graphql":
            return await self.execute(body.decode("utf-8", errors="replace"), None, None, None, media_type, True)
        if content_type not in (JSON, GRAPHQL_RESPONSE_JSON):
            given = repr(content_type) if content_type else "none"
            return _bad(f"Unsupported content type {given}; send Content-Type: application/json.", 415, media_type)
        try:
            data = orjson.loads(body)
        except orjson.JSONDecodeError:
            return _bad('The body is not valid JSON; send {"query": "…", "variables": {…}}.', media_type=media_type)
        if not isinstance(data, dict):
            return _bad(
                'The body must be a JSON object {"query": …}; batches are not supported.', media_type=media_type
            )
        return await self.execute(
            data.get("query"),
            data.get("variables"),
            data.get("operationName"),
            data.get("extensions"),
            media_type,
            mutations=True,
        )

    async def execute(
        self,
        query: Any,
        variables: Any,
        operation_name: Any,
        extensions: Any = None,
        media_type: str = JSON,
        mutations: bool = False,
    ) -> Response:
        if not isinstance(query, str) or not query.strip():
            return _bad('The request has no query; send {"query": "{ … }"}.', media_type=media_type)
        if variables is not None and not isinstance(variables, dict):
            return _bad("'variables' must be a JSON object.", media_type=media_type)
        if operation_name is not None and not isinstance(operation_name, str):
            return _bad("'operationName' must be a string.", media_type=media_type)
        if extensions is not None and not isinstance(extensions, dict):
            return _bad("'extensions' must be a JSON object.", media_type=media_type)
        state = self.state
        settings = state.settings
        # The caller was set for this request by the identity gate (api.auth.edge) around ``handle``.
        caller = current_caller()
        # The budget counts from here: time queued in a lane is part of it.
        deadline = time.monotonic() + settings.request_timeout_seconds
        lanes = getattr(state, "lanes", None)
        in_lane = lanes is not None and not reads_nothing(query)

        async def execution() -> Any:
            # Made where it runs: finding the caller's scope may ask the store (once per region).
            context = get_context(state.store, settings, state.search_index, caller=caller, executor=state.executor)
            context.deadline, context.inline = deadline, in_lane  # in a lane: store calls made in its thread
            return await self.schema.execute(
                query,
                variable_values=variables,
                context_value=context,
                operation_name=operation_name,
                allowed_operation_types=_QUERIES_AND_MUTATIONS if mutations else _QUERIES_ONLY,
            )

        try:
            if lanes is None or not in_lane:
                result = await execution()
            else:
                try:
                    result = await lanes.run((query, operation_name), execution, deadline)
                except TimeoutError:
                    return _timed_out(settings, media_type)
        except MissingQueryError:
            return _bad('The request has no query; send {"query": "{ … }"}.', media_type=media_type)
        except OperationNotChosen as e:
            return _bad(e.message, media_type=media_type)
        except CannotGetOperationTypeError:
            return _bad(
                f"No operation named {operation_name!r} in the document; check operationName.", media_type=media_type
            )
        except InvalidOperationTypeError:
            return _bad(
                "Only queries are served by GET; send mutations with POST (no subscriptions here).",
                media_type=media_type,
            )
        payload: dict[str, Any] = {}
        if result.errors:
            payload["errors"] = [format_error(e) for e in result.errors]
            # The spec leaves out "data" when the request failed before execution began.
            if result.data is not None or any(e.path is not None for e in result.errors):
                payload["data"] = result.data
        else:
            payload["data"] = result.data
        return _json(payload, _status(payload, media_type), media_type)
