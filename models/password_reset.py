"""Password resets: a single-use emailed link, and the new password waiting for the factor."""

from __future__ import annotations

from uuid import UUID

from tortoise import fields
from tortoise.models import Model

from models.session import AuthSession
from models.user import User


class PasswordReset(Model):
    """One emailed reset link. Only a keyed hash of its token is kept. A user with a second
    factor proves it before `new_password_hash` becomes their password: until then the hash
    waits here, bound to the pending session that drives the challenge."""

    id = fields.UUIDField(primary_key=True)
    token_hmac = fields.CharField(max_length=64, unique=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "twofold.User", related_name="password_resets", on_delete=fields.CASCADE
    )
    user_id: UUID
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)
    session: fields.ForeignKeyNullableRelation[AuthSession] = fields.ForeignKeyField(
        "twofold.AuthSession", related_name="password_resets", null=True, on_delete=fields.SET_NULL
    )
    session_id: UUID | None
    new_password_hash = fields.CharField(max_length=255, null=True)
    completed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "password_reset"
