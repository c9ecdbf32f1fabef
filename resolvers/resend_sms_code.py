"""resendSmsCode ('Resend New Code'): a fresh code to the same number; the old one dies."""

from __future__ import annotations

import strawberry

from domain.texting import send_code
from graph.answers import send_answer, wrong_step
from graph.context import Context
from graph.types.results import ResendSmsCodeResult
from models.state_machine import Event, IllegalTransition
from models.stored_phone import open_phone


async def resend_sms_code(info: strawberry.Info[Context, None]) -> ResendSmsCodeResult:
    context = info.context
    try:
        flow = await context.flow_for(Event.RESEND_SMS_CODE)
    except IllegalTransition as error:
        return wrong_step(error)
    assert flow.phone_sealed is not None  # CODE_VERIFICATION is only reached by sending a code
    phone = open_phone(context.settings.secret_key, flow.phone_sealed)
    return send_answer(await send_code(flow, phone, Event.RESEND_SMS_CODE, context.runtime))
