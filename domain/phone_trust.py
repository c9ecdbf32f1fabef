"""Phone numbers that sign in but never approve a payment by SMS.

A number that a user of another company verified already (found by its keyed hash, never in
clear), or that `phonenumbers` classifies as VoIP, is easy for someone else to receive texts
on: it stays a sign-in factor, but SMS is not among a transaction approval's methods. Verifying
a number shared across companies is flagged: an audit row, a webhook and a metric.
"""

from __future__ import annotations

from domain import audit, metrics, webhooks
from domain.policy import policy_for
from domain.runtime import Runtime
from models.enums import MfaMethod
from models.phone import is_voip
from models.stored_phone import open_phone
from models.user import User


async def shared_across_companies(user: User, digest: str | None) -> bool:
    """Whether a user of another company (or any company, for a user without one) verified
    the number with this keyed hash."""
    if digest is None:
        return False
    others = User.filter(phone_digest=digest, phone_verified_at__isnull=False).exclude(id=user.id)
    if user.company_id is None:
        return await others.filter(company_id__isnull=False).exists()
    return await others.exclude(company_id=user.company_id).exists()


async def sms_approves(user: User, runtime: Runtime) -> bool:
    """Whether the user's verified number may approve transactions by SMS."""
    if user.phone_sealed is None or user.phone_verified_at is None:
        return False
    if is_voip(open_phone(runtime.secret_key, user.phone_sealed)):
        return False
    return not await shared_across_companies(user, user.phone_digest)


async def approval_methods(user: User, runtime: Runtime) -> list[MfaMethod]:
    """The factors the user may approve a transaction with: the usable ones, less SMS on a
    shared or VoIP number."""
    usable = (await policy_for(user)).usable
    if MfaMethod.SMS in usable and not await sms_approves(user, runtime):
        return [method for method in usable if method is not MfaMethod.SMS]
    return usable


async def flag_if_shared(runtime: Runtime, user: User, digest: str, where: str) -> bool:
    """Flag a number just verified that another company's user holds; inside the change's
    transaction. True when flagged."""
    if not await shared_across_companies(user, digest):
        return False
    await audit.record(runtime, "phone", "shared_across_companies", user.id)
    await webhooks.queue_event(
        runtime, "phone.shared_across_companies", user, webhooks.Actor.user(user.id)
    )
    metrics.SHARED_PHONES.labels(where).inc()
    return True
