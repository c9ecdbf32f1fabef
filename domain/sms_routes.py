"""Sending one text through the routes of its destination: the providers SMS_ROUTES lists for
the region, in order, each behind its circuit breaker (domain/circuit_breaker.py).

An error or a time-out sends the same text through the next route at once. Each attempt gets
at most SMS_PROVIDER_TIMEOUT_SECONDS and all of them together SMS_SEND_BUDGET_SECONDS, so the
request answers in time whatever the providers do. The caller took the text's quotas once:
routes never count against them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable

from domain import circuit_breaker, metrics
from domain.runtime import Runtime
from providers.sms import SmsDeliveryError, SmsSender

logger = logging.getLogger("twofold.sms")

SENT, FAILED, FAILED_OVER, DELIVERED = "sent", "failed", "failed_over", "delivered"


def senders(runtime: Runtime) -> dict[str, SmsSender]:
    """The configured providers by name; without any, the one sender (`console` in development)."""
    providers = runtime.providers
    return providers.sms_providers or {"console": providers.sms}


def order(country: str, runtime: Runtime, avoid: str | None = None) -> list[str]:
    """The configured providers to try for `country`, in order; `avoid` (the route whose last
    text was not delivered) goes last."""
    configured = senders(runtime)
    listed = [name for name in runtime.settings.sms_route_for(country) if name in configured]
    names = listed or list(configured)
    if avoid in names and len(names) > 1:
        names = [name for name in names if name != avoid] + [avoid]
    return names


async def send(
    phone_e164: str,
    body: str,
    reference: str | None,
    runtime: Runtime,
    avoid: str | None = None,
) -> str:
    """Send `body` and return the name of the provider that took it, or raise SmsDeliveryError
    when every route refused, timed out or is open and the budget is spent."""
    country = metrics.country_of(phone_e164)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + runtime.settings.sms_send_budget_seconds
    failures = 0

    async def through(name: str) -> bool:
        nonlocal failures
        remaining = deadline - loop.time()
        if remaining > 0 and await _attempt(name, phone_e164, body, reference, runtime, remaining):
            await circuit_breaker.succeeded(name, country, runtime)
            metrics.SMS_ROUTE_TEXTS.labels(name, country, SENT).inc()
            if failures:
                metrics.SMS_ROUTE_TEXTS.labels(name, country, FAILED_OVER).inc()
                logger.info("text failed over to %s after %d failed routes", name, failures)
            return True
        if remaining > 0:
            failures += 1
            metrics.SMS_ROUTE_TEXTS.labels(name, country, FAILED).inc()
            await circuit_breaker.failed(name, country, runtime)
        return False

    skipped = []
    for name in order(country, runtime, avoid):
        # Asked only when the route's turn comes, so a half-open trial is claimed only when used.
        if not await circuit_breaker.allows(name, country, runtime):
            skipped.append(name)
        elif await through(name):
            return name
    # Open routes are the last resort: a text through a doubtful route beats no text.
    for name in skipped:
        if await through(name):
            return name
    raise SmsDeliveryError(f"no SMS route took the text ({failures} failed)")


async def _attempt(
    name: str,
    phone_e164: str,
    body: str,
    reference: str | None,
    runtime: Runtime,
    remaining: float,
) -> bool:
    sender = senders(runtime)[name]
    timeout = min(runtime.settings.sms_provider_timeout_seconds, remaining)
    try:
        async with asyncio.timeout(timeout):
            await sender.send(phone_e164, body, reference)
    except SmsDeliveryError:
        return False
    except TimeoutError:
        logger.warning("SMS provider %s did not answer within %.1f s", name, timeout)
        return False
    return True


def describe(routes: Iterable[tuple[str, tuple[str, ...]]]) -> str:
    """SMS_ROUTES as written: `default=messagebird,twilio;US=twilio,messagebird`."""
    return ";".join(f"{country}={','.join(names)}" for country, names in routes)
