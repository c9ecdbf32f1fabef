"""resetUserMfa: a company admin clears a user's factors; the user enrolls again at sign-in."""

from __future__ import annotations

import strawberry
from tortoise.transactions import in_transaction

from domain import holds, known_devices, trusted_browsers, webhooks
from domain.accounts import normalize_email
from domain.notifications import factor_change_message, queue_announcement, send_announcement
from graph.context import Context
from graph.guards import require_recent_step_up
from graph.types.errors import (
    CannotResetOwnMfaError,
    NotCompanyAdminError,
    UserNotFoundError,
    UserRequestNotVerifiedError,
)
from graph.types.inputs import ResetUserMfaInput
from graph.types.payloads import UserMfaReset
from graph.types.results import ResetUserMfaResult
from models.hold import HoldReason
from models.security_key import SecurityKey
from models.session import AuthSession
from models.stored_phone import NO_PHONE
from models.user import User

_CLEARED_FACTORS = {
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


async def reset_user_mfa(
    info: strawberry.Info[Context, None], input: ResetUserMfaInput
) -> ResetUserMfaResult:
    context, runtime = info.context, info.context.runtime
    guard = await require_recent_step_up(context, factor_required=True)
    if not isinstance(guard, tuple):
        return guard
    admin = guard[0].user
    if not admin.is_company_admin or admin.company_id is None:
        return NotCompanyAdminError()
    if not input.verified_user_request:
        return UserRequestNotVerifiedError()
    email = normalize_email(input.email)
    if email == admin.email:
        return CannotResetOwnMfaError()
    target = await User.get_or_none(email=email, company_id=admin.company_id)
    if target is None:
        return UserNotFoundError()
    now = runtime.now()
    what = (
        "A company administrator reset your two-factor authentication; you will set it up "
        "again at your next sign-in"
    )
    message = holds.with_notice(
        factor_change_message(target, now, what), runtime, HoldReason.MFA_RESET
    )
    async with in_transaction():
        await User.filter(id=target.id).update(**_CLEARED_FACTORS)
        await SecurityKey.filter(user_id=target.id).delete()
        # Sessions that were proven with the old factors end with them.
        await AuthSession.filter(user_id=target.id, revoked_at__isnull=True).update(revoked_at=now)
        await known_devices.forget_all(target.id)
        await trusted_browsers.forget(target.id)
        queued = await queue_announcement(runtime, "mfa_reset", target, message)
        await webhooks.queue_event(runtime, "mfa.reset", target, webhooks.Actor.admin(admin.id))
        await holds.start(runtime, target, HoldReason.MFA_RESET, webhooks.Actor.admin(admin.id))
    await send_announcement(runtime, "mfa_reset", queued)
    return UserMfaReset(email=target.email)
