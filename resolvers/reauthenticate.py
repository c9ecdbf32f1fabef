"""reauthenticate: prove a second factor again before sensitive changes (step-up)."""

from __future__ import annotations

from datetime import timedelta

import strawberry

from graph.context import Context
from graph.types.enums import from_method, to_method
from graph.types.errors import CodeExpiredError, MethodNotAllowedError
from graph.types.inputs import ReauthenticateInput
from graph.types.payloads import Reauthenticated
from graph.types.results import ReauthenticateResult
from models.enums import FlowPurpose, MfaMethod, Step
from models.flow import MfaFlow
from models.state_machine import Event, advance
from resolvers.answers import step_up_refusal
from resolvers.code_check import Verdict, app_codes_spent, check_app_code, check_sms_code
from resolvers.flows import is_open_step_up, replace_flow
from resolvers.policy import policy_for
from resolvers.sessions import remaining_seconds, step_up


async def reauthenticate(
    info: strawberry.Info[Context, None], input: ReauthenticateInput
) -> ReauthenticateResult:
    context = info.context
    session = await context.require_full_session()
    user = session.user
    policy = await policy_for(user)
    method = from_method(input.method) if input.method else policy.preferred
    if method is None or method not in policy.usable:
        return MethodNotAllowedError(allowed_methods=[to_method(m) for m in policy.usable])
    flow: MfaFlow | None = await MfaFlow.get_or_none(session_id=session.id)
    if flow is None or not is_open_step_up(flow):
        if method is MfaMethod.SMS:
            return CodeExpiredError()  # no code was sent for a step-up yet
        flow = await replace_flow(session, FlowPurpose.REAUTHENTICATION, Step.CHALLENGE, context)
    elif method is MfaMethod.AUTHENTICATOR_APP and app_codes_spent(flow, context):
        # App codes have no resend: a fresh challenge keeps the consecutive failures, so the
        # tenth wrong code still signs the user out and the account lock still counts.
        flow = await replace_flow(
            session, FlowPurpose.REAUTHENTICATION, Step.CHALLENGE, context, failures=flow.failures
        )
    success = {"step": advance(flow.purpose, flow.step, Event.REAUTHENTICATE)}
    if method is MfaMethod.AUTHENTICATOR_APP:
        assert user.totp_secret_sealed is not None  # usable means held
        check = await check_app_code(flow, input.code, user.totp_secret_sealed, context, success)
    else:
        check = await check_sms_code(flow, input.code, context, success)
    if check.verdict is not Verdict.ACCEPTED:
        return step_up_refusal(check)
    token = await step_up(session, context.providers)
    clock = context.providers.clock
    return Reauthenticated(
        valid_until=clock.now() + timedelta(minutes=context.settings.reauthentication_minutes),
        session_token=context.deliver_token(
            token,
            native=context.presented_bearer(),
            max_age_seconds=remaining_seconds(session, clock),
        ),
    )
