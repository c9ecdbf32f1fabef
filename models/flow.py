"""An MFA flow: the stored state of one enrollment or one sign-in challenge.

Each pending session owns exactly one flow. The current one-time code lives here as an HMAC
bound to the flow's id, with the counters that limit guessing and resending.
"""

from __future__ import annotations

from uuid import UUID

from tortoise import fields
from tortoise.models import Model

from models.enums import FlowPurpose, MfaMethod, Step
from models.session import AuthSession
from models.user import User


class MfaFlow(Model):
    """Kratos-style flow record: a typed step, an expiry, and code-verification counters."""

    id = fields.UUIDField(primary_key=True)
    session: fields.OneToOneRelation[AuthSession] = fields.OneToOneField(
        "twofold.AuthSession", related_name="flow", on_delete=fields.CASCADE
    )
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "twofold.User", related_name="flows", on_delete=fields.CASCADE
    )
    session_id: UUID
    user_id: UUID
    purpose = fields.CharEnumField(FlowPurpose, max_length=32)
    step = fields.CharEnumField(Step, max_length=32)
    method = fields.CharEnumField(MfaMethod, max_length=32, null=True)
    phone_sealed = fields.TextField(null=True)
    phone_masked = fields.CharField(max_length=20, null=True)
    code_hmac = fields.CharField(max_length=64, null=True)
    code_expires_at = fields.DatetimeField(null=True)
    code_attempts = fields.IntField(default=0)
    totp_attempts = fields.IntField(default=0, db_default=0)
    totp_secret_sealed = fields.TextField(null=True)
    webauthn_challenge_hmac = fields.CharField(
        max_length=64, null=True, description="Keyed hash of the open WebAuthn challenge."
    )
    webauthn_challenge_expires_at = fields.DatetimeField(null=True)
    failures = fields.IntField(default=0)
    codes_sent = fields.IntField(default=0)
    resend_available_at = fields.DatetimeField(null=True)
    send_claim = fields.CharField(max_length=32, null=True)
    pending_recovery_code_hmac = fields.CharField(max_length=64, null=True)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()
    expires_at = fields.DatetimeField(
        null=True, description="The flow is over after this (null: as long as its session)."
    )

    class Meta:
        table = "mfa_flow"
