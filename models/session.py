"""Server-side sessions. Only the SHA-256 of a token is stored."""

from __future__ import annotations

from uuid import UUID

from tortoise import fields
from tortoise.models import Model

from models.enums import SessionKind
from models.known_device import KnownDevice
from models.user import User


class AuthSession(Model):
    """A pending session (password passed, MFA not yet) or a full session (signed in)."""

    id = fields.UUIDField(primary_key=True)
    token_sha256 = fields.CharField(max_length=64, unique=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "twofold.User", related_name="sessions", on_delete=fields.CASCADE
    )
    user_id: UUID
    kind = fields.CharEnumField(SessionKind, max_length=16)
    created_at = fields.DatetimeField()
    last_seen_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    revoked_at = fields.DatetimeField(null=True)
    second_factor_at = fields.DatetimeField(null=True)
    proofs = fields.CharField(max_length=1024, default="", db_default="")
    """The factors proven in this session and when (domain/proofs.py reads and writes it)."""
    known_device: fields.ForeignKeyNullableRelation[KnownDevice] = fields.ForeignKeyField(
        "twofold.KnownDevice", related_name="sessions", null=True, on_delete=fields.SET_NULL
    )
    known_device_id: UUID | None
    transaction_failures = fields.IntField(
        default=0, db_default=0, description="Wrong transactional codes in a row in this session."
    )
    ip_address = fields.CharField(max_length=45, default="")
    user_agent = fields.CharField(max_length=255, default="")

    class Meta:
        table = "auth_session"
