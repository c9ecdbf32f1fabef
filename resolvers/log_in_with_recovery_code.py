"""logInWithRecoveryCode: a user who lost their phone passes the challenge with the saved code.

The old code is swapped for a new one by one conditional UPDATE, in the same transaction that
moves the flow on, so a code works once even under parallel requests and a new code is never
lost. The user must confirm the new code saved before the session is issued.
"""

from __future__ import annotations

import strawberry
from tortoise.transactions import in_transaction

from graph.context import Context
from graph.types.inputs import LogInWithRecoveryCodeInput
from graph.types.payloads import RecoveryCodeIssued
from graph.types.results import LogInWithRecoveryCodeResult
from models.codes import normalize_recovery_code, recovery_code_hmac
from models.flow import MfaFlow
from models.state_machine import Event, IllegalTransition, advance
from models.user import User
from resolvers.answers import app_code_refusal, wrong_step
from resolvers.code_check import reserve_attempt, settle_wrong
from resolvers.flows import flow_for
from resolvers.notifications import announce, recovery_code_used_message

# Recovery codes carry 120 bits; only the flow's consecutive-failure limit applies to them.
_NO_PER_CODE_COUNTER = None


class _FlowMovedOn(Exception):
    """Another request moved the flow first; roll the swap back."""


async def log_in_with_recovery_code(
    info: strawberry.Info[Context, None], input: LogInWithRecoveryCodeInput
) -> LogInWithRecoveryCodeResult:
    context = info.context
    event = Event.USE_RECOVERY_CODE
    try:
        flow = await flow_for(context, event)
    except IllegalTransition as error:
        return wrong_step(error)
    refusal = await reserve_attempt(flow, _NO_PER_CODE_COUNTER, context)
    if refusal is not None:
        return app_code_refusal(refusal)
    key = context.settings.secret_key
    typed = normalize_recovery_code(input.recovery_code[:64])
    now = context.providers.clock.now()
    new_code = context.providers.randomness.recovery_code()
    try:
        async with in_transaction():
            swapped = await User.filter(
                id=flow.user_id, recovery_code_hmac=recovery_code_hmac(key, typed)
            ).update(
                recovery_code_hmac=recovery_code_hmac(key, normalize_recovery_code(new_code)),
                recovery_code_created_at=now,
                second_factor_failures=0,
            )
            if swapped:
                moved = await MfaFlow.filter(id=flow.id, step=flow.step).update(
                    step=advance(flow.purpose, flow.step, event), failures=0, updated_at=now
                )
                if not moved:
                    raise _FlowMovedOn()
    except _FlowMovedOn:
        fresh = await MfaFlow.get(id=flow.id)
        return wrong_step(IllegalTransition(fresh.step, event))
    if not swapped:
        return app_code_refusal(await settle_wrong(flow, _NO_PER_CODE_COUNTER, context))
    await announce(
        context, "recovery_code_used", flow.user, recovery_code_used_message(flow.user, now)
    )
    return RecoveryCodeIssued(recovery_code=new_code)
