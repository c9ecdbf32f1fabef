"""sendLoginCode: text a sign-in code to the enrolled number (also serves as resend)."""

from __future__ import annotations

import strawberry

from graph.context import Context
from graph.types.enums import to_method
from graph.types.errors import MethodNotAllowedError
from graph.types.results import SendLoginCodeResult
from models.enums import MfaMethod
from models.state_machine import Event, IllegalTransition, advance
from models.stored_phone import open_phone
from resolvers.answers import send_answer, wrong_step
from resolvers.flows import flow_for
from resolvers.policy import policy_for
from resolvers.sms_delivery import send_code


async def send_login_code(info: strawberry.Info[Context, None]) -> SendLoginCodeResult:
    context = info.context
    try:
        flow = await flow_for(context, Event.SEND_LOGIN_CODE)
    except IllegalTransition as error:
        return wrong_step(error)
    policy = await policy_for(flow.user)
    if MfaMethod.SMS not in policy.usable or flow.phone_sealed is None:
        return MethodNotAllowedError(allowed_methods=[to_method(m) for m in policy.usable])
    phone = open_phone(context.settings.secret_key, flow.phone_sealed)
    outcome = await send_code(
        flow, phone, advance(flow.purpose, flow.step, Event.SEND_LOGIN_CODE), context
    )
    return send_answer(outcome)
