"""mfaEnrollment: where the current pending or full session stands in enrollment."""

from __future__ import annotations

import strawberry

from graph.context import Context
from graph.types.enrollment import MfaEnrollment
from graph.types.enums import EnrollmentStep, to_method, to_step
from models.enums import FlowPurpose, SessionKind
from models.flow import MfaFlow
from models.phone import mask_phone_number
from models.policy import allowed_methods, recommended_method


async def mfa_enrollment(info: strawberry.Info[Context, None]) -> MfaEnrollment | None:
    context = info.context
    session = await context.session()
    if session is None:
        return None
    user = session.user
    allowed = [to_method(m) for m in allowed_methods(user.pay_role)]
    recommended = recommended_method(user.pay_role)
    flow = None
    if session.kind is SessionKind.PENDING:
        flow = await MfaFlow.get_or_none(session_id=session.id)
    if flow is None:
        return MfaEnrollment(
            step=EnrollmentStep.COMPLETE,
            method=to_method(user.mfa_methods[0]) if user.mfa_methods else None,
            allowed_methods=allowed,
            recommended_method=to_method(recommended) if recommended else None,
            masked_phone_number=mask_phone_number(user.phone_e164),
            code_expires_at=None,
            resend_available_at=None,
            attempts_remaining=None,
        )
    now = context.providers.clock.now()
    code_live = flow.code_expires_at is not None and now < flow.code_expires_at
    method = flow.method or (user.mfa_methods[0] if flow.purpose is FlowPurpose.LOGIN else None)
    resend_at = flow.resend_available_at
    return MfaEnrollment(
        step=to_step(flow.step),
        method=to_method(method) if method else None,
        allowed_methods=allowed,
        recommended_method=to_method(recommended) if recommended else None,
        masked_phone_number=mask_phone_number(flow.phone_e164),
        code_expires_at=flow.code_expires_at if code_live else None,
        resend_available_at=resend_at if resend_at and resend_at > now else None,
        attempts_remaining=(
            max(0, context.settings.sms_code_max_attempts - flow.code_attempts)
            if code_live
            else None
        ),
    )
