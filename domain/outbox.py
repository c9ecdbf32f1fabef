"""The durable outbox: every security email, and every webhook delivery, is a row first,
delivered by a sender until the other side accepts it.

A row is written in the transaction of the change it reports. Delivery claims a row with a
conditional UPDATE (its `claim` empty or expired): on SQLite and on PostgreSQL only one
process's UPDATE matches, so two senders never send one row twice. A failed attempt waits the
queue's first retry, doubling with each attempt up to its longest retry, times a random factor
between 0.5 and 1 (so many processes do not retry in step); after the queue's last attempt the
row is `failed` until an operator retries it (`twofold outbox --retry ID`).

Each kind of row is a `Queue`: its table (with the claim columns of models/outbox.py), its
retry schedule and how one row is sent. Emails are the queue `EMAIL` here; webhooks are
`domain.webhook_delivery.WEBHOOKS`.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from tortoise.expressions import F, Q
from tortoise.models import Model

from domain import metrics
from domain.runtime import Runtime
from models.outbox import OutboxMessage, OutboxStatus
from providers.email import EmailDeliveryError, EmailMessage

logger = logging.getLogger("twofold.outbox")


class DeliveryFailed(Exception):
    """An attempt that did not get through; its text is kept as the row's `last_error`."""


@dataclass(frozen=True)
class Schedule:
    """When a failed row is tried again, and when it is given up as `failed`."""

    first_retry: timedelta
    longest_retry: timedelta
    max_attempts: int
    # How long a claim holds: longer than one attempt with its timeouts.
    lease: timedelta = timedelta(minutes=2)

    def delay(self, attempts: int, fraction: float) -> timedelta:
        """The wait after `attempts` failed attempts, `fraction` in [0, 1) drawn at random."""
        exponential = self.first_retry * 2 ** min(attempts - 1, 20)
        capped = min(exponential, self.longest_retry).total_seconds()
        return timedelta(seconds=capped * (0.5 + fraction / 2))


@dataclass(frozen=True)
class Queue:
    """One kind of outbox row. `send` delivers a row or raises DeliveryFailed."""

    name: str
    model: type[Model]
    schedule: Schedule
    send: Callable[[Runtime, Any], Awaitable[None]]


@dataclass(frozen=True)
class Delivery:
    sent: int
    failed: int


def _claimable(now: datetime) -> Q:
    return Q(status=OutboxStatus.PENDING, next_attempt_at__lte=now) & (
        Q(claim__isnull=True) | Q(claimed_until__lt=now)
    )


async def deliver_row(runtime: Runtime, queue: Queue, row_id: UUID) -> bool | None:
    """Claim and send one row: True when sent, False when the attempt failed, None when
    another sender holds it or it is not due."""
    now, model, schedule = runtime.now(), queue.model, queue.schedule
    claim = secrets.token_hex(16)
    claimed = await model.filter(_claimable(now), id=row_id).update(
        claim=claim, claimed_until=now + schedule.lease
    )
    if not claimed:
        return None
    row: Any = await model.get(id=row_id)
    try:
        await queue.send(runtime, row)
    except DeliveryFailed as error:
        metrics.PROVIDER_ERRORS.labels(queue.name).inc()
        attempts = row.attempts + 1
        wait = schedule.delay(attempts, runtime.providers.randomness.fraction())
        await model.filter(id=row_id, claim=claim).update(
            attempts=F("attempts") + 1,
            last_error=str(error)[:200],
            next_attempt_at=runtime.now() + wait,
            status=OutboxStatus.FAILED
            if attempts >= schedule.max_attempts
            else OutboxStatus.PENDING,
            claim=None,
            claimed_until=None,
        )
        logger.warning("%s %s not delivered (attempt %d): %s", queue.name, row_id, attempts, error)
        return False
    await model.filter(id=row_id, claim=claim).update(
        attempts=F("attempts") + 1,
        status=OutboxStatus.SENT,
        sent_at=runtime.now(),
        last_error=None,
        claim=None,
        claimed_until=None,
    )
    return True


async def deliver_due_rows(runtime: Runtime, queue: Queue, limit: int = 50) -> Delivery:
    """Send the rows of `queue` that are due, oldest first."""
    due = (
        await queue.model.filter(_claimable(runtime.now()))
        .order_by("created_at")
        .limit(limit)
        .values_list("id", flat=True)
    )
    sent = failed = 0
    for row_id in due:
        outcome = await deliver_row(runtime, queue, row_id)  # type: ignore[arg-type]
        sent += outcome is True
        failed += outcome is False
    return Delivery(sent, failed)


async def waiting_rows(queue: Queue) -> list[Any]:
    """Rows not yet delivered, pending and failed, oldest first."""
    return (
        await queue.model.filter(status__in=[OutboxStatus.PENDING, OutboxStatus.FAILED])
        .order_by("created_at")
        .all()
    )


async def retry_row(runtime: Runtime, queue: Queue, row_id: UUID) -> bool:
    """Make a pending or failed row due now; False when there is no such row."""
    return bool(
        await queue.model.filter(
            id=row_id, status__in=[OutboxStatus.PENDING, OutboxStatus.FAILED]
        ).update(status=OutboxStatus.PENDING, next_attempt_at=runtime.now())
    )


async def run_sender(runtime: Runtime, poll_seconds: float, queue: Queue | None = None) -> None:
    """Deliver due rows of `queue` (emails by default) every `poll_seconds` until cancelled
    (the app's lifespan runs one per queue and process). A failing pass is logged and the next
    one tries again."""
    queue = queue or EMAIL
    while True:
        try:
            delivery = await deliver_due_rows(runtime, queue)
            if delivery.sent or delivery.failed:
                logger.info(
                    "outbox %s: %d sent, %d failed", queue.name, delivery.sent, delivery.failed
                )
        except Exception:  # a database hiccup must not end the sender
            logger.exception("outbox %s pass failed", queue.name)
        await asyncio.sleep(poll_seconds)


# Security emails.

EMAIL_SCHEDULE = Schedule(
    first_retry=timedelta(seconds=30), longest_retry=timedelta(hours=1), max_attempts=12
)


async def _send_email(runtime: Runtime, row: OutboxMessage) -> None:
    try:
        await runtime.providers.email.send(EmailMessage(row.recipient, row.subject, row.body))
    except EmailDeliveryError as error:
        raise DeliveryFailed(str(error)) from error


EMAIL = Queue("email", OutboxMessage, EMAIL_SCHEDULE, _send_email)


def retry_delay(attempts: int, fraction: float) -> timedelta:
    """An email's wait after `attempts` failed attempts, `fraction` in [0, 1)."""
    return EMAIL_SCHEDULE.delay(attempts, fraction)


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


async def deliver(runtime: Runtime, message_id: UUID) -> bool | None:
    """Claim and send one email (see `deliver_row`)."""
    return await deliver_row(runtime, EMAIL, message_id)


async def deliver_due(runtime: Runtime, limit: int = 50) -> Delivery:
    """Send the emails that are due, oldest first."""
    return await deliver_due_rows(runtime, EMAIL, limit)


async def waiting() -> list[OutboxMessage]:
    """Emails not yet delivered, pending and failed, oldest first."""
    return await waiting_rows(EMAIL)


async def retry(runtime: Runtime, message_id: UUID) -> bool:
    """Make a pending or failed email due now; False when there is no such email."""
    return await retry_row(runtime, EMAIL, message_id)


async def depth() -> int:
    """Emails waiting for delivery."""
    return await OutboxMessage.filter(status=OutboxStatus.PENDING).count()
