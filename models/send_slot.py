"""Sending quotas as slots: a key allowed N texts per window owns N slot rows, used in turn.

A key's head row (slot -1) counts its takes in `version`; the next take uses slot
`version mod N`, which is always the slot used longest ago, if that use left the window. The
head row is locked for the take's transaction, so at most N texts go out in any sliding window,
however many requests or server processes race for them, and a take reads two rows whatever N.
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
