"""Trusted browsers: a browser remembered after a second factor, so sign-in skips the challenge."""

from __future__ import annotations

from uuid import UUID

from tortoise import fields
from tortoise.models import Model

from models.user import User


class TrustedBrowser(Model):
    """One remembered browser of one user. Only a keyed hash of its cookie's secret is kept."""

    id = fields.UUIDField(primary_key=True)
    token_hmac = fields.CharField(max_length=64, unique=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "twofold.User", related_name="trusted_browsers", on_delete=fields.CASCADE
    )
    user_id: UUID
    user_agent = fields.CharField(max_length=255, default="")
    created_at = fields.DatetimeField()
    last_used_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()

    class Meta:
        table = "trusted_browser"
