"""One id per HTTP request: on every log line of the request, in its answer, in masked errors.

A client or proxy may send its own `X-Request-ID` so its logs and Twofold's line up; it is
kept only when it is short and plain (letters, digits, `.`, `_`, `-`), since it is written to
the log and echoed in a header. Otherwise Twofold makes one.
"""

from __future__ import annotations

import os
import re
import secrets

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graph.startup.log_request_ids import CURRENT_REQUEST_ID, NO_REQUEST

HEADER = "x-request-id"
_ACCEPTED = re.compile(r"[A-Za-z0-9._-]{1,64}")
_SCOPE_KEY = "twofold.request_id"


def request_id_of(scope: Scope) -> str:
    """The id given to this request, also once the middleware has returned (the 500 handler)."""
    return str(scope.get(_SCOPE_KEY, NO_REQUEST))


def _chosen_id(scope: Scope) -> str:
    sent: list[bytes] = [value for name, value in scope["headers"] if name == HEADER.encode()]
    # One plain header only: two copies leave the choice ambiguous, so Twofold makes its own.
    if len(sent) == 1:
        candidate: str = sent[0].decode("latin-1")
        if _ACCEPTED.fullmatch(candidate):
            return candidate
    return _new_id()


_made: list[str] = []


def _new_id() -> str:
    """16 random hex digits, as `secrets.token_hex(8)` makes them, from a block read at once:
    one `getrandom` call a request was 3 % of a signed-in request's CPU."""
    if not _made:
        block = secrets.token_bytes(8 * 256).hex()
        _made.extend(block[i : i + 16] for i in range(0, len(block), 16))
    return _made.pop()


# A forked child must never hand out the ids its parent still holds.
os.register_at_fork(after_in_child=_made.clear)


class RequestIds:
    """Pure ASGI and outermost, so refusals and failures carry the id too."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = scope[_SCOPE_KEY] = _chosen_id(scope)
        token = CURRENT_REQUEST_ID.set(request_id)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[HEADER] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            CURRENT_REQUEST_ID.reset(token)
