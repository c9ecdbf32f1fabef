"""confirmPhoneNumberChange: the code from the new number makes it the user's SMS factor."""

from __future__ import annotations

import strawberry
from tortoise.transactions import in_transaction

from graph.context import Context
from graph.types.inputs import ConfirmPhoneNumberChangeInput
from graph.types.payloads import PhoneNumberChanged
from graph.types.results import ConfirmPhoneNumberChangeResult
from graph.types.user import User as UserType
from models.enums import MfaMethod
from models.state_machine import Event, IllegalTransition, advance
from models.user import User
from resolvers.answers import code_refusal, wrong_step
from resolvers.code_check import Verdict, check_sms_code
from resolvers.flows import flow_for
from resolvers.notifications import announce, factor_change_message
from resolvers.step_up import recent_step_up


async def confirm_phone_number_change(
    info: strawberry.Info[Context, None], input: ConfirmPhoneNumberChangeInput
) -> ConfirmPhoneNumberChangeResult:
    context = info.context
    event = Event.CONFIRM_PHONE_NUMBER_CHANGE
    try:
        flow = await flow_for(context, event)
    except IllegalTransition as error:
        return wrong_step(error)
    # The change was started inside the step-up window; it must also end inside it.
    guard = await recent_step_up(context)
    if not isinstance(guard, tuple):
        return guard
    now = context.providers.clock.now()
    before = flow.user
    had_phone = MfaMethod.SMS in before.mfa_methods
    async with in_transaction():
        success = {"step": advance(flow.purpose, flow.step, event)}
        check = await check_sms_code(flow, input.code, context, success)
        if check.verdict is Verdict.ACCEPTED:
            changes: dict[str, object] = {
                "phone_sealed": flow.phone_sealed,
                "phone_masked": flow.phone_masked,
                "phone_verified_at": now,
            }
            if before.preferred_method is None:
                changes["preferred_method"] = MfaMethod.SMS
            await User.filter(id=flow.user_id).update(**changes)
    if check.verdict is not Verdict.ACCEPTED:
        return code_refusal(check)
    user = await User.get(id=flow.user_id)
    what = (
        "The phone number for your verification codes was changed"
        if had_phone
        else ("A phone number for verification codes was added to your account")
    )
    await announce(context, "phone_number_changed", user, factor_change_message(user, now, what))
    return PhoneNumberChanged(user=UserType.from_model(user))
