"""The shape of a GraphQL-over-HTTP request (a POST body or GET parameters), checked before
Strawberry sees it.

Strawberry trusts the body's shape: a JSON string, number or `null` crashed it, deep nesting
overflowed the parser's stack, invalid UTF-8 escaped as a decoding error (each a bare 500 with a
traceback in the log), and a batch got a text/plain 400. Here each of them is a JSON 400
`BAD_REQUEST` and nothing runs. Members may be absent; a missing `query` is Strawberry's to
answer. A GET's `variables` and `extensions` parameters are JSON texts held to the same rules.

Strawberry gets the object parsed here through `decode_checked_json`, so the hot path parses
JSON once.
"""

from __future__ import annotations

import json
from contextvars import ContextVar

from starlette.datastructures import QueryParams
from starlette.requests import ClientDisconnect, Request
from starlette.types import ASGIApp, Receive, Scope, Send

from graph.error_codes import BAD_REQUEST
from graph.http.body_limit import replay
from graph.http.http_errors import error_response

# Each member a request may carry, if it is present: allowed types and how to say them.
_MEMBERS: dict[str, tuple[tuple[type, ...], str]] = {
    "query": ((str,), "a string"),
    "variables": ((dict, type(None)), "an object or null"),
    "operationName": ((str, type(None)), "a string or null"),
    "extensions": ((dict, type(None)), "an object or null"),
    "documentId": ((str, type(None)), "a string or null"),
}

# The body checked in this request and its parsed object, for `decode_checked_json`.
_checked: ContextVar[tuple[bytes, object] | None] = ContextVar("checked_body", default=None)


class MalformedBody(ValueError):
    """The body is not one GraphQL request; the message tells the client why."""


def _strict_json(text: str, what: str) -> object:
    try:
        return json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError) as error:  # RecursionError: nesting past the stack
        raise MalformedBody(f"{what} must be JSON.") from error


def parse_graphql_body(body: bytes) -> dict[str, object]:
    """Strict UTF-8, strict JSON (no NaN or Infinity), one operation as an object."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise MalformedBody("The body must be UTF-8.") from error
    payload = _strict_json(text, "The body")
    if isinstance(payload, list):
        raise MalformedBody("Send one operation per request; batches are not accepted.")
    if not isinstance(payload, dict):
        raise MalformedBody("The body must be a JSON object.")
    _check_members(payload)
    return payload


def parse_graphql_parameters(params: QueryParams) -> dict[str, object]:
    """A GET request's parameters: `variables` and `extensions` are JSON, each may come once."""
    payload: dict[str, object] = {}
    for name in _MEMBERS:
        values = params.getlist(name)
        if len(values) > 1:
            raise MalformedBody(f"`{name}` may appear only once.")
        if values:
            text = values[0]
            json_member = name in ("variables", "extensions")
            payload[name] = _strict_json(text, f"`{name}`") if json_member and text else text
    _check_members(payload)
    return payload


def _check_members(payload: dict[str, object]) -> None:
    for name, (allowed, described) in _MEMBERS.items():
        if name in payload and not isinstance(payload[name], allowed):
            raise MalformedBody(f"`{name}` must be {described}.")


def decode_checked_json(data: str | bytes) -> object:
    """JSON decoding for Strawberry: the object checked for this very body, else `json.loads`."""
    checked = _checked.get()
    if checked is not None and checked[0] == data:
        return checked[1]
    return json.loads(data)


class GraphQLBodyCheck:
    """Refuses requests that are not one GraphQL request; sits behind the body limit."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "POST"):
            await self.app(scope, receive, send)
            return
        if scope["method"] == "GET":
            try:
                parse_graphql_parameters(QueryParams(scope["query_string"]))
            except MalformedBody as error:
                await error_response(400, BAD_REQUEST, str(error))(scope, receive, send)
                return
            await self.app(scope, receive, send)
            return
        try:
            body = await Request(scope, receive).body()
        except ClientDisconnect:
            return
        try:
            payload = parse_graphql_body(body)
        except MalformedBody as error:
            await error_response(400, BAD_REQUEST, str(error))(scope, receive, send)
            return
        token = _checked.set((body, payload))
        try:
            await self.app(scope, replay(body, receive), send)
        finally:
            _checked.reset(token)


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")
