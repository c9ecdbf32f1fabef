"""A cooling-off hold: after a risky account change, payouts and bank-account changes wait.

A hold is a row with timestamps; whether it is active is read from the clock (`until`), never
stored, so nothing has to run when it ends. `released_at` is set when two admins end it early.
"""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from tortoise import fields
from tortoise.models import Model

from models.user import User


class HoldReason(StrEnum):
    """The change that started a hold."""

    MFA_RESET = "mfa_reset"
    RECOVERY_CODE_SIGN_IN = "recovery_code_sign_in"
    PHONE_CHANGE = "phone_change"
    FACTOR_ADDED = "factor_added"
    FACTOR_REMOVED = "factor_removed"
    PASSWORD_CHANGE = "password_change"
    PASSWORD_RESET = "password_reset"


class Hold(Model):
    """One hold on one user, from `started_at` until `until` (or `released_at`)."""

    id = fields.UUIDField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "twofold.User", related_name="holds", on_delete=fields.CASCADE
    )
    user_id: UUID
    reason = fields.CharEnumField(HoldReason, max_length=32)
    started_at = fields.DatetimeField()
    until = fields.DatetimeField(db_index=True)
    released_at = fields.DatetimeField(null=True)
    released_by_id = fields.UUIDField(null=True)
    end_recorded = fields.BooleanField(
        default=False, description="Whether the end is audited (an expiry, when first seen)."
    )

    class Meta:
        table = "account_hold"
