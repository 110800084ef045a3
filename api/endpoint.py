"""The GraphQL endpoint over HTTP: POST (JSON or application/graphql) and GET, answered with orjson.

    Route("/graphql", GraphQLEndpoint(schema, app.state).handle, methods=["GET", "POST"])

A browser's GET without a query (Accept: text/html) gets the offline GraphiQL page. Results are
``{"data", "errors"}`` with status 200; a request that is not GraphQL at all (bad JSON, no query)
gets 400 with a BAD_USER_INPUT error. Only queries run (there are no mutations; GET never could).
"""

from __future__ import annotations

import logging
from typing import Any

import orjson
import strawberry
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from strawberry.exceptions import MissingQueryError
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types.graphql import OperationType

from api.context import current_caller, get_context
from api.errors import format_error, request_error

log = logging.getLogger("wenze.api")
_QUERIES_ONLY = (OperationType.QUERY,)
MAX_BODY = 1_000_000


def _json(payload: Any, status: int = 200) -> Response:
    return Response(
        orjson.dumps(payload, option=orjson.OPT_NON_STR_KEYS), status_code=status, media_type="application/json"
    )


def _bad(message: str, status: int = 400) -> Response:
    return _json({"errors": [request_error(message)]}, status)


class GraphQLEndpoint:
    """Turns HTTP requests into ``schema.execute`` calls with a fresh context each."""

    def __init__(self, schema: strawberry.Schema, state: Any, graphiql_page: str | None = None) -> None:
        self.schema = schema
        self.state = state  # app.state: store, settings, search_index (set by the lifespan)
        self.graphiql_page = graphiql_page

    async def handle(self, request: Request) -> Response:
        if request.method == "GET":
            params = request.query_params
            if "query" not in params:
                if self.graphiql_page is not None and "text/html" in request.headers.get("accept", ""):
                    return HTMLResponse(self.graphiql_page)
                return _bad('Pass the query as ?query=… (or POST a JSON body {"query": …}).')
            variables: Any = None
            if params.get("variables"):
                try:
                    variables = orjson.loads(params["variables"])
                except orjson.JSONDecodeError:
                    return _bad("'variables' is not valid JSON.")
            return await self.execute(params.get("query"), variables, params.get("operationName"))
        body = await request.body()
        if len(body) > MAX_BODY:
            return _bad(f"The request body is larger than {MAX_BODY} bytes.", 413)
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type == "application/graphql":
            return await self.execute(body.decode("utf-8", errors="replace"), None, None)
        if content_type not in ("application/json", "application/graphql-response+json", ""):
            return _bad(f"Unsupported content type {content_type!r}; send application/json.", 415)
        try:
            data = orjson.loads(body)
        except orjson.JSONDecodeError:
            return _bad('The body is not valid JSON; send {"query": "…", "variables": {…}}.')
        if not isinstance(data, dict):
            return _bad('The body must be a JSON object {"query": …}; batches are not supported.')
        return await self.execute(data.get("query"), data.get("variables"), data.get("operationName"))

    async def execute(self, query: Any, variables: Any, operation_name: Any) -> Response:
        if not isinstance(query, str) or not query.strip():
            return _bad('The request has no query; send {"query": "{ … }"}.')
        if variables is not None and not isinstance(variables, dict):
            return _bad("'variables' must be a JSON object.")
        if operation_name is not None and not isinstance(operation_name, str):
            return _bad("'operationName' must be a string.")
        state = self.state
        # The caller was set for this request by the identity gate (api.auth.edge) around ``handle``.
        context = get_context(state.store, state.settings, state.search_index, caller=current_caller())
        try:
            result = await self.schema.execute(
                query,
                variable_values=variables,
                context_value=context,
                operation_name=operation_name,
                allowed_operation_types=_QUERIES_ONLY,
            )
        except MissingQueryError:
            return _bad('The request has no query; send {"query": "{ … }"}.')
        except CannotGetOperationTypeError:
            return _bad(f"No operation named {operation_name!r} in the document; check operationName.")
        except InvalidOperationTypeError:
            return _bad("Only queries are served here (this API has no mutations or subscriptions).")
        payload: dict[str, Any] = {}
        if result.errors:
            payload["errors"] = [format_error(e) for e in result.errors]
            # The spec leaves out "data" when the request failed before execution began.
            if result.data is not None or any(e.path is not None for e in result.errors):
                payload["data"] = result.data
        else:
            payload["data"] = result.data
        return _json(payload)
