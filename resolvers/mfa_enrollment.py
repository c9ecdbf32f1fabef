"""mfaEnrollment: where the current pending or full session stands in enrollment."""

from __future__ import annotations

import strawberry

from domain.flows import live_flow
from domain.policy import policy_for
from graph.context import Context
from graph.types.enrollment import MfaEnrollment
from graph.types.enums import EnrollmentStep, to_method, to_step
from models.enums import MfaMethod, SessionKind


async def mfa_enrollment(info: strawberry.Info[Context, None]) -> MfaEnrollment | None:
    context = info.context
    session = await context.session()
    if session is None:
        return None
    user = session.user
    policy = await policy_for(user)
    allowed = [to_method(m) for m in policy.allowed]
    recommended = to_method(policy.recommended)
    flow = None
    if session.kind is SessionKind.PENDING:
        flow = await live_flow(session, context.runtime)
    if flow is None:
        return MfaEnrollment(
            step=EnrollmentStep.COMPLETE,
            method=to_method(policy.preferred) if policy.preferred else None,
            allowed_methods=allowed,
            recommended_method=recommended,
            masked_phone_number=user.phone_masked,
            code_expires_at=None,
            resend_available_at=None,
            attempts_remaining=None,
        )
    now = context.providers.clock.now()
    code_live = flow.code_expires_at is not None and now < flow.code_expires_at
    method = flow.method or policy.preferred
    resend_at = flow.resend_available_at
    attempts = None
    if code_live:
        attempts = context.settings.sms_code_max_attempts - flow.code_attempts
    elif method is MfaMethod.AUTHENTICATOR_APP:
        attempts = context.settings.app_code_max_attempts - flow.totp_attempts
    return MfaEnrollment(
        step=to_step(flow.step),
        method=to_method(method) if method else None,
        allowed_methods=allowed,
        recommended_method=recommended,
        masked_phone_number=flow.phone_masked,
        code_expires_at=flow.code_expires_at if code_live else None,
        resend_available_at=resend_at if resend_at and resend_at > now else None,
        attempts_remaining=max(0, attempts) if attempts is not None else None,
    )
