"""reauthenticate: prove a second factor again before sensitive changes (step-up)."""

from __future__ import annotations

from datetime import timedelta

import strawberry

from domain.factors import for_method
from domain.policy import policy_for
from domain.sessions import record_step_up, remaining_seconds
from domain.step_up import prove_again
from domain.verification import Verdict
from graph.answers import method_not_allowed, step_up_refusal
from graph.context import Context
from graph.types.enums import from_method
from graph.types.inputs import ReauthenticateInput
from graph.types.payloads import Reauthenticated
from graph.types.results import ReauthenticateResult


async def reauthenticate(
    info: strawberry.Info[Context, None], input: ReauthenticateInput
) -> ReauthenticateResult:
    context, runtime = info.context, info.context.runtime
    session = await context.require_full_session()
    policy = await policy_for(session.user)
    method = from_method(input.method) if input.method else policy.preferred
    if method is None or method not in policy.usable:
        return method_not_allowed(policy.usable)
    check = await prove_again(session, for_method(method, session.user), input.code, runtime)
    if check.verdict is not Verdict.ACCEPTED:
        return step_up_refusal(check, context)
    token = await record_step_up(session, method, runtime)
    window = timedelta(minutes=context.settings.reauthentication_minutes)
    return Reauthenticated(
        valid_until=runtime.now() + window,
        session_token=context.deliver_token(
            token,
            native=context.presented_bearer(),
            max_age_seconds=remaining_seconds(session, runtime.providers.clock),
        ),
    )
