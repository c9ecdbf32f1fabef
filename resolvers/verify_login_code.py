"""verifyLoginCode: the second factor of a sign-in; success issues the full session."""

from __future__ import annotations

import strawberry
from tortoise.transactions import in_transaction

from graph.context import Context
from graph.types.enums import EnrollmentStep
from graph.types.errors import WrongStepError
from graph.types.inputs import VerifyLoginCodeInput
from graph.types.results import VerifyLoginCodeResult
from models.state_machine import Event, IllegalTransition, advance
from models.user import User
from resolvers.answers import code_refusal, wrong_step
from resolvers.code_check import Verdict, check_code
from resolvers.flows import flow_for
from resolvers.sign_in import PendingSessionGone, promote_session


async def verify_login_code(
    info: strawberry.Info[Context, None], input: VerifyLoginCodeInput
) -> VerifyLoginCodeResult:
    context = info.context
    try:
        flow = await flow_for(context, Event.VERIFY_LOGIN_CODE)
    except IllegalTransition as error:
        return wrong_step(error)
    pending = await context.require_session()
    try:
        async with in_transaction():
            next_step = advance(flow.step, Event.VERIFY_LOGIN_CODE)
            check = await check_code(flow, input.code, context, on_success={"step": next_step})
            if check.verdict is not Verdict.ACCEPTED:
                return code_refusal(check)
            user = await User.get(id=flow.user.id)
            return await promote_session(pending, user, context)
    except PendingSessionGone:
        # Another request completed this sign-in first; this one's code is spent.
        return WrongStepError(current_step=EnrollmentStep.COMPLETE)
