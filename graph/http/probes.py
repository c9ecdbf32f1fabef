"""`/readyz` (the database answers and its migrations are current; its details show the SMS
routes' circuit breakers) and `/metrics`."""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from tortoise import connections

from domain import circuit_breaker, outbox
from domain.metrics import OUTBOX_DEPTH, SMS_BREAKER_STATE, exposition
from graph.startup.db import pending_migrations
from models.sms_breaker import BreakerState

logger = logging.getLogger("twofold.probes")
READY_SECONDS = 2.0


async def readiness(_: Request) -> Response:
    """200 when the database answers and lacks no migration within 2 s, else 503 and why (no
    detail that would help an outsider: the log has it)."""
    try:
        async with asyncio.timeout(READY_SECONDS):
            await connections.get("default").execute_query("SELECT 1")
            pending = await pending_migrations()
            breakers = await circuit_breaker.states() if not pending else []
    except Exception as error:  # any failure means "not ready", and says so in the log
        logger.warning("not ready: database unavailable: %s", type(error).__name__)
        return JSONResponse({"status": "unavailable", "reason": "database"}, status_code=503)
    if pending:
        logger.warning("not ready: %d migrations pending", len(pending))
        return JSONResponse({"status": "unavailable", "reason": "migrations"}, status_code=503)
    # An open SMS route leaves the process ready (texts fail over): the details say which.
    routes = [
        {"provider": b.provider, "country": b.country, "state": b.state.value} for b in breakers
    ]
    return JSONResponse({"status": "ready", "details": {"sms_breakers": routes}})


_GAUGE = {BreakerState.CLOSED: 0, BreakerState.HALF_OPEN: 1, BreakerState.OPEN: 2}


async def _read_breakers() -> None:
    for breaker in await circuit_breaker.states():
        SMS_BREAKER_STATE.labels(breaker.provider, breaker.country).set(_GAUGE[breaker.state])


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
        try:
            await _read_breakers()
        except Exception:  # as above
            logger.warning("SMS breaker states unavailable")
        body, content_type = exposition()
        return Response(body, media_type=content_type, headers={"Cache-Control": "no-store"})

    return metrics
