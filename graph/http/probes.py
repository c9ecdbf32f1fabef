"""`/readyz` (the database answers and its migrations are current) and `/metrics`."""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from tortoise import connections

from domain import outbox
from domain.metrics import OUTBOX_DEPTH, exposition
from graph.startup.db import pending_migrations

logger = logging.getLogger("twofold.probes")
READY_SECONDS = 2.0


async def readiness(_: Request) -> Response:
    """200 when the database answers and lacks no migration within 2 s, else 503 and why (no
    detail that would help an outsider: the log has it)."""
    try:
        async with asyncio.timeout(READY_SECONDS):
            await connections.get("default").execute_query("SELECT 1")
            pending = await pending_migrations()
    except Exception as error:  # any failure means "not ready", and says so in the log
        logger.warning("not ready: database unavailable: %s", type(error).__name__)
        return JSONResponse({"status": "unavailable", "reason": "database"}, status_code=503)
    if pending:
        logger.warning("not ready: %d migrations pending", len(pending))
        return JSONResponse({"status": "unavailable", "reason": "migrations"}, status_code=503)
    return JSONResponse({"status": "ready"})


def metrics_endpoint(token: str) -> Callable[[Request], Awaitable[Response]]:
    """The Prometheus scrape endpoint; with `token`, only for `Authorization: Bearer <token>`."""
    expected = f"Bearer {token}".encode()

    async def metrics(request: Request) -> Response:
        if token:
            sent = request.headers.get("authorization", "").encode("latin-1", "replace")
            if not hmac.compare_digest(sent, expected):
                return Response(
                    status_code=401, headers={"WWW-Authenticate": 'Bearer realm="metrics"'}
                )
        try:
            OUTBOX_DEPTH.set(await outbox.depth())
        except Exception:  # the database is down: the other metrics still matter
            logger.warning("outbox depth unavailable")
        body, content_type = exposition()
        return Response(body, media_type=content_type, headers={"Cache-Control": "no-store"})

    return metrics
