"""Every top-level GraphQL error carries `extensions.code` from one closed set (docs/errors.md).

Errors that already carry a code (UNAUTHENTICATED, QUERY_TOO_COMPLEX, ...) keep it. The rest
are classified by where they arose: a document that does not parse, one that fails validation,
variables that do not coerce (before execution: no `path`), or a failure while a field ran
(a `path`): a bug, INTERNAL_SERVER_ERROR with the request id that is on the request's log lines.
"""

from __future__ import annotations

from collections.abc import Iterable

from graphql import GraphQLError, GraphQLSyntaxError

from graph.startup.log_request_ids import current_request_id

UNAUTHENTICATED = "UNAUTHENTICATED"
FORBIDDEN_ORIGIN = "FORBIDDEN_ORIGIN"
BAD_REQUEST = "BAD_REQUEST"
METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
NOT_ACCEPTABLE = "NOT_ACCEPTABLE"
REQUEST_TOO_LARGE = "REQUEST_TOO_LARGE"
UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE"
GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
BAD_USER_INPUT = "BAD_USER_INPUT"
QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"
PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
DOCUMENT_ID_MISMATCH = "DOCUMENT_ID_MISMATCH"
TRUSTED_DOCUMENT_REQUIRED = "TRUSTED_DOCUMENT_REQUIRED"

TOP_LEVEL_CODES = frozenset(
    {
        UNAUTHENTICATED,
        FORBIDDEN_ORIGIN,
        BAD_REQUEST,
        METHOD_NOT_ALLOWED,
        NOT_ACCEPTABLE,
        REQUEST_TOO_LARGE,
        UNSUPPORTED_MEDIA_TYPE,
        GRAPHQL_PARSE_FAILED,
        GRAPHQL_VALIDATION_FAILED,
        BAD_USER_INPUT,
        QUERY_TOO_COMPLEX,
        INTERNAL_SERVER_ERROR,
        PERSISTED_QUERY_NOT_FOUND,
        DOCUMENT_ID_MISMATCH,
        TRUSTED_DOCUMENT_REQUIRED,
    }
)
"""The closed set of top-level codes; docs/errors.md documents each (a test checks)."""

_TOO_MANY_TOKENS = "tokens. Parsing aborted."


def internal_error_extensions() -> dict[str, str]:
    return {"code": INTERNAL_SERVER_ERROR, "requestId": current_request_id()}


def code_of(error: GraphQLError) -> str:
    """The code a top-level error carries, or the one its origin gives it."""
    code = (error.extensions or {}).get("code")
    if isinstance(code, str) and code:
        return code
    if error.path is not None:
        return INTERNAL_SERVER_ERROR
    if isinstance(error, GraphQLSyntaxError) or isinstance(
        error.original_error, GraphQLSyntaxError
    ):
        return QUERY_TOO_COMPLEX if _TOO_MANY_TOKENS in error.message else GRAPHQL_PARSE_FAILED
    # Validation errors are coded where they arise (graph/extensions/validation.py); what is
    # left before execution is variable coercion.
    return BAD_USER_INPUT


def add_codes(errors: Iterable[GraphQLError]) -> None:
    """Give each error its code in place (an execution failure also the request id)."""
    for error in errors:
        code = code_of(error)
        if (error.extensions or {}).get("code") == code:
            continue
        extensions = {**(error.extensions or {}), "code": code}
        if code == INTERNAL_SERVER_ERROR:
            extensions.update(internal_error_extensions())
        error.extensions = extensions


def is_request_error(errors: Iterable[GraphQLError]) -> bool:
    """True when the errors stopped the request before execution (none has a `path`)."""
    return all(error.path is None for error in errors)
