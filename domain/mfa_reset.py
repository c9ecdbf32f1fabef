"""An MFA reset: a user's factors, recovery code, lock and sessions are cleared, they enroll
again at their next sign-in, and a 72-hour cooling-off hold starts (domain/holds.py).

Asked by a company admin (resetUserMfa), or, where the company requires two admins, carried out
when a second admin approves the request (domain/admin_requests.py).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain import holds, known_devices, trusted_browsers, webhooks
from domain.notifications import factor_change_message, queue_announcement, send_announcement
from domain.runtime import Runtime
from i18n.markers import N_
from models.hold import HoldReason
from models.security_key import SecurityKey
from models.session import AuthSession
from models.stored_phone import NO_PHONE
from models.user import User

EVENT = "mfa_reset"
CLEARED_FACTORS: dict[str, Any] = {
    **NO_PHONE,
    "phone_verified_at": None,
    "phone_digest": None,
    "totp_secret_sealed": None,
    "totp_added_at": None,
    "totp_last_step": None,
    "security_key_added_at": None,
    "preferred_method": None,
    "recovery_code_hmac": None,
    "recovery_code_created_at": None,
    "mfa_enrolled_at": None,
    "second_factor_failures": 0,
    "second_factor_locked_at": None,
}
_WHAT = N_(
    "A company administrator reset your two-factor authentication; you will set it up "
    "again at your next sign-in"
)


async def apply(runtime: Runtime, target: User, actor: webhooks.Actor) -> UUID:
    """Reset inside the caller's transaction; returns the queued email's id (send it after)."""
    now = runtime.now()
    message = holds.with_notice(
        factor_change_message(target, now, _WHAT), runtime, HoldReason.MFA_RESET
    )
    await User.filter(id=target.id).update(**CLEARED_FACTORS)
    await SecurityKey.filter(user_id=target.id).delete()
    # Sessions that were proven with the old factors end with them.
    await AuthSession.filter(user_id=target.id, revoked_at__isnull=True).update(revoked_at=now)
    await known_devices.forget_all(target.id)
    await trusted_browsers.forget(target.id)
    queued = await queue_announcement(runtime, EVENT, target, message)
    await webhooks.queue_event(runtime, "mfa.reset", target, actor)
    await holds.start(runtime, target, HoldReason.MFA_RESET, actor)
    return queued


async def send_email(runtime: Runtime, queued: UUID) -> None:
    await send_announcement(runtime, EVENT, queued)
