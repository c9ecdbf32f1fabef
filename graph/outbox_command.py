"""`twofold outbox`: the security emails and webhook deliveries not yet delivered, and retrying
one of them."""

from __future__ import annotations

from uuid import UUID

from domain import outbox
from domain.runtime import RequestMeta, Runtime
from domain.settings import Settings
from domain.webhook_delivery import WEBHOOKS
from graph.db import close_database, open_database
from graph.webhook_command import delivery_lines
from graph.wiring import build_providers


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
