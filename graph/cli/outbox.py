"""`twofold outbox`: the security emails not yet delivered, and retrying one of them."""

from __future__ import annotations

from uuid import UUID

from domain import outbox
from domain.runtime import RequestMeta, Runtime
from domain.settings import Settings
from graph.startup.db import close_database, open_database
from graph.startup.wiring import build_providers


async def list_waiting(settings: Settings) -> list[str]:
    """One line per pending or failed message: id, status, attempts, next try, event,
    recipient, last error."""
    await open_database(settings.database_url)
    try:
        rows = await outbox.waiting()
    finally:
        await close_database()
    return [
        f"{row.id} {row.status.value} attempts={row.attempts} "
        f"next={row.next_attempt_at:%Y-%m-%dT%H:%M:%SZ} {row.event} {row.recipient}"
        + (f" last_error={row.last_error!r}" if row.last_error else "")
        for row in rows
    ]


async def retry_now(settings: Settings, message_id: UUID) -> bool | None:
    """Make one message due and try it now: True sent, False failed again, None when no such
    message waits."""
    providers = build_providers(settings)
    runtime = Runtime(settings, providers, RequestMeta("-", "twofold outbox"))
    await open_database(settings.database_url)
    try:
        if not await outbox.retry(runtime, message_id):
            return None
        return bool(await outbox.deliver(runtime, message_id))
    finally:
        await close_database()
        providers.close()
