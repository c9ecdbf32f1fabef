"""Delivering queued webhook rows per the Standard Webhooks specification.

Each attempt POSTs the row's body as it was queued, with `webhook-id` (the row's, the same on
every retry), `webhook-timestamp` (this attempt's, so a receiver's replay window holds) and
`webhook-signature` (`v1,` + base64 HMAC-SHA256 over `id.timestamp.body`, made by the
`standardwebhooks` package with the endpoint's secret). A 2xx answer is delivered; anything
else, a refused connection or a timeout is retried by the outbox, backing off up to a day.
"""

from __future__ import annotations

from datetime import timedelta
from math import floor
from uuid import UUID

from standardwebhooks import Webhook

from domain import outbox
from domain.runtime import Runtime
from models.sealing import InvalidToken, Sealed, unseal
from models.webhook import WebhookDelivery, WebhookEndpoint
from providers.webhooks import WebhookDeliveryError

# 30 s, 1 min, 2 min, ... doubling up to a day, each times a random 0.5 to 1: fifteen
# attempts over 1.7 to 3.4 days before a row is `failed`.
SCHEDULE = outbox.Schedule(
    first_retry=timedelta(seconds=30), longest_retry=timedelta(days=1), max_attempts=15
)


def signed_headers(secret: str, webhook_id: str, runtime: Runtime, body: str) -> dict[str, str]:
    now = runtime.now()
    return {
        "content-type": "application/json",
        "user-agent": "Twofold-Webhooks/1",
        "webhook-id": webhook_id,
        "webhook-timestamp": str(floor(now.timestamp())),
        "webhook-signature": Webhook(secret).sign(webhook_id, now, body),
    }


async def _send(runtime: Runtime, row: WebhookDelivery) -> None:
    endpoint = await WebhookEndpoint.get(id=row.endpoint_id)
    try:
        secret = unseal(runtime.secret_key, Sealed.WEBHOOK_SECRET, endpoint.secret_sealed)
    except InvalidToken as error:
        # Counted as a failed attempt, so the row ends `failed` and is listed, not stuck.
        raise outbox.DeliveryFailed("secret unreadable: was TWOFOLD_SECRET_KEY changed?") from error
    headers = signed_headers(secret, row.webhook_id, runtime, row.body)
    try:
        status = await runtime.providers.webhooks.post(endpoint.url, headers, row.body.encode())
    except WebhookDeliveryError as error:
        raise outbox.DeliveryFailed(str(error)) from error
    if not 200 <= status < 300:
        raise outbox.DeliveryFailed(f"HTTP {status}")


WEBHOOKS = outbox.Queue("webhook", WebhookDelivery, SCHEDULE, _send)


async def deliver(runtime: Runtime, delivery_id: UUID) -> bool | None:
    """Claim and send one delivery (see `outbox.deliver_row`)."""
    return await outbox.deliver_row(runtime, WEBHOOKS, delivery_id)


async def deliver_due(runtime: Runtime, limit: int = 50) -> outbox.Delivery:
    """Send the deliveries that are due, oldest first."""
    return await outbox.deliver_due_rows(runtime, WEBHOOKS, limit)
