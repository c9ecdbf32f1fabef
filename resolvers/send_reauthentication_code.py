"""sendReauthenticationCode: text a step-up code to a signed-in user's enrolled phone."""

from __future__ import annotations

import strawberry

from domain.policy import policy_for
from domain.step_up import texted_challenge
from domain.texting import send_code
from graph.answers import method_not_allowed, send_answer
from graph.context import Context
from graph.types.errors import WrongStepError
from graph.types.results import SendReauthenticationCodeResult
from models.enums import MfaMethod
from models.state_machine import Event
from models.stored_phone import open_phone


async def send_reauthentication_code(
    info: strawberry.Info[Context, None],
) -> SendReauthenticationCodeResult:
    context, runtime = info.context, info.context.runtime
    session = await context.require_full_session()
    user = session.user
    policy = await policy_for(user)
    if MfaMethod.SMS not in policy.usable or user.phone_sealed is None:
        return method_not_allowed(policy.usable)
    flow = await texted_challenge(session, runtime)
    phone = open_phone(runtime.secret_key, user.phone_sealed)
    answer = send_answer(await send_code(flow, phone, Event.SEND_REAUTHENTICATION_CODE, runtime))
    if isinstance(answer, WrongStepError):
        raise AssertionError("a reauthentication flow always accepts a new code")
    return answer
