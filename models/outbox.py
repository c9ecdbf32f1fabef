"""Security emails waiting to be delivered: written in the transaction of the change they
report, claimed by one sender at a time, retried with backoff until delivered."""

from __future__ import annotations

from enum import StrEnum
from uuid import uuid4

from tortoise import fields
from tortoise.models import Model


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class QueuedRow(Model):
    """The columns the outbox machinery (domain/outbox.py) claims, retries and fails rows by,
    shared by every kind of queued row (emails, webhook deliveries)."""

    status = fields.CharEnumField(OutboxStatus, max_length=16, default=OutboxStatus.PENDING)
    attempts = fields.IntField(default=0)
    last_error = fields.CharField(max_length=200, null=True)
    created_at = fields.DatetimeField()
    next_attempt_at = fields.DatetimeField(db_index=True)
    claim = fields.CharField(max_length=32, null=True)
    claimed_until = fields.DatetimeField(null=True)
    sent_at = fields.DatetimeField(null=True)

    class Meta:
        abstract = True


class OutboxMessage(QueuedRow):
    """One email. A sender claims it by setting `claim` and `claimed_until` with a conditional
    UPDATE; a claim that outlives `claimed_until` (a crashed sender) may be taken over."""

    id = fields.UUIDField(primary_key=True, default=uuid4)
    event = fields.CharField(max_length=64)
    recipient = fields.CharField(max_length=320)
    subject = fields.CharField(max_length=200)
    body = fields.TextField()

    class Meta:
        table = "email_outbox"
