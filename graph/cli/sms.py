"""`twofold sms routes`: the SMS providers configured, the order they are tried in per country,
and the state of each provider's circuit breaker per country."""

from __future__ import annotations

import argparse
import asyncio
from datetime import UTC, datetime, timedelta

from domain import circuit_breaker, sms_routes
from domain.settings import SMS_PROVIDERS, Settings
from graph.cli.settings import settings_from_environment
from graph.startup.db import close_database, open_database
from models.sms_breaker import BreakerState


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sms = commands.add_parser("sms", help="SMS routes and their circuit breakers")
    actions = sms.add_subparsers(dest="sms_command", required=True)
    routes = actions.add_parser(
        "routes", help="show each SMS provider, the routes per country and each breaker's state"
    )
    routes.set_defaults(handler=_routes)


def _routes(_: argparse.Namespace) -> int:
    settings = settings_from_environment()
    print("\n".join(asyncio.run(route_lines(settings))))
    return 0


def configured(settings: Settings) -> list[str]:
    """The providers with credentials, in the order SMS_PROVIDERS names them."""
    present = {
        "messagebird": settings.messagebird_access_key,
        "twilio": settings.twilio_account_sid,
    }
    return [name for name in SMS_PROVIDERS if present[name]]


async def route_lines(settings: Settings, now: datetime | None = None) -> list[str]:
    """The configured providers, SMS_ROUTES, then one line per provider and country that has a
    breaker: its state, failures in the window and since when it is open."""
    await open_database(settings.database_url)
    try:
        breakers = await circuit_breaker.states()
    finally:
        await close_database()
    moment = now or datetime.now(UTC)
    cooldown = timedelta(seconds=settings.sms_breaker_cooldown_seconds)
    names = configured(settings)
    lines = [
        "providers: " + (", ".join(names) if names else "none (texts go to the console)"),
        "routes: " + sms_routes.describe(settings.sms_routes),
    ]
    if not breakers:
        return [*lines, "breakers: every route closed (no failure recorded)"]
    lines.append("breakers:")
    for breaker in breakers:
        line = f"  {breaker.provider} {breaker.country} {breaker.state.value}"
        line += f" failures={breaker.failures}"
        if breaker.state is not BreakerState.CLOSED and breaker.opened_at is not None:
            trial = breaker.opened_at + cooldown
            line += f" opened={breaker.opened_at:%Y-%m-%dT%H:%M:%SZ}"
            line += " trial=due" if trial <= moment else f" trial={trial:%Y-%m-%dT%H:%M:%SZ}"
        lines.append(line)
    return lines
