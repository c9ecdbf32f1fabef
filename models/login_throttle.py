"""Password-guessing brakes: consecutive failures and the delay they earned, per key.

A key is a keyed hash of what the brake counts: an account and a source address, an account
alone, or a known device. Keying accounts by the typed email (not the user row) makes unknown
and known emails behave alike, so the brakes reveal nothing about which accounts exist.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class LoginThrottle(Model):
    """One brake. `version` makes every change a compare-and-swap, exact under parallelism."""

    key = fields.CharField(max_length=64, primary_key=True)
    failures = fields.IntField(default=0)
    blocked_until = fields.DatetimeField()
    version = fields.IntField(default=0, db_default=0)

    class Meta:
        table = "login_throttle"
