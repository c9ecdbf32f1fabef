"""confirmRecoveryCodeSaved ('I Have Securely Saved This Code' -> Continue): enrollment ends."""

from __future__ import annotations

import strawberry
from tortoise.transactions import in_transaction

from graph.context import Context
from graph.types.errors import RecoveryCodeNotSavedError
from graph.types.inputs import ConfirmRecoveryCodeSavedInput
from graph.types.results import ConfirmRecoveryCodeSavedResult
from models.enums import MfaMethod
from models.flow import MfaFlow
from models.state_machine import Event, IllegalTransition, advance
from models.user import User
from resolvers.answers import wrong_step
from resolvers.flows import flow_for
from resolvers.notifications import mfa_enabled_message, notify
from resolvers.sign_in import PendingSessionGone, promote_session

_METHOD_LABELS = {MfaMethod.SMS: "SMS verification", MfaMethod.AUTHENTICATOR_APP: "app"}


async def confirm_recovery_code_saved(
    info: strawberry.Info[Context, None], input: ConfirmRecoveryCodeSavedInput
) -> ConfirmRecoveryCodeSavedResult:
    context = info.context
    try:
        flow = await flow_for(context, Event.CONFIRM_RECOVERY_CODE_SAVED)
    except IllegalTransition as error:
        return wrong_step(error)
    if not input.saved:
        return RecoveryCodeNotSavedError()
    now = context.providers.clock.now()
    pending = await context.require_session()
    try:
        async with in_transaction():
            moved = await MfaFlow.filter(id=flow.id, step=flow.step).update(
                step=advance(flow.step, Event.CONFIRM_RECOVERY_CODE_SAVED), updated_at=now
            )
            if not moved:
                raise PendingSessionGone()
            await User.filter(id=flow.user.id).update(
                phone_e164=flow.phone_e164,
                phone_verified_at=now,
                recovery_code_hmac=flow.pending_recovery_code_hmac,
                recovery_code_created_at=now,
                mfa_enrolled_at=now,
            )
            user = await User.get(id=flow.user.id)
            logged_in = await promote_session(pending, user, context)
    except PendingSessionGone:
        current = await MfaFlow.get(id=flow.id)
        return wrong_step(IllegalTransition(current.step, Event.CONFIRM_RECOVERY_CODE_SAVED))
    label = _METHOD_LABELS[flow.method] if flow.method else "second factor"
    await notify(context.providers.email, mfa_enabled_message(user, now, label))
    return logged_in
