"""startPhoneNumberChange: text a code to a new number; it replaces the old one once verified."""

from __future__ import annotations

import strawberry

from graph.context import Context
from graph.types.enums import to_method
from graph.types.errors import (
    MethodNotAllowedError,
    WrongStepError,
)
from graph.types.inputs import StartPhoneNumberChangeInput
from graph.types.results import StartPhoneNumberChangeResult
from models.enums import FlowPurpose, MfaMethod, Step
from models.flow import MfaFlow
from models.state_machine import Event, advance
from resolvers.answers import send_answer
from resolvers.flows import replace_flow
from resolvers.phone_input import phone_or_refusal
from resolvers.sms_delivery import send_code
from resolvers.step_up import recent_step_up


async def start_phone_number_change(
    info: strawberry.Info[Context, None], input: StartPhoneNumberChangeInput
) -> StartPhoneNumberChangeResult:
    context = info.context
    guard = await recent_step_up(context)
    if not isinstance(guard, tuple):
        return guard
    session, policy = guard
    if MfaMethod.SMS not in policy.allowed:
        return MethodNotAllowedError(allowed_methods=[to_method(m) for m in policy.allowed])
    phone = phone_or_refusal(input.country_code, input.phone_number, context)
    if not isinstance(phone, str):
        return phone
    flow = await MfaFlow.get_or_none(session_id=session.id)
    if flow is None or flow.purpose is not FlowPurpose.CHANGE_PHONE_NUMBER:
        # An unfinished change is kept, so its resend cooldown cannot be skipped.
        flow = await replace_flow(
            session, FlowPurpose.CHANGE_PHONE_NUMBER, Step.PHONE_NUMBER_ENTRY, context
        )
    next_step = advance(flow.purpose, flow.step, Event.START_PHONE_NUMBER_CHANGE)
    answer = send_answer(await send_code(flow, phone, next_step, context))
    if isinstance(answer, WrongStepError):
        raise AssertionError("a phone change flow always accepts a new number")
    return answer
