"""verifyLoginCode: the second factor of a sign-in; success issues the full session."""

from __future__ import annotations

import strawberry
from tortoise.transactions import in_transaction

from domain import password_reset, proofs, trusted_browsers
from domain.factors import for_method
from domain.policy import policy_for
from domain.sign_in import PendingSessionGone, promote_session
from domain.verification import Verdict, verify
from graph.answers import code_refusal, logged_in, method_not_allowed, wrong_step
from graph.context import Context
from graph.types.enums import EnrollmentStep, from_method
from graph.types.errors import WrongStepError
from graph.types.inputs import VerifyLoginCodeInput
from graph.types.results import VerifyLoginCodeResult
from models.state_machine import Event, IllegalTransition
from models.user import User


async def verify_login_code(
    info: strawberry.Info[Context, None], input: VerifyLoginCodeInput
) -> VerifyLoginCodeResult:
    context, runtime = info.context, info.context.runtime
    event = Event.VERIFY_LOGIN_CODE
    try:
        flow = await context.flow_for(event)
    except IllegalTransition as error:
        return wrong_step(error)
    policy = await policy_for(flow.user)
    method = from_method(input.method) if input.method else policy.preferred
    if method is None or method not in policy.usable:
        return method_not_allowed(policy.usable)
    pending = await context.require_session()
    try:
        async with in_transaction():
            check = await verify(flow, for_method(method, flow.user), input.code, event, runtime)
            if check.verdict is not Verdict.ACCEPTED:
                return code_refusal(check, context)
            user = await User.get(id=flow.user_id)
            proof = proofs.password_and(method, runtime.now())
            signed = await promote_session(pending, user, runtime, proof)
    except PendingSessionGone:
        # Another request completed this sign-in first; this one's code is spent.
        return WrongStepError(current_step=EnrollmentStep.COMPLETE)
    await password_reset.deliver(runtime, signed.notice)
    native = context.presented_bearer()
    if input.trust_browser and not native:
        trusted = await trusted_browsers.trust(user, runtime)
        if trusted is not None:
            context.deliver_trusted_browser_token(trusted)
    return logged_in(signed, context, native=native)
