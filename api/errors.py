"""GraphQL errors carrying ``extensions.code`` (CONTRACT §3), and how every error is formatted.

    ApiError                 raised by resolvers for expected failures; the message says what to do
    ├── NotFound             NOT_FOUND
    ├── BadUserInput         BAD_USER_INPUT
    ├── Forbidden            FORBIDDEN
    ├── Unauthenticated      UNAUTHENTICATED
    ├── QueryTooComplex      QUERY_TOO_COMPLEX
    └── RequestTimeout       TIMEOUT: the request used up its time budget (settings.request_timeout_seconds)
    anything else            INTERNAL: the message is masked, the error logged with a reference

Errors found before execution (syntax, validation, variable coercion) are BAD_USER_INPUT unless
they already carry a code (the depth and complexity limits use QUERY_TOO_COMPLEX). graphql-core's
"Document contains more than N tokens" (strawberry's MaxTokensLimiter) is QUERY_TOO_COMPLEX too.
"""

from __future__ import annotations

import logging
import re
import uuid
from typing import Any

from graphql import GraphQLError

log = logging.getLogger("wenze.api")

NOT_FOUND = "NOT_FOUND"
BAD_USER_INPUT = "BAD_USER_INPUT"
FORBIDDEN = "FORBIDDEN"
UNAUTHENTICATED = "UNAUTHENTICATED"
QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
TIMEOUT = "TIMEOUT"
INTERNAL = "INTERNAL"
CODES = (NOT_FOUND, BAD_USER_INPUT, FORBIDDEN, UNAUTHENTICATED, QUERY_TOO_COMPLEX, TIMEOUT, INTERNAL)
# graphql-core's parser refusing a document over the token limit (parse(..., max_tokens=N)).
_TOO_MANY_TOKENS = re.compile(r"Syntax Error: Document contains more than (\d+) tokens\. Parsing aborted\.")


class ApiError(Exception):
    """An expected failure, shown to the caller with its code."""

    code = INTERNAL

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(ApiError):
    code = NOT_FOUND


class BadUserInput(ApiError):
    code = BAD_USER_INPUT


class Forbidden(ApiError):
    code = FORBIDDEN


class Unauthenticated(ApiError):
    code = UNAUTHENTICATED


class QueryTooComplex(ApiError):
    code = QUERY_TOO_COMPLEX


class RequestTimeout(ApiError):
    code = TIMEOUT


def too_complex(message: str, nodes: Any = None) -> GraphQLError:
    return GraphQLError(message, nodes, extensions={"code": QUERY_TOO_COMPLEX})


def format_error(error: GraphQLError) -> dict[str, Any]:
    """The error as sent to the client: spec fields plus ``extensions.code``; unexpected ones masked."""
    out: dict[str, Any] = {"message": error.message}
    if error.locations:
        out["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
    if error.path is not None:
        out["path"] = list(error.path)
    original = error.original_error
    extensions = dict(error.extensions or {})
    if isinstance(original, ApiError):
        extensions["code"] = original.code
    elif extensions.get("code") in CODES:
        pass
    elif error.path is None and (tokens := _TOO_MANY_TOKENS.fullmatch(error.message)):
        out["message"] = f"The query has more than {tokens[1]} tokens; split it into several queries."
        extensions["code"] = QUERY_TOO_COMPLEX
    elif error.path is None:
        extensions["code"] = BAD_USER_INPUT
    else:
        ref = uuid.uuid4().hex[:12]
        log.error("unexpected error %s at %s", ref, error.path, exc_info=original or error)
        out["message"] = f"内部错误 Internal error (reference {ref}); it has been logged."
        extensions = {"code": INTERNAL, "reference": ref}
    out["extensions"] = extensions
    return out


def request_error(message: str, code: str = BAD_USER_INPUT) -> dict[str, Any]:
    """An error about the HTTP request itself (no GraphQL document to point into)."""
    return {"message": message, "extensions": {"code": code}}
