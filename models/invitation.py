"""Invitations: a company admin (or the operator) asks someone to open an account by email."""

from __future__ import annotations

from uuid import UUID

from tortoise import fields
from tortoise.models import Model

from models.company import Company
from models.enums import PayRole
from models.user import User


class Invitation(Model):
    """One single-use link to open an account, of which only a keyed hash is kept.

    Resending replaces the token, so the older link stops working."""

    id = fields.UUIDField(primary_key=True)
    token_hmac = fields.CharField(max_length=64, unique=True)
    email = fields.CharField(max_length=254, db_index=True)
    pay_role = fields.CharEnumField(PayRole, max_length=16)
    is_company_admin = fields.BooleanField(default=False)
    company: fields.ForeignKeyRelation[Company] = fields.ForeignKeyField(
        "twofold.Company", related_name="invitations", on_delete=fields.CASCADE
    )
    company_id: UUID
    invited_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "twofold.User", related_name="invitations_sent", null=True, on_delete=fields.SET_NULL
    )
    invited_by_id: UUID | None
    created_at = fields.DatetimeField()
    sent_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    accepted_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)
    # The invitee's language, or null for English: their email is written in it and the
    # accepted user keeps it (null: follow the browser).
    locale = fields.CharField(max_length=16, null=True)

    class Meta:
        table = "invitation"
