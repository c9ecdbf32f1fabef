"""confirmPhoneNumberChange: the code from the new number makes it the user's SMS factor."""

from __future__ import annotations

import strawberry
from tortoise.transactions import in_transaction

from domain import holds, phone_trust, trusted_browsers, webhooks
from domain.factors import TextedCode
from domain.notifications import factor_change_message, queue_announcement, send_announcement
from domain.verification import Verdict, verify
from graph.answers import code_refusal
from graph.context import Context
from graph.guards import flow_in_step_up_window
from graph.types.inputs import ConfirmPhoneNumberChangeInput
from graph.types.payloads import PhoneNumberChanged
from graph.types.results import ConfirmPhoneNumberChangeResult
from graph.types.user import User as UserType
from i18n.markers import N_
from models.enums import MfaMethod
from models.flow import MfaFlow
from models.hold import HoldReason
from models.state_machine import Event
from models.stored_phone import open_phone, phone_digest
from models.user import User


async def confirm_phone_number_change(
    info: strawberry.Info[Context, None], input: ConfirmPhoneNumberChangeInput
) -> ConfirmPhoneNumberChangeResult:
    context, runtime = info.context, info.context.runtime
    event = Event.CONFIRM_PHONE_NUMBER_CHANGE
    flow = await flow_in_step_up_window(context, event)
    if not isinstance(flow, MfaFlow):
        return flow
    now, before = runtime.now(), flow.user
    assert flow.phone_sealed is not None  # a code was sent to it
    digest = phone_digest(runtime.secret_key, open_phone(runtime.secret_key, flow.phone_sealed))
    new_number = {
        "phone_sealed": flow.phone_sealed,
        "phone_masked": flow.phone_masked,
        "phone_verified_at": now,
        "phone_digest": digest,
    }
    if before.preferred_method is None:
        new_number["preferred_method"] = MfaMethod.SMS
    changed = MfaMethod.SMS in before.mfa_methods
    what = (
        N_("The phone number for your verification codes was changed")
        if changed
        else N_("A phone number for verification codes was added to your account")
    )
    reason = HoldReason.PHONE_CHANGE if changed else HoldReason.FACTOR_ADDED
    change = factor_change_message(before, now, what, runtime=runtime)
    message = holds.with_notice(change, runtime, reason)
    async with in_transaction():
        check = await verify(flow, TextedCode(), input.code, event, runtime)
        if check.verdict is Verdict.ACCEPTED:
            await User.filter(id=flow.user_id).update(**new_number)
            # A factor change ends every trusted browser: they were trusted on the old factors.
            await trusted_browsers.forget(flow.user_id)
            queued = await queue_announcement(runtime, "phone_number_changed", before, message)
            # A first number is a factor added; replacing the number is a phone change.
            await webhooks.queue_event(
                runtime, "mfa.phone_changed" if changed else "mfa.factor_added", before,
                webhooks.Actor.user(before.id), method=MfaMethod.SMS,
            )  # fmt: skip
            await holds.start(runtime, before, reason, webhooks.Actor.user(before.id))
            await phone_trust.flag_if_shared(runtime, before, digest, "phone_change")
    if check.verdict is not Verdict.ACCEPTED:
        return code_refusal(check, context)
    await send_announcement(runtime, "phone_number_changed", queued)
    return PhoneNumberChanged(user=UserType.from_model(await User.get(id=flow.user_id)))
