"""The email outbox: every security email is a row first, delivered at once when the mail
server answers, and otherwise retried by the sender until it does.

A row is written with the audit record of the change, in one transaction. Delivery claims a row
with a conditional UPDATE (its `claim` empty or expired): on SQLite and on PostgreSQL only one
process's UPDATE matches, so two senders never send one message twice. A failed attempt waits
30 s, doubling with each attempt up to an hour, times a random factor between 0.5 and 1 (so
many processes do not retry in step); after MAX_ATTEMPTS the row is `failed` until an operator
retries it (`twofold outbox --retry ID`).
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from tortoise.expressions import F, Q

from domain import metrics
from domain.runtime import Runtime
from models.outbox import OutboxMessage, OutboxStatus
from providers.email import EmailDeliveryError, EmailMessage

logger = logging.getLogger("twofold.outbox")

FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)
MAX_ATTEMPTS = 12
# How long a claim holds: longer than one SMTP exchange with its timeouts.
LEASE = timedelta(minutes=2)


@dataclass(frozen=True)
class Delivery:
    sent: int
    failed: int


def retry_delay(attempts: int, fraction: float) -> timedelta:
    """The wait after `attempts` failed attempts, `fraction` in [0, 1) drawn at random."""
    exponential = FIRST_RETRY * 2 ** min(attempts - 1, 20)
    capped = min(exponential, LONGEST_RETRY).total_seconds()
    return timedelta(seconds=capped * (0.5 + fraction / 2))


async def enqueue(runtime: Runtime, event: str, message: EmailMessage) -> OutboxMessage:
    """Write `message` as pending; call inside the transaction of the change it reports."""
    now = runtime.now()
    return await OutboxMessage.create(
        event=event,
        recipient=message.to,
        subject=message.subject,
        body=message.body,
        created_at=now,
        next_attempt_at=now,
    )


def _claimable(now: datetime) -> Q:
    return Q(status=OutboxStatus.PENDING, next_attempt_at__lte=now) & (
        Q(claim__isnull=True) | Q(claimed_until__lt=now)
    )


async def deliver(runtime: Runtime, message_id: UUID) -> bool | None:
    """Claim and send one message: True when sent, False when the attempt failed, None when
    another sender holds it or it is not due."""
    now = runtime.now()
    claim = secrets.token_hex(16)
    claimed = await OutboxMessage.filter(_claimable(now), id=message_id).update(
        claim=claim, claimed_until=now + LEASE
    )
    if not claimed:
        return None
    row = await OutboxMessage.get(id=message_id)
    try:
        await runtime.providers.email.send(EmailMessage(row.recipient, row.subject, row.body))
    except EmailDeliveryError as error:
        metrics.PROVIDER_ERRORS.labels("email").inc()
        attempts = row.attempts + 1
        wait = retry_delay(attempts, runtime.providers.randomness.fraction())
        await OutboxMessage.filter(id=message_id, claim=claim).update(
            attempts=F("attempts") + 1,
            last_error=str(error)[:200],
            next_attempt_at=runtime.now() + wait,
            status=OutboxStatus.FAILED if attempts >= MAX_ATTEMPTS else OutboxStatus.PENDING,
            claim=None,
            claimed_until=None,
        )
        logger.warning("email %s not delivered (attempt %d): %s", row.id, attempts, error)
        return False
    await OutboxMessage.filter(id=message_id, claim=claim).update(
        attempts=F("attempts") + 1,
        status=OutboxStatus.SENT,
        sent_at=runtime.now(),
        last_error=None,
        claim=None,
        claimed_until=None,
    )
    return True


async def deliver_due(runtime: Runtime, limit: int = 50) -> Delivery:
    """Send the messages that are due, oldest first."""
    due = (
        await OutboxMessage.filter(_claimable(runtime.now()))
        .order_by("created_at")
        .limit(limit)
        .values_list("id", flat=True)
    )
    sent = failed = 0
    for message_id in due:
        outcome = await deliver(runtime, message_id)  # type: ignore[arg-type]
        sent += outcome is True
        failed += outcome is False
    return Delivery(sent, failed)


async def waiting() -> list[OutboxMessage]:
    """Messages not yet delivered, pending and failed, oldest first."""
    return (
        await OutboxMessage.filter(status__in=[OutboxStatus.PENDING, OutboxStatus.FAILED])
        .order_by("created_at")
        .all()
    )


async def retry(runtime: Runtime, message_id: UUID) -> bool:
    """Make a pending or failed message due now; False when there is no such message."""
    return bool(
        await OutboxMessage.filter(
            id=message_id, status__in=[OutboxStatus.PENDING, OutboxStatus.FAILED]
        ).update(status=OutboxStatus.PENDING, next_attempt_at=runtime.now())
    )


async def run_sender(runtime: Runtime, poll_seconds: float) -> None:
    """Deliver due messages every `poll_seconds` until cancelled (the app's lifespan runs one
    per process). A failing pass is logged and the next one tries again."""
    while True:
        try:
            delivery = await deliver_due(runtime)
            if delivery.sent or delivery.failed:
                logger.info("outbox: %d sent, %d failed", delivery.sent, delivery.failed)
        except Exception:  # a database hiccup must not end the sender
            logger.exception("outbox pass failed")
        await asyncio.sleep(poll_seconds)


async def depth() -> int:
    """Messages waiting for delivery."""
    return await OutboxMessage.filter(status=OutboxStatus.PENDING).count()
