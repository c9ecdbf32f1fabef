"""sendSmsCode ('Set Up SMS Verification' -> Send Text Message)."""

from __future__ import annotations

import strawberry

from domain.texting import send_code
from graph.answers import send_answer, wrong_step
from graph.context import Context
from graph.phone_input import phone_or_refusal
from graph.types.inputs import SendSmsCodeInput
from graph.types.results import SendSmsCodeResult
from models.state_machine import Event, IllegalTransition


async def send_sms_code(
    info: strawberry.Info[Context, None], input: SendSmsCodeInput
) -> SendSmsCodeResult:
    context = info.context
    try:
        flow = await context.flow_for(Event.SEND_SMS_CODE)
    except IllegalTransition as error:
        return wrong_step(error)
    phone = phone_or_refusal(input.country_code, input.phone_number, context)
    if not isinstance(phone, str):
        return phone
    return send_answer(await send_code(flow, phone, Event.SEND_SMS_CODE, context.runtime))
