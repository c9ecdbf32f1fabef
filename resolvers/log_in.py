"""logIn: password check, then the right next screen for the user."""

from __future__ import annotations

import strawberry

from graph.context import Context
from graph.types.enums import ClientKind, to_method
from graph.types.errors import AccountLockedError, InvalidCredentialsError, RateLimitedError
from graph.types.inputs import LogInInput
from graph.types.payloads import MfaChallengeRequired, MfaSetupRequired
from graph.types.results import LogInResult
from models.enums import FlowPurpose, MfaMethod, SessionKind, Step
from resolvers import known_devices
from resolvers.flows import start_flow
from resolvers.password_brakes import Braked, verify_password
from resolvers.policy import policy_for
from resolvers.sessions import lifetime_seconds, start_session
from resolvers.sign_in import signed_in


def normalize_email(email: str) -> str:
    return email.strip().lower()


async def log_in(info: strawberry.Info[Context, None], input: LogInInput) -> LogInResult:
    context = info.context
    email = normalize_email(input.email)
    native = input.client is ClientKind.NATIVE
    device = await known_devices.recognise(
        input.device_token or context.facts.device_cookie, email, context
    )
    try:
        user = await verify_password(email, input.password, device, context)
    except Braked as brake:
        return RateLimitedError(retry_after_seconds=brake.retry_after_seconds)
    if user is None:
        return InvalidCredentialsError()
    if user.second_factor_locked_at is not None:
        return AccountLockedError()

    policy = await policy_for(user)
    # A factor policy no longer allows (a payee turned payor) cannot sign in: enroll anew.
    must_enroll = not policy.usable and (user.mfa_required or user.mfa_enrolled)
    kind = SessionKind.PENDING if policy.usable or must_enroll else SessionKind.FULL
    session, token = await start_session(
        user,
        kind,
        context.settings,
        context.providers,
        context.meta,
        known_device_id=device.id if device else None,
    )
    if kind is SessionKind.FULL:
        return await signed_in(session, token, user, context, native=native)
    delivered = context.deliver_token(
        token, native=native, max_age_seconds=lifetime_seconds(session)
    )
    if policy.usable:
        await start_flow(session, user, FlowPurpose.LOGIN, Step.CHALLENGE, context)
        return MfaChallengeRequired(
            pending_token=delivered,
            methods=[to_method(m) for m in policy.usable],
            preferred_method=to_method(policy.preferred) if policy.preferred else None,
            masked_phone_number=user.phone_masked if MfaMethod.SMS in policy.usable else None,
        )
    await start_flow(session, user, FlowPurpose.ENROLLMENT, Step.SETUP_REQUIRED, context)
    return MfaSetupRequired(pending_token=delivered)
