"""A change one company admin asked for that waits for a second admin of the same company.

`kind` says what is asked: an MFA reset of `target`, or ending a hold early. Deciding is one
conditional UPDATE on `approved_at IS NULL`, so of two admins approving at once one wins.
"""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from tortoise import fields
from tortoise.models import Model

from models.company import Company
from models.user import User


class AdminRequestKind(StrEnum):
    MFA_RESET = "mfa_reset"
    HOLD_RELEASE = "hold_release"


class AdminRequest(Model):
    """One request, pending until approved or past `expires_at`."""

    id = fields.UUIDField(primary_key=True)
    kind = fields.CharEnumField(AdminRequestKind, max_length=16)
    company: fields.ForeignKeyRelation[Company] = fields.ForeignKeyField(
        "twofold.Company", related_name="admin_requests", on_delete=fields.CASCADE
    )
    company_id: UUID
    requester: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "twofold.User", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    requester_id: UUID | None
    target: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "twofold.User", related_name="admin_requests", on_delete=fields.CASCADE
    )
    target_id: UUID
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField(db_index=True)
    approved_at = fields.DatetimeField(null=True)
    approver_id = fields.UUIDField(null=True, description="The admin, or null for the operator.")

    class Meta:
        table = "admin_request"
