"""sendSmsCode ('Set Up SMS Verification' -> Send Text Message)."""

from __future__ import annotations

import strawberry

from graph.context import Context
from graph.types.inputs import SendSmsCodeInput
from graph.types.results import SendSmsCodeResult
from models.state_machine import Event, IllegalTransition, advance
from resolvers.answers import send_answer, wrong_step
from resolvers.flows import flow_for
from resolvers.phone_input import phone_or_refusal
from resolvers.sms_delivery import send_code


async def send_sms_code(
    info: strawberry.Info[Context, None], input: SendSmsCodeInput
) -> SendSmsCodeResult:
    context = info.context
    try:
        flow = await flow_for(context, Event.SEND_SMS_CODE)
    except IllegalTransition as error:
        return wrong_step(error)
    phone = phone_or_refusal(input.country_code, input.phone_number, context)
    if not isinstance(phone, str):
        return phone
    outcome = await send_code(
        flow, phone, advance(flow.purpose, flow.step, Event.SEND_SMS_CODE), context
    )
    return send_answer(outcome)
