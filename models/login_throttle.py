"""Password-guessing brakes per account, keyed by a keyed hash of the typed email.

Keying by the typed email (not the user row) makes unknown and known emails behave alike,
so the brakes reveal nothing about which accounts exist.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class LoginThrottle(Model):
    """Consecutive failures, the delay they earned, and a one-at-a-time verification lease."""

    key = fields.CharField(max_length=64, primary_key=True)
    failures = fields.IntField(default=0)
    blocked_until = fields.DatetimeField()
    verifying_until = fields.DatetimeField(null=True)

    class Meta:
        table = "login_throttle"
