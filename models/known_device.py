"""Devices that completed a sign-in: their owner gets through password throttling that slows
everyone else down (OWASP's device cookies against account lockout)."""

from __future__ import annotations

from uuid import UUID

from tortoise import fields
from tortoise.models import Model

from models.user import User


class KnownDevice(Model):
    """A browser or app that signed in as its user. Only a keyed hash of its token is kept."""

    id = fields.UUIDField(primary_key=True)
    token_hmac = fields.CharField(max_length=64, unique=True)
    account_key = fields.CharField(
        max_length=64, description="Keyed hash of the sign-in email the device signed in with."
    )
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "twofold.User", related_name="known_devices", on_delete=fields.CASCADE
    )
    user_id: UUID
    created_at = fields.DatetimeField()
    last_used_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()

    class Meta:
        table = "known_device"
