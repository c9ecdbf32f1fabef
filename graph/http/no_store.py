"""An ASGI wrapper that marks every response of an endpoint `Cache-Control: no-store`."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class NoStore:
    """GraphQL answers carry sessions and codes: no cache, shared or private, may keep them.

    Wrapping the endpoint (rather than setting the header in a resolver) also covers the
    answers Strawberry gives before any resolver runs: 400s, 405s, validation errors.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_no_store(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_no_store)
