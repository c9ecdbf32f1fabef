"""The audit trail of authentication events. It never holds a secret."""

from __future__ import annotations

from uuid import UUID

from tortoise import fields
from tortoise.models import Model

from models.user import User


class AuditEvent(Model):
    """Who did what to which account, when, and from where."""

    id = fields.BigIntField(primary_key=True)
    at = fields.DatetimeField()
    event = fields.CharField(max_length=64)
    outcome = fields.CharField(max_length=32)
    actor_id: UUID | None
    actor: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "twofold.User", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    subject_id: UUID | None
    subject: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "twofold.User", related_name="audit_events", null=True, on_delete=fields.SET_NULL
    )
    ip_address = fields.CharField(max_length=45, default="")
    user_agent = fields.CharField(max_length=255, default="")

    class Meta:
        table = "audit_event"
