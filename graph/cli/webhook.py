"""`twofold webhook add|list|remove|deliveries`: the endpoints that hear about security events."""

from __future__ import annotations

import argparse
import asyncio
import sys
from uuid import UUID

from domain import outbox, webhooks
from domain.runtime import RequestMeta, Runtime
from domain.settings import Settings
from domain.webhook_delivery import WEBHOOKS
from graph.cli.settings import settings_from_environment
from graph.startup.db import close_database, open_database
from graph.startup.wiring import build_providers
from models.webhook import WebhookDelivery

CALLER = RequestMeta("-", "twofold webhook")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    hook = subparsers.add_parser("webhook", help="security webhooks: add, list, remove endpoints")
    commands = hook.add_subparsers(dest="webhook_command", required=True)
    add = commands.add_parser("add", help="add an endpoint; prints its signing secret once")
    add.add_argument("url", help="https:// (http:// to loopback, or anywhere in development)")
    add.add_argument(
        "--events",
        default="",
        help="comma-separated event types (default: all): " + ", ".join(webhooks.EVENT_TYPES),
    )
    add.set_defaults(handler=_add)
    listing = commands.add_parser("list", help="list endpoints (never their secrets)")
    listing.set_defaults(handler=_list)
    remove = commands.add_parser("remove", help="remove an endpoint and its waiting deliveries")
    remove.add_argument("id", type=UUID)
    remove.set_defaults(handler=_remove)
    waiting = commands.add_parser("deliveries", help="list deliveries not yet accepted")
    waiting.set_defaults(handler=_deliveries)


def _add(args: argparse.Namespace) -> int:
    settings = settings_from_environment()
    try:
        endpoint, secret = asyncio.run(_added(settings, args.url, args.events.split(",")))
    except webhooks.WebhookRefused as error:
        print(f"twofold: {error}", file=sys.stderr)
        return 1
    print(f"added webhook {endpoint} for {args.url}")
    print(f"signing secret (shown once, keep it safe): {secret}")
    return 0


async def _added(settings: Settings, url: str, events: list[str]) -> tuple[UUID, str]:
    providers = build_providers(settings)
    await open_database(settings.database_url)
    try:
        endpoint, secret = await webhooks.add_endpoint(
            Runtime(settings, providers, CALLER), url, events
        )
        return endpoint.id, secret
    finally:
        await close_database()
        providers.close()


def _list(_: argparse.Namespace) -> int:
    lines = asyncio.run(list_endpoints(settings_from_environment()))
    print("\n".join(lines) if lines else "no webhooks: add one with `twofold webhook add URL`")
    return 0


async def list_endpoints(settings: Settings) -> list[str]:
    """One line per endpoint: id, url, events, created."""
    await open_database(settings.database_url)
    try:
        rows = await webhooks.endpoints()
    finally:
        await close_database()
    return [
        f"{row.id} {row.url} events={row.events or 'all'} "
        f"created={row.created_at:%Y-%m-%dT%H:%M:%SZ}"
        for row in rows
    ]


def _remove(args: argparse.Namespace) -> int:
    removed = asyncio.run(_removed(settings_from_environment(), args.id))
    if not removed:
        print(f"twofold: no webhook {args.id}", file=sys.stderr)
        return 1
    print(f"removed webhook {args.id}")
    return 0


async def _removed(settings: Settings, endpoint_id: UUID) -> bool:
    await open_database(settings.database_url)
    try:
        return await webhooks.remove_endpoint(endpoint_id)
    finally:
        await close_database()


def _deliveries(_: argparse.Namespace) -> int:
    lines = asyncio.run(list_deliveries(settings_from_environment()))
    print("\n".join(lines) if lines else "no webhook deliveries waiting")
    return 0


async def list_deliveries(settings: Settings) -> list[str]:
    await open_database(settings.database_url)
    try:
        return delivery_lines(await outbox.waiting_rows(WEBHOOKS))
    finally:
        await close_database()


def delivery_lines(rows: list[WebhookDelivery]) -> list[str]:
    """One line per waiting delivery: id, status, attempts, next try, event, endpoint, error."""
    return [
        f"{row.id} {row.status.value} attempts={row.attempts} "
        f"next={row.next_attempt_at:%Y-%m-%dT%H:%M:%SZ} webhook {row.event} "
        f"endpoint={row.endpoint_id}"
        + (f" last_error={row.last_error!r}" if row.last_error else "")
        for row in rows
    ]
