"""Security keys and passkeys (WebAuthn credentials): the public key a user's authenticator
registered, with its signature counter and backup flags."""

from __future__ import annotations

from uuid import UUID

from tortoise import fields
from tortoise.models import Model

from models.user import User


class SecurityKey(Model):
    """One WebAuthn credential. Only public data is kept: nothing here can sign in by itself."""

    id = fields.UUIDField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "twofold.User", related_name="security_keys", on_delete=fields.CASCADE
    )
    user_id: UUID
    credential_id = fields.CharField(
        max_length=1400, unique=True, description="The credential id, base64url."
    )
    public_key = fields.TextField(description="The COSE public key, base64url.")
    sign_count = fields.BigIntField(default=0)
    backup_eligible = fields.BooleanField(default=False)
    backed_up = fields.BooleanField(default=False)
    name = fields.CharField(max_length=64)
    created_at = fields.DatetimeField()
    last_used_at = fields.DatetimeField(null=True)
    enabled_at = fields.DatetimeField(
        null=True,
        description="When the key began to count as a factor (null: enrollment unfinished).",
    )

    class Meta:
        table = "security_key"
