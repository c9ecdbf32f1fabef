"""Sending quotas as slots: a key allowed N texts per window owns N slot rows.

A text takes the slot whose last use is oldest, if that use left the window, by a
compare-and-swap on the slot's version. So at most N texts go out in any sliding window,
however many requests or server processes race for them.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class SendSlot(Model):
    """One of the N uses a quota key has per window."""

    id = fields.BigIntField(primary_key=True)
    key = fields.CharField(max_length=128)
    slot = fields.IntField()
    used_at = fields.DatetimeField()
    version = fields.IntField(default=0)

    class Meta:
        table = "send_slot"
        unique_together = (("key", "slot"),)
