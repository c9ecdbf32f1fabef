"""sendLoginCode: text a sign-in code to the enrolled number (also serves as resend)."""

from __future__ import annotations

import strawberry

from domain.policy import policy_for
from domain.texting import send_code
from graph.answers import method_not_allowed, send_answer, wrong_step
from graph.context import Context
from graph.types.results import SendLoginCodeResult
from models.enums import MfaMethod
from models.state_machine import Event, IllegalTransition
from models.stored_phone import open_phone


async def send_login_code(info: strawberry.Info[Context, None]) -> SendLoginCodeResult:
    context = info.context
    try:
        flow = await context.flow_for(Event.SEND_LOGIN_CODE)
    except IllegalTransition as error:
        return wrong_step(error)
    policy = await policy_for(flow.user)
    if MfaMethod.SMS not in policy.usable or flow.phone_sealed is None:
        return method_not_allowed(policy.usable)
    phone = open_phone(context.settings.secret_key, flow.phone_sealed)
    return send_answer(await send_code(flow, phone, Event.SEND_LOGIN_CODE, context.runtime))
