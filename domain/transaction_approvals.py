"""Transaction approvals from the service's side: creating one, and redeeming it exactly once;
and from the user's: reading their own, and declining it.

Every change of status is one conditional UPDATE whose WHERE clause holds what must still be
true (the status, the deadline, the hash), so of parallel requests exactly one changes a row, on
SQLite and PostgreSQL alike, and a refused request changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum, auto
from uuid import UUID, uuid4

from tortoise.transactions import in_transaction

from domain import audit, holds, metrics, transaction_payload, webhooks
from domain.policy import policy_for
from domain.runtime import Runtime
from models.hold import Hold
from models.service_client import ServiceClient
from models.transaction_approval import ApprovalStatus, TransactionAction, TransactionApproval
from models.user import User

EXPIRED = "expired"
"""The status an approval shows once its deadline passed (never stored)."""


def shown_status(approval: TransactionApproval, now: datetime) -> str:
    """The stored status, or EXPIRED for a pending or approved one past its deadline."""
    open_ones = (ApprovalStatus.PENDING, ApprovalStatus.APPROVED)
    if approval.status in open_ones and now >= approval.expires_at:
        return EXPIRED
    return approval.status.value


def as_id(typed: str) -> UUID | None:
    try:
        return UUID(typed)
    except ValueError:
        return None


async def create(
    client: ServiceClient,
    user_id: str,
    action: TransactionAction,
    typed: dict[str, object],
    runtime: Runtime,
) -> TransactionApproval | transaction_payload.Invalid | Hold:
    """A new pending approval for `user_id`, the first field that cannot be approved, or the
    hold (the one lasting longest) that refuses `action` for now."""
    user = await User.get_or_none(id=uid) if (uid := as_id(user_id)) else None
    if user is None:
        return transaction_payload.Invalid("userId", "unknown_user")
    if not (await policy_for(user)).usable:
        return transaction_payload.Invalid("userId", "no_second_factor")
    if action in holds.HELD_ACTIONS and (running := await holds.active(runtime, user.id)):
        metrics.TRANSACTION_APPROVALS.labels(action.value, "held").inc()
        return running[0]
    fields = transaction_payload.checked(
        action,
        typed.get("amount_minor"),  # type: ignore[arg-type]
        typed.get("currency"),  # type: ignore[arg-type]
        typed.get("payee_name"),  # type: ignore[arg-type]
        typed.get("payee_reference"),  # type: ignore[arg-type]
        typed.get("description"),  # type: ignore[arg-type]
        runtime.now().date(),
    )
    if isinstance(fields, transaction_payload.Invalid):
        return fields
    approval_id, now = uuid4(), runtime.now()
    payload, digest = transaction_payload.canonical(fields, approval_id, user.id, client.client_id)
    async with in_transaction():
        approval = await TransactionApproval.create(
            id=approval_id,
            user_id=user.id,
            service_client_id=client.id,
            action=fields.action,
            amount_minor=fields.amount_minor,
            currency=fields.currency,
            payee_name=fields.payee_name,
            payee_reference=fields.payee_reference,
            description=fields.description,
            payload=payload,
            payload_hash=digest,
            created_at=now,
            expires_at=now + timedelta(seconds=runtime.settings.transaction_approval_seconds),
        )
        await audit.record(runtime, "transaction", "requested", user.id)
    metrics.TRANSACTION_APPROVALS.labels(action.value, "requested").inc()
    return approval


async def own_approval(typed_id: str, user_id: UUID) -> TransactionApproval | None:
    """The approval with that id when it is this user's; anyone else learns nothing."""
    approval_id = as_id(typed_id)
    if approval_id is None:
        return None
    return await TransactionApproval.get_or_none(id=approval_id, user_id=user_id)


class Refusal(Enum):
    NOT_FOUND = auto()
    EXPIRED = auto()
    DECLINED = auto()
    ALREADY_DECIDED = auto()
    NOT_APPROVED = auto()
    ALREADY_REDEEMED = auto()
    PAYLOAD_HASH_MISMATCH = auto()


def why_not_pending(approval: TransactionApproval, now: datetime) -> Refusal:
    """Why a user can no longer decide this approval."""
    if approval.status is ApprovalStatus.PENDING:
        return Refusal.EXPIRED
    if approval.status is ApprovalStatus.DECLINED:
        return Refusal.DECLINED
    return Refusal.ALREADY_DECIDED


async def decline(approval: TransactionApproval, runtime: Runtime) -> TransactionApproval | Refusal:
    now = runtime.now()
    async with in_transaction():
        declined = await TransactionApproval.filter(
            id=approval.id, status=ApprovalStatus.PENDING, expires_at__gt=now
        ).update(
            status=ApprovalStatus.DECLINED, decided_at=now, code_hmac=None,
            webauthn_challenge_hmac=None,
        )  # fmt: skip
        if declined:
            await decided(approval, "declined", runtime)
    fresh = await TransactionApproval.get(id=approval.id)
    return fresh if declined else why_not_pending(fresh, now)


async def decided(approval: TransactionApproval, outcome: str, runtime: Runtime) -> None:
    """The audit row, metric and webhook of a decision; inside the decision's transaction."""
    await audit.record(runtime, "transaction", outcome, approval.user_id)
    metrics.TRANSACTION_APPROVALS.labels(approval.action.value, outcome).inc()
    user = await User.get(id=approval.user_id)
    await webhooks.queue_event(
        runtime, f"transaction.{outcome}", user, webhooks.Actor.user(user.id),
        approval_id=str(approval.id), action=approval.action.name,
    )  # fmt: skip


@dataclass(frozen=True)
class Redeemed:
    approval: TransactionApproval


async def redeem(
    client: ServiceClient, typed_id: str, payload_hash: str, runtime: Runtime
) -> Redeemed | Refusal:
    """Mark an approved approval redeemed, once: the service then carries the transaction out."""
    approval_id, now = as_id(typed_id), runtime.now()
    if approval_id is None:
        return Refusal.NOT_FOUND
    wanted = payload_hash.strip().lower()
    async with in_transaction():
        won = await TransactionApproval.filter(
            id=approval_id,
            service_client_id=client.id,
            status=ApprovalStatus.APPROVED,
            payload_hash=wanted,
            expires_at__gt=now,
        ).update(status=ApprovalStatus.REDEEMED, redeemed_at=now)
        if won:
            approval = await TransactionApproval.get(id=approval_id)
            await audit.record(runtime, "transaction", "redeemed", approval.user_id)
    if won:
        metrics.TRANSACTION_APPROVALS.labels(approval.action.value, "redeemed").inc()
        return Redeemed(approval)
    found = await TransactionApproval.get_or_none(id=approval_id, service_client_id=client.id)
    if found is None:
        return Refusal.NOT_FOUND
    if found.payload_hash != wanted:
        return Refusal.PAYLOAD_HASH_MISMATCH
    status = shown_status(found, now)
    return {
        ApprovalStatus.REDEEMED.value: Refusal.ALREADY_REDEEMED,
        ApprovalStatus.DECLINED.value: Refusal.DECLINED,
        ApprovalStatus.PENDING.value: Refusal.NOT_APPROVED,
    }.get(status, Refusal.EXPIRED)
