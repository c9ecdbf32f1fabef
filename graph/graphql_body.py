"""The shape of a GraphQL-over-HTTP POST body, checked before Strawberry sees it.

Strawberry trusts the body's shape: a JSON string, number or `null` crashed it, deep nesting
overflowed the parser's stack, invalid UTF-8 escaped as a decoding error (each a bare 500 with a
traceback in the log), and a batch got a text/plain 400. Here each of them is a JSON 400
`BAD_REQUEST` and nothing runs. Members may be absent; a missing `query` is Strawberry's to
answer.

Strawberry gets the object parsed here through `decode_checked_json`, so the hot path parses
JSON once.
"""

from __future__ import annotations

import json
from contextvars import ContextVar

from starlette.requests import ClientDisconnect, Request
from starlette.types import ASGIApp, Receive, Scope, Send

from graph.body_limit import replay
from graph.http_errors import error_response

# Each member a request may carry, if it is present: allowed types and how to say them.
_MEMBERS: dict[str, tuple[tuple[type, ...], str]] = {
    "query": ((str,), "a string"),
    "variables": ((dict, type(None)), "an object or null"),
    "operationName": ((str, type(None)), "a string or null"),
    "extensions": ((dict, type(None)), "an object or null"),
}

# The body checked in this request and its parsed object, for `decode_checked_json`.
_checked: ContextVar[tuple[bytes, object] | None] = ContextVar("checked_body", default=None)


class MalformedBody(ValueError):
    """The body is not one GraphQL request; the message tells the client why."""


def parse_graphql_body(body: bytes) -> dict[str, object]:
    """Strict UTF-8, strict JSON (no NaN or Infinity), one operation as an object."""
    try:
        payload = json.loads(body.decode("utf-8"), parse_constant=_no_constant)
    except UnicodeDecodeError as error:
        raise MalformedBody("The body must be UTF-8.") from error
    except (ValueError, RecursionError) as error:  # RecursionError: nesting past the stack
        raise MalformedBody("The body must be JSON.") from error
    if isinstance(payload, list):
        raise MalformedBody("Send one operation per request; batches are not accepted.")
    if not isinstance(payload, dict):
        raise MalformedBody("The body must be a JSON object.")
    for name, (allowed, described) in _MEMBERS.items():
        if name in payload and not isinstance(payload[name], allowed):
            raise MalformedBody(f"`{name}` must be {described}.")
    return payload


def decode_checked_json(data: str | bytes) -> object:
    """JSON decoding for Strawberry: the object checked for this very body, else `json.loads`."""
    checked = _checked.get()
    if checked is not None and checked[0] == data:
        return checked[1]
    return json.loads(data)


class GraphQLBodyCheck:
    """Refuses POST bodies that are not one GraphQL request; sits behind the body limit."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        try:
            body = await Request(scope, receive).body()
        except ClientDisconnect:
            return
        try:
            payload = parse_graphql_body(body)
        except MalformedBody as error:
            await error_response(400, "BAD_REQUEST", str(error))(scope, receive, send)
            return
        token = _checked.set((body, payload))
        try:
            await self.app(scope, replay(body, receive), send)
        finally:
            _checked.reset(token)


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")
