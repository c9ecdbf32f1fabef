"""A transactional challenge: the user approves exactly one disbursement, bank-account change,
agreement or payments-access grant that a service asked about (PSD2 RTS Art. 4 and 5)."""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from tortoise import fields
from tortoise.models import Model

from models.enums import MfaMethod
from models.service_client import ServiceClient
from models.user import User


class TransactionAction(StrEnum):
    """What is approved."""

    DISBURSEMENT = "disbursement"
    BANK_ACCOUNT_CHANGE = "bank_account_change"
    AGREEMENT_SIGNATURE = "agreement_signature"
    PAYMENTS_ACCESS = "payments_access"


class ApprovalStatus(StrEnum):
    """Where an approval stands; EXPIRED is never stored, it is read from `expires_at`."""

    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"
    REDEEMED = "redeemed"


class TransactionApproval(Model):
    """One approval: what is approved (its canonical JSON and SHA-256), who must approve it,
    the service that asked, and the open challenge (a texted code's keyed hash, a WebAuthn
    challenge's keyed hash) with the wrong answers it has had."""

    id = fields.UUIDField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "twofold.User", related_name="transaction_approvals", on_delete=fields.CASCADE
    )
    user_id: UUID
    service_client: fields.ForeignKeyRelation[ServiceClient] = fields.ForeignKeyField(
        "twofold.ServiceClient", related_name="transaction_approvals", on_delete=fields.CASCADE
    )
    service_client_id: UUID
    action = fields.CharEnumField(TransactionAction, max_length=32)
    amount_minor = fields.BigIntField(null=True)
    currency = fields.CharField(max_length=3, null=True)
    payee_name = fields.CharField(max_length=140, null=True)
    payee_reference = fields.CharField(max_length=64, null=True)
    description = fields.CharField(max_length=280, null=True)
    payload = fields.TextField(description="The RFC 8785 canonical JSON of what is approved.")
    payload_hash = fields.CharField(max_length=64, description="SHA-256 of `payload`, hex.")
    status = fields.CharEnumField(ApprovalStatus, max_length=16, default=ApprovalStatus.PENDING)
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField(db_index=True)
    decided_at = fields.DatetimeField(null=True)
    method = fields.CharEnumField(MfaMethod, max_length=32, null=True)
    amr = fields.CharField(max_length=64, null=True)
    redeemed_at = fields.DatetimeField(null=True)
    code_hmac = fields.CharField(max_length=64, null=True)
    codes_sent = fields.IntField(default=0)
    resend_available_at = fields.DatetimeField(null=True)
    send_claim = fields.CharField(max_length=32, null=True)
    webauthn_challenge_hmac = fields.CharField(max_length=64, null=True)
    failures = fields.IntField(default=0)

    class Meta:
        table = "transaction_approval"
