"""verifyLoginCode: the second factor of a sign-in; success issues the full session."""

from __future__ import annotations

import strawberry
from tortoise.transactions import in_transaction

from graph.context import Context
from graph.types.enums import EnrollmentStep, from_method, to_method
from graph.types.errors import MethodNotAllowedError, WrongStepError
from graph.types.inputs import VerifyLoginCodeInput
from graph.types.results import VerifyLoginCodeResult
from models.enums import MfaMethod
from models.state_machine import Event, IllegalTransition, advance
from models.user import User
from resolvers.answers import code_refusal, wrong_step
from resolvers.code_check import Verdict, check_app_code, check_sms_code
from resolvers.flows import flow_for
from resolvers.policy import policy_for
from resolvers.sign_in import PendingSessionGone, promote_session


async def verify_login_code(
    info: strawberry.Info[Context, None], input: VerifyLoginCodeInput
) -> VerifyLoginCodeResult:
    context = info.context
    try:
        flow = await flow_for(context, Event.VERIFY_LOGIN_CODE)
    except IllegalTransition as error:
        return wrong_step(error)
    policy = await policy_for(flow.user)
    method = from_method(input.method) if input.method else policy.preferred
    if method is None or method not in policy.usable:
        return MethodNotAllowedError(allowed_methods=[to_method(m) for m in policy.usable])
    pending = await context.require_session()
    success = {"step": advance(flow.purpose, flow.step, Event.VERIFY_LOGIN_CODE)}
    try:
        async with in_transaction():
            if method is MfaMethod.AUTHENTICATOR_APP:
                assert flow.user.totp_secret_sealed is not None  # usable means held
                check = await check_app_code(
                    flow, input.code, flow.user.totp_secret_sealed, context, success
                )
            else:
                check = await check_sms_code(flow, input.code, context, success)
            if check.verdict is not Verdict.ACCEPTED:
                return code_refusal(check)
            user = await User.get(id=flow.user_id)
            return await promote_session(pending, user, context)
    except PendingSessionGone:
        # Another request completed this sign-in first; this one's code is spent.
        return WrongStepError(current_step=EnrollmentStep.COMPLETE)
