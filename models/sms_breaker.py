"""The circuit breaker of each SMS route: one row per provider and destination region, shared by
every process on the database."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class BreakerState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class SmsBreaker(Model):
    """A provider for one region: closed (texts go through), open (texts skip it until the
    cool-down after `opened_at` ends) or half-open (one trial text may go through)."""

    id = fields.IntField(primary_key=True)
    provider = fields.CharField(max_length=16)
    country = fields.CharField(max_length=8)
    state = fields.CharEnumField(BreakerState, max_length=16, default=BreakerState.CLOSED)
    failures = fields.IntField(default=0)
    """Errors, time-outs and failed delivery reports since `window_started_at`."""
    window_started_at = fields.DatetimeField(null=True)
    opened_at = fields.DatetimeField(null=True)
    """When it opened, or when its last half-open trial started."""
    updated_at = fields.DatetimeField()

    class Meta:
        table = "sms_breaker"
        unique_together = (("provider", "country"),)
