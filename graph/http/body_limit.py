"""A request body limit enforced while the body is read, before any other code sees it.

Starlette and Strawberry read a whole body into memory before looking at it, so without a limit
anyone, signed in or not, could make the server hold any amount of data. A declared
`Content-Length` over the limit is refused before a byte is read; a body without one (chunked)
is counted as it arrives and refused as soon as it passes the limit. A body within the limit is
handed on to the app as one message.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graph.error_codes import REQUEST_TOO_LARGE
from graph.http.http_errors import error_response


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _declared_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        more_body = True
        while more_body:
            message = await receive()
            if message["type"] == "http.disconnect":
                return  # the client left: there is nobody to answer
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._refuse(scope, receive, send)
                return
            chunks.append(chunk)
            more_body = message.get("more_body", False)
        await self.app(scope, replay(b"".join(chunks), receive), send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        message = f"Request bodies are limited to {self.max_bytes} bytes."
        await error_response(413, REQUEST_TOO_LARGE, message)(scope, receive, send)


def replay(body: bytes, receive: Receive) -> Receive:
    """A `receive` that hands over `body` whole, then the server's later messages (disconnect)."""
    pending = True

    async def replayed() -> Message:
        nonlocal pending
        if pending:
            pending = False
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


def _declared_length(scope: Scope) -> int | None:
    value = Headers(scope=scope).get("content-length")
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        return None  # the server frames the body; counting it below still applies the limit
