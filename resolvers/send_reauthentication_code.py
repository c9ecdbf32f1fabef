"""sendReauthenticationCode: text a step-up code to a signed-in user's enrolled phone."""

from __future__ import annotations

import strawberry

from graph.context import Context
from graph.types.enums import to_method
from graph.types.errors import MethodNotAllowedError, WrongStepError
from graph.types.results import SendReauthenticationCodeResult
from models.enums import FlowPurpose, MfaMethod, Step
from models.flow import MfaFlow
from models.state_machine import Event, advance
from models.stored_phone import open_phone
from resolvers.answers import send_answer
from resolvers.flows import is_open_step_up, replace_flow
from resolvers.policy import policy_for
from resolvers.sms_delivery import send_code


async def send_reauthentication_code(
    info: strawberry.Info[Context, None],
) -> SendReauthenticationCodeResult:
    context = info.context
    session = await context.require_full_session()
    user = session.user
    policy = await policy_for(user)
    if MfaMethod.SMS not in policy.usable or user.phone_sealed is None:
        return MethodNotAllowedError(allowed_methods=[to_method(m) for m in policy.usable])
    flow = await MfaFlow.get_or_none(session_id=session.id)
    if flow is None or not is_open_step_up(flow):
        # Keep an unfinished step-up flow, so its resend cooldown cannot be skipped.
        flow = await replace_flow(
            session,
            FlowPurpose.REAUTHENTICATION,
            Step.CHALLENGE,
            context,
            phone_sealed=user.phone_sealed,
            phone_masked=user.phone_masked,
        )
    next_step = advance(flow.purpose, flow.step, Event.SEND_REAUTHENTICATION_CODE)
    phone = open_phone(context.settings.secret_key, user.phone_sealed)
    answer = send_answer(await send_code(flow, phone, next_step, context))
    if isinstance(answer, WrongStepError):
        raise AssertionError("a reauthentication flow always accepts a new code")
    return answer
