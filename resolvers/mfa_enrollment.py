"""mfaEnrollment: which screen the current session is at, with the data to show it again."""

from __future__ import annotations

from datetime import datetime, timedelta

import strawberry

from domain import delivery_reports, trusted_browsers
from domain.flows import live_flow
from domain.policy import UserPolicy, policy_for
from graph.answers import authenticator_app_setup
from graph.context import Context
from graph.phone_input import allowed_countries
from graph.types.enrollment import MfaEnrollment
from graph.types.enums import EnrollmentStep, SmsDeliveryStatus, to_method, to_step
from models.enums import MfaMethod, SessionKind, Step
from models.flow import MfaFlow
from models.sealing import Sealed, unseal
from models.session import AuthSession

_NOT_DELIVERED = (SmsDeliveryStatus.DELIVERY_FAILED, SmsDeliveryStatus.EXPIRED)


async def mfa_enrollment(info: strawberry.Info[Context, None]) -> MfaEnrollment | None:
    context = info.context
    session = await context.session()
    if session is None:
        return None
    policy = await policy_for(session.user)
    flow = await live_flow(session, context.runtime)
    status = _session_status(session, policy, context)
    if flow is None or flow.step is Step.COMPLETE:
        return status
    status = _with_flow(status, flow, policy, context)
    if status.code_expires_at is not None:
        delivery = await delivery_reports.current_status(flow)
        status.sms_delivery_status = SmsDeliveryStatus(delivery) if delivery else None
        status.last_text_not_delivered = status.sms_delivery_status in _NOT_DELIVERED
    if flow.step is Step.CHALLENGE and await trusted_browsers.allowed_for(
        session.user, context.runtime
    ):
        status.trust_browser_days = context.settings.trusted_browser_days
    return status


def _session_status(session: AuthSession, policy: UserPolicy, context: Context) -> MfaEnrollment:
    """A session with no step in progress: enrollment is complete (or not needed)."""
    signed_in = session.kind is SessionKind.FULL
    return MfaEnrollment(
        step=EnrollmentStep.COMPLETE,
        signed_in=signed_in,
        method=to_method(policy.preferred) if policy.preferred else None,
        allowed_methods=[to_method(m) for m in policy.allowed],
        recommended_method=to_method(policy.recommended),
        masked_phone_number=session.user.phone_masked,
        code_expires_at=None,
        resend_available_at=None,
        attempts_remaining=None,
        methods=[to_method(m) for m in policy.usable],
        preferred_method=to_method(policy.preferred) if policy.preferred else None,
        reauthenticated_until=_reauthenticated_until(session, context) if signed_in else None,
        sms_countries=allowed_countries(context) if MfaMethod.SMS in policy.allowed else [],
    )


def _with_flow(
    status: MfaEnrollment, flow: MfaFlow, policy: UserPolicy, context: Context
) -> MfaEnrollment:
    """The step of the flow in progress, with its code, resend time, attempts and app setup."""
    now = context.runtime.now()
    settings = context.settings
    code_live = flow.code_expires_at is not None and now < flow.code_expires_at
    method = flow.method or policy.preferred
    attempts = None
    if code_live:
        attempts = settings.sms_code_max_attempts - flow.code_attempts
    elif method is MfaMethod.AUTHENTICATOR_APP:
        attempts = settings.app_code_max_attempts - flow.totp_attempts
    resend_at = flow.resend_available_at
    status.step = to_step(flow.step)
    status.method = to_method(method) if method else None
    status.masked_phone_number = flow.phone_masked
    status.code_expires_at = flow.code_expires_at if code_live else None
    status.resend_available_at = resend_at if resend_at and resend_at > now else None
    status.attempts_remaining = max(0, attempts) if attempts is not None else None
    if flow.step is Step.AUTHENTICATOR_APP_SCAN and flow.totp_secret_sealed:
        secret = unseal(settings.secret_key, Sealed.TOTP_SECRET, flow.totp_secret_sealed)
        status.authenticator_app_setup = authenticator_app_setup(secret, flow.user.email, context)
    return status


def _reauthenticated_until(session: AuthSession, context: Context) -> datetime | None:
    proven = session.second_factor_at
    if proven is None:
        return None
    until = proven + timedelta(minutes=context.settings.reauthentication_minutes)
    return until if until > context.runtime.now() else None
