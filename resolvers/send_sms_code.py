"""sendSmsCode ('Set Up SMS Verification' -> Send Text Message)."""

from __future__ import annotations

import strawberry

from graph.context import Context
from graph.types.errors import InvalidPhoneNumberError, UnsupportedCountryError
from graph.types.inputs import SendSmsCodeInput
from graph.types.results import SendSmsCodeResult
from graph.types.sms import SmsCountry
from models.phone import InvalidPhoneNumber, UnsupportedCountry, country_options, parse_phone_number
from models.state_machine import Event, IllegalTransition, advance
from resolvers.answers import send_answer, wrong_step
from resolvers.flows import flow_for
from resolvers.sms_delivery import send_code


async def send_sms_code(
    info: strawberry.Info[Context, None], input: SendSmsCodeInput
) -> SendSmsCodeResult:
    context = info.context
    try:
        flow = await flow_for(context, Event.SEND_SMS_CODE)
    except IllegalTransition as error:
        return wrong_step(error)
    allowed = context.settings.sms_allowed_countries
    try:
        phone = parse_phone_number(input.country_code, input.phone_number, allowed)
    except InvalidPhoneNumber:
        return InvalidPhoneNumberError()
    except UnsupportedCountry:
        return UnsupportedCountryError(
            allowed_countries=[
                SmsCountry(region_code=c.region_code, calling_code=c.calling_code)
                for c in country_options(allowed)
            ]
        )
    outcome = await send_code(
        flow, phone, advance(flow.purpose, flow.step, Event.SEND_SMS_CODE), context
    )
    return send_answer(outcome)
