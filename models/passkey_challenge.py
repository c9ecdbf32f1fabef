"""Challenges of passkey sign-ins, which begin before anyone is known (so there is no flow)."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class PasskeyChallenge(Model):
    """One open passkey sign-in challenge: only its keyed hash, deleted when answered."""

    id = fields.BigIntField(primary_key=True)
    challenge_hmac = fields.CharField(max_length=64, unique=True)
    expires_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "passkey_challenge"
