"""`twofold outbox`: the security emails and webhook deliveries not yet delivered, and retrying
one of them."""

from __future__ import annotations

import argparse
import asyncio
import sys
from uuid import UUID

from domain import outbox
from domain.runtime import RequestMeta, Runtime
from domain.settings import Settings
from domain.webhook_delivery import WEBHOOKS
from graph.cli.settings import settings_from_environment
from graph.cli.webhook import delivery_lines
from graph.startup.db import close_database, open_database
from graph.startup.wiring import build_providers


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    mail = commands.add_parser(
        "outbox", help="list security emails and webhooks not yet delivered, or retry one now"
    )
    mail.add_argument("--retry", metavar="ID", type=UUID, help="retry this message now")
    mail.set_defaults(handler=_outbox)


def _outbox(args: argparse.Namespace) -> int:
    settings = settings_from_environment()
    if args.retry is None:
        lines = asyncio.run(list_waiting(settings))
        print("\n".join(lines) if lines else "outbox is empty: every email was delivered")
        return 0
    outcome = asyncio.run(retry_now(settings, args.retry))
    if outcome is None:
        print(f"twofold: no pending or failed message {args.retry}", file=sys.stderr)
        return 1
    print(f"message {args.retry} " + ("sent" if outcome else "failed again: still in the outbox"))
    return 0 if outcome else 1


async def list_waiting(settings: Settings) -> list[str]:
    """One line per pending or failed email (id, status, attempts, next try, event, recipient,
    last error), then one per pending or failed webhook delivery."""
    await open_database(settings.database_url)
    try:
        rows = await outbox.waiting()
        deliveries = await outbox.waiting_rows(WEBHOOKS)
    finally:
        await close_database()
    return [
        f"{row.id} {row.status.value} attempts={row.attempts} "
        f"next={row.next_attempt_at:%Y-%m-%dT%H:%M:%SZ} {row.event} {row.recipient}"
        + (f" last_error={row.last_error!r}" if row.last_error else "")
        for row in rows
    ] + delivery_lines(deliveries)


async def retry_now(settings: Settings, message_id: UUID) -> bool | None:
    """Make one email or webhook delivery due and try it now: True sent, False failed again,
    None when nothing with that id waits."""
    providers = build_providers(settings)
    runtime = Runtime(settings, providers, RequestMeta("-", "twofold outbox"))
    await open_database(settings.database_url)
    try:
        for queue in (outbox.EMAIL, WEBHOOKS):
            if await outbox.retry_row(runtime, queue, message_id):
                return bool(await outbox.deliver_row(runtime, queue, message_id))
        return None
    finally:
        await close_database()
        providers.close()
