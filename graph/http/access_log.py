"""One access line per HTTP request, written by Twofold, without the query string.

uvicorn's access log writes the whole URL, and a client that puts a password or token in a
query string by mistake would leave it in the log. Method, path, status, duration and client
address (as trusted proxies name it) are what an operator needs; `twofold serve` turns
uvicorn's own access log off.
"""

from __future__ import annotations

import logging
import time
from urllib.parse import quote

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from domain import metrics
from graph.http.request_facts import facts_if_read

logger = logging.getLogger("twofold.access")
# Routes timed under their own name; any other path is `other`, so labels stay few.
TIMED_ROUTES = frozenset({"/graphql", "/healthz", "/readyz", "/metrics"})


class AccessLog:
    """Pure ASGI, so it also sees the refusals and failures that never reach a route."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        # If the app fails before answering, the server answers 500.
        status = 500

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_noting_status)
        finally:
            client = _client_ip(scope)
            # Quoted like uvicorn does, so a decoded `%0A` or `%3F` cannot forge a line or a
            # query; `scope["path"]` never holds the query string.
            path = quote(scope["path"])
            milliseconds = (time.perf_counter() - started) * 1000
            route = scope["path"] if scope["path"] in TIMED_ROUTES else "other"
            metrics.HTTP_SECONDS.labels(route, str(status)).observe(milliseconds / 1000)
            logger.info(
                '%s "%s %s" %d %.1fms',
                client,
                scope["method"],
                path,
                status,
                milliseconds,
                # Separate fields for the JSON log format (graph/startup/logs.py).
                extra={
                    "client": client,
                    "method": scope["method"],
                    "path": path,
                    "status": status,
                    "duration_ms": round(milliseconds, 1),
                },
            )


def _client_ip(scope: Scope) -> str:
    """The client as trusted proxies name it, once the request's facts were read."""
    facts = facts_if_read(scope)
    if facts is not None:
        return facts.client_ip
    client = scope.get("client")
    return str(client[0]) if client else "-"
