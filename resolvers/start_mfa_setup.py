"""startMfaSetup ('Set Up Now'): show the methods this user may enroll."""

from __future__ import annotations

import strawberry

from graph.context import Context
from graph.types.enums import to_method
from graph.types.payloads import MfaMethodSelection
from graph.types.results import StartMfaSetupResult
from models.flow import MfaFlow
from models.state_machine import Event, IllegalTransition, advance
from models.stored_phone import NO_PHONE
from resolvers.answers import wrong_step
from resolvers.flows import flow_for
from resolvers.policy import policy_for


async def start_mfa_setup(info: strawberry.Info[Context, None]) -> StartMfaSetupResult:
    context = info.context
    try:
        flow = await flow_for(context, Event.START_SETUP)
    except IllegalTransition as error:
        return wrong_step(error)
    # Going back to the list drops any half-entered number and outstanding code.
    await MfaFlow.filter(id=flow.id, step=flow.step).update(
        step=advance(flow.purpose, flow.step, Event.START_SETUP),
        method=None,
        **NO_PHONE,
        totp_secret_sealed=None,
        code_hmac=None,
        code_expires_at=None,
        updated_at=context.providers.clock.now(),
    )
    policy = await policy_for(flow.user)
    return MfaMethodSelection(
        allowed_methods=[to_method(m) for m in policy.allowed],
        recommended_method=to_method(policy.recommended),
    )
