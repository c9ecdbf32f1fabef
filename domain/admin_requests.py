"""Changes that need two company admins: one asks, a different admin of the same company (or
the operator, from the command line) approves within 24 hours.

An MFA reset in a company with `require_two_admins_for_mfa_reset`, and ending a cooling-off
hold early (always). Approving is one conditional UPDATE on `approved_at IS NULL` in the
transaction that carries the change out: of two admins approving at once, one wins, once.
"""

from __future__ import annotations

from datetime import timedelta
from enum import Enum, auto
from uuid import UUID, uuid4

from tortoise.transactions import in_transaction

from domain import audit, holds, mfa_reset, webhooks
from domain.runtime import Runtime
from models.admin_request import AdminRequest, AdminRequestKind
from models.company import Company
from models.user import User

REQUEST_HOURS = 24
"""How long a request waits for its second admin: a working day, in any time zone."""


class Refusal(Enum):
    NOT_FOUND = auto()
    EXPIRED = auto()
    ALREADY_APPROVED = auto()
    REQUESTER = auto()
    TARGET = auto()


async def two_admins_required(admin: User) -> bool:
    """Whether the admin's company makes an MFA reset wait for a second admin."""
    company = await Company.get_or_none(id=admin.company_id) if admin.company_id else None
    return bool(company and company.require_two_admins_for_mfa_reset)


async def request(
    runtime: Runtime, kind: AdminRequestKind, admin: User, target: User
) -> AdminRequest | None:
    """A pending request by `admin` about `target`; None when no other admin of the company
    could approve it (the company has one admin)."""
    assert admin.company_id is not None
    others = User.filter(company_id=admin.company_id, is_company_admin=True).exclude(id=admin.id)
    if not await others.exclude(id=target.id).exists():
        return None
    now = runtime.now()
    async with in_transaction():
        created = await AdminRequest.create(
            id=uuid4(), kind=kind, company_id=admin.company_id, requester_id=admin.id,
            target_id=target.id, created_at=now, expires_at=now + timedelta(hours=REQUEST_HOURS),
        )  # fmt: skip
        await audit.record(runtime, kind.value, "requested", target.id, admin.id)
    return created


async def pending(
    runtime: Runtime, company_id: UUID | None = None, kind: AdminRequestKind | None = None
) -> list[AdminRequest]:
    """Requests still waiting (of one company, of one kind), oldest first, with their users."""
    query = AdminRequest.filter(approved_at__isnull=True, expires_at__gt=runtime.now())
    if company_id is not None:
        query = query.filter(company_id=company_id)
    if kind is not None:
        query = query.filter(kind=kind)
    return await query.order_by("created_at").prefetch_related("target", "requester", "company")


def _as_id(typed: str) -> UUID | None:
    try:
        return UUID(typed)
    except ValueError:
        return None


async def approve(
    runtime: Runtime, typed_id: str, kind: AdminRequestKind, approver: User | None
) -> AdminRequest | Refusal:
    """Approve and carry out the request, as the admin `approver` (None: the operator)."""
    request_id, now = _as_id(typed_id), runtime.now()
    found = await AdminRequest.get_or_none(id=request_id, kind=kind) if request_id else None
    if found is None or (approver is not None and found.company_id != approver.company_id):
        return Refusal.NOT_FOUND
    if approver is not None and approver.id == found.requester_id:
        return Refusal.REQUESTER
    if approver is not None and approver.id == found.target_id:
        return Refusal.TARGET
    approver_id = approver.id if approver else None
    actor = webhooks.Actor.admin(approver.id) if approver else webhooks.OPERATOR
    queued = None
    async with in_transaction():
        won = await AdminRequest.filter(
            id=found.id, approved_at__isnull=True, expires_at__gt=now
        ).update(approved_at=now, approver_id=approver_id)
        if won:
            await audit.record(runtime, kind.value, "approved", found.target_id, approver_id)
            target = await User.get(id=found.target_id)
            if kind is AdminRequestKind.MFA_RESET:
                queued = await mfa_reset.apply(runtime, target, actor)
            else:
                await holds.release(runtime, target, actor)
    if queued is not None:
        await mfa_reset.send_email(runtime, queued)
    fresh = await AdminRequest.get(id=found.id)
    if won:
        return fresh
    return Refusal.ALREADY_APPROVED if fresh.approved_at else Refusal.EXPIRED
