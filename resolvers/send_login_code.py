"""sendLoginCode: text a sign-in code to the enrolled number (also serves as resend)."""

from __future__ import annotations

import strawberry

from graph.context import Context
from graph.types.results import SendLoginCodeResult
from models.state_machine import Event, IllegalTransition, advance
from resolvers.answers import send_answer, wrong_step
from resolvers.flows import flow_for
from resolvers.sms_delivery import send_code


async def send_login_code(info: strawberry.Info[Context, None]) -> SendLoginCodeResult:
    context = info.context
    try:
        flow = await flow_for(context, Event.SEND_LOGIN_CODE)
    except IllegalTransition as error:
        return wrong_step(error)
    assert flow.phone_e164 is not None  # login flows start from an enrolled phone
    outcome = await send_code(
        flow, flow.phone_e164, advance(flow.step, Event.SEND_LOGIN_CODE), context
    )
    return send_answer(outcome)
