"""Transaction approvals on the GraphQL surface: what is approved, its inputs and payloads."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from enum import Enum
from typing import Any

import strawberry
from strawberry.extensions import FieldExtension

from domain import transaction_payload
from domain.transaction_approvals import shown_status
from graph.types.enums import MfaMethodType, to_method
from models.enums import MfaMethod
from models.transaction_approval import TransactionAction
from models.transaction_approval import TransactionApproval as StoredApproval


@strawberry.enum(description="What a transaction approval approves.")
class TransactionActionType(Enum):
    DISBURSEMENT = strawberry.enum_value(
        "DISBURSEMENT", description="Money paid out: needs amountMinor, currency and payeeName."
    )
    BANK_ACCOUNT_CHANGE = strawberry.enum_value(
        "BANK_ACCOUNT_CHANGE",
        description="A new bank account for payouts: needs payeeName and payeeReference.",
    )
    AGREEMENT_SIGNATURE = strawberry.enum_value(
        "AGREEMENT_SIGNATURE", description="Signing an agreement: needs a description."
    )
    PAYMENTS_ACCESS = strawberry.enum_value(
        "PAYMENTS_ACCESS", description="Granting access to payments: needs a description."
    )


@strawberry.enum(description="Where a transaction approval stands.")
class TransactionApprovalStatus(Enum):
    PENDING = strawberry.enum_value("PENDING", description="Waiting for the user's decision.")
    APPROVED = strawberry.enum_value(
        "APPROVED", description="Approved by the user; the service may redeem it once."
    )
    DECLINED = strawberry.enum_value("DECLINED", description="Declined by the user.")
    EXPIRED = strawberry.enum_value(
        "EXPIRED", description="Not decided (or, approved, not redeemed) in time."
    )
    REDEEMED = strawberry.enum_value("REDEEMED", description="Redeemed by the service.")


def from_action(action: TransactionActionType) -> TransactionAction:
    return TransactionAction[action.name]


class _AmountInRequestLanguage(FieldExtension):
    """`amountText` in the number format of the request's language (docs/i18n.md)."""

    def resolve(
        self, next_: Callable[..., Any], source: Any, info: strawberry.Info, **kwargs: Any
    ) -> Awaitable[str | None] | None:
        if next_(source, info, **kwargs) is None:
            return None

        async def localized() -> str | None:
            locale = await info.context.locale()
            return transaction_payload.amount_text(source.amount_minor, source.currency, locale)

        return localized()


@strawberry.type(description="A transaction the user is asked to approve, exactly as approved.")
class TransactionApproval:
    id: strawberry.ID = strawberry.field(description="The approval's id (a UUID).")
    action: TransactionActionType = strawberry.field(description="What is approved.")
    amount_minor: int | None = strawberry.field(
        description="The amount in the currency's minor unit (cents for USD), when there is one."
    )
    currency: str | None = strawberry.field(description="ISO 4217 code of the amount.")
    amount_text: str | None = strawberry.field(
        description=(
            "The amount as shown to the user in the request's language, such as "
            "`USD 12,400.00` (en) or `12.400,00 USD` (es)."
        ),
        extensions=[_AmountInRequestLanguage()],
    )
    payee_name: str | None = strawberry.field(description="Who is paid, or whose account it is.")
    payee_reference: str | None = strawberry.field(
        description="The payee's account reference as the service sent it."
    )
    description: str | None = strawberry.field(description="What the user agrees to, in words.")
    status: TransactionApprovalStatus = strawberry.field(description="Where the approval stands.")
    expires_at: datetime = strawberry.field(
        description="Pending: until when it can be approved; approved: until when it can be "
        "redeemed."
    )
    payload: str = strawberry.field(
        description="The RFC 8785 canonical JSON of what is approved (docs/services.md)."
    )
    payload_hash: str = strawberry.field(
        description="SHA-256 of `payload`'s UTF-8 bytes, 64 lowercase hex digits; redeem with it."
    )
    methods: list[MfaMethodType] = strawberry.field(
        description="The factors this user may approve with (never a recovery code)."
    )


def approval_type(
    approval: StoredApproval, now: datetime, methods: list[MfaMethod]
) -> TransactionApproval:
    return TransactionApproval(
        id=strawberry.ID(str(approval.id)),
        action=TransactionActionType[approval.action.name],
        amount_minor=approval.amount_minor,
        currency=approval.currency,
        amount_text=transaction_payload.amount_text(approval.amount_minor, approval.currency),
        payee_name=approval.payee_name,
        payee_reference=approval.payee_reference,
        description=approval.description,
        status=TransactionApprovalStatus[shown_status(approval, now).upper()],
        expires_at=approval.expires_at,
        payload=approval.payload,
        payload_hash=approval.payload_hash,
        methods=[to_method(m) for m in methods],
    )


@strawberry.input(description="What the user is asked to approve (service credential only).")
class CreateTransactionApprovalInput:
    user_id: strawberry.ID = strawberry.field(description="The user who must approve (their id).")
    action: TransactionActionType = strawberry.field(description="What is approved.")
    amount_minor: int | None = strawberry.field(
        default=None, description="A positive amount in the currency's minor unit (cents)."
    )
    currency: str | None = strawberry.field(
        default=None, description="ISO 4217 code of the amount, such as `USD`."
    )
    payee_name: str | None = strawberry.field(default=None, description="Who is paid.")
    payee_reference: str | None = strawberry.field(
        default=None, description="The payee's account reference (its last 4 are texted)."
    )
    description: str | None = strawberry.field(default=None, description="What is agreed to.")


@strawberry.input(description="One transaction approval of the signed-in user.")
class TransactionApprovalInput:
    approval_id: strawberry.ID = strawberry.field(description="The approval's id.")


@strawberry.input(description="The user's answer approving the transaction.")
class ApproveTransactionInput:
    approval_id: strawberry.ID = strawberry.field(description="The approval's id.")
    method: MfaMethodType = strawberry.field(description="The factor the answer is from.")
    code: str = strawberry.field(
        description=(
            "The 6-digit code texted for this approval (SMS) or shown by the app; for "
            "SECURITY_KEY, the JSON of the credential `navigator.credentials.get` returned for "
            "startTransactionKeyChallenge's options (`credential.toJSON()`)."
        )
    )


@strawberry.input(description="The service redeems an approved approval, once.")
class RedeemTransactionApprovalInput:
    approval_id: strawberry.ID = strawberry.field(description="The approval's id.")
    payload_hash: str = strawberry.field(
        description="The `payloadHash` createTransactionApproval answered, hex."
    )


@strawberry.type(description="A transaction approval was created; send the user to /approve/<id>.")
class TransactionApprovalCreated:
    approval: TransactionApproval = strawberry.field(description="The new, pending approval.")


@strawberry.type(description="The user approved the transaction.")
class TransactionApproved:
    approval: TransactionApproval = strawberry.field(description="The approved approval.")


@strawberry.type(description="The user declined the transaction.")
class TransactionDeclined:
    approval: TransactionApproval = strawberry.field(description="The declined approval.")


@strawberry.type(description="A code for this approval was texted; an earlier one stops working.")
class TransactionCodeSent:
    masked_phone_number: str = strawberry.field(description="Where the code went.")
    expires_at: datetime = strawberry.field(description="When the code (and approval) expires.")
    resend_available_at: datetime = strawberry.field(
        description="When another code may be requested."
    )


@strawberry.type(description="A WebAuthn challenge carrying the approval's payload hash.")
class TransactionKeyChallengeStarted:
    request_options: str = strawberry.field(
        description="WebAuthn `PublicKeyCredentialRequestOptionsJSON`, as a JSON string."
    )
    expires_at: datetime = strawberry.field(description="When the challenge stops working.")


@strawberry.type(description="The service redeemed the approval: carry the transaction out now.")
class TransactionApprovalRedeemed:
    approval: TransactionApproval = strawberry.field(description="The redeemed approval.")
    approved_at: datetime = strawberry.field(description="When the user approved.")
    method: MfaMethodType = strawberry.field(description="The factor the user approved with.")
    amr: list[str] = strawberry.field(
        description='RFC 8176 method references of the approval, such as `["sms", "mfa"]`.'
    )
