"""resetUserMfa: a company admin clears a user's factors; the user enrolls again at sign-in.
Where the company requires two admins, it only asks: a second admin approves (approveMfaReset)."""

from __future__ import annotations

import strawberry
from tortoise.transactions import in_transaction

from domain import admin_requests, mfa_reset, webhooks
from domain.accounts import normalize_email
from domain.admin_requests import two_admins_required
from graph.context import Context
from graph.guards import require_recent_step_up
from graph.types.admin_request import (
    AdminRequestType,
    MfaResetRequested,
    SecondAdminRequiredError,
)
from graph.types.errors import (
    CannotResetOwnMfaError,
    NotCompanyAdminError,
    UserNotFoundError,
    UserRequestNotVerifiedError,
)
from graph.types.inputs import ResetUserMfaInput
from graph.types.payloads import UserMfaReset
from graph.types.results import ResetUserMfaResult
from models.admin_request import AdminRequestKind
from models.user import User


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
    if await two_admins_required(admin):
        requested = await admin_requests.request(runtime, AdminRequestKind.MFA_RESET, admin, target)
        if requested is None:
            return SecondAdminRequiredError()
        await requested.fetch_related("target", "requester")
        return MfaResetRequested(request=AdminRequestType.from_model(requested))
    async with in_transaction():
        queued = await mfa_reset.apply(runtime, target, webhooks.Actor.admin(admin.id))
    await mfa_reset.send_email(runtime, queued)
    return UserMfaReset(email=target.email)
