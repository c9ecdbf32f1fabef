"""startPhoneNumberChange: text a code to a new number; it replaces the old one once verified."""

from __future__ import annotations

import strawberry

from domain.flows import resume_or_start
from domain.texting import send_code
from graph.answers import method_not_allowed, send_answer
from graph.context import Context
from graph.guards import require_recent_step_up
from graph.phone_input import phone_or_refusal
from graph.types.errors import WrongStepError
from graph.types.inputs import StartPhoneNumberChangeInput
from graph.types.results import StartPhoneNumberChangeResult
from models.enums import FlowPurpose, MfaMethod, Step
from models.state_machine import Event


async def start_phone_number_change(
    info: strawberry.Info[Context, None], input: StartPhoneNumberChangeInput
) -> StartPhoneNumberChangeResult:
    context, runtime = info.context, info.context.runtime
    guard = await require_recent_step_up(context)
    if not isinstance(guard, tuple):
        return guard
    session, policy = guard
    if MfaMethod.SMS not in policy.allowed:
        return method_not_allowed(policy.allowed)
    phone = phone_or_refusal(input.country_code, input.phone_number, context)
    if not isinstance(phone, str):
        return phone
    purpose = FlowPurpose.CHANGE_PHONE_NUMBER
    flow = await resume_or_start(session, purpose, Step.PHONE_NUMBER_ENTRY, runtime)
    answer = send_answer(await send_code(flow, phone, Event.START_PHONE_NUMBER_CHANGE, runtime))
    if isinstance(answer, WrongStepError):
        raise AssertionError("a phone change flow always accepts a new number")
    return answer
