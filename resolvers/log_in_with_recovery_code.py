"""logInWithRecoveryCode: a user who lost their phone passes the challenge with the saved code.

The old code is swapped for a new one by one conditional UPDATE, in the same transaction that
moves the flow on, so a code works once even under parallel requests and a new code is never
lost. The user must confirm the new code saved before the session is issued.
"""

from __future__ import annotations

import strawberry
from tortoise.transactions import in_transaction

from domain import holds, webhooks
from domain.factors import RecoveryCode
from domain.notifications import queue_announcement, recovery_code_used_message, send_announcement
from domain.verification import Verdict, verify
from graph.answers import app_code_refusal, wrong_step
from graph.context import Context
from graph.types.inputs import LogInWithRecoveryCodeInput
from graph.types.payloads import RecoveryCodeIssued
from graph.types.results import LogInWithRecoveryCodeResult
from models.hold import HoldReason
from models.state_machine import Event, IllegalTransition


async def log_in_with_recovery_code(
    info: strawberry.Info[Context, None], input: LogInWithRecoveryCodeInput
) -> LogInWithRecoveryCodeResult:
    context, runtime = info.context, info.context.runtime
    event = Event.USE_RECOVERY_CODE
    try:
        flow = await context.flow_for(event)
    except IllegalTransition as error:
        return wrong_step(error)
    new_code = runtime.providers.randomness.recovery_code()
    message = holds.with_notice(
        recovery_code_used_message(flow.user, runtime.now(), runtime),
        runtime,
        HoldReason.RECOVERY_CODE_SIGN_IN,
    )
    async with in_transaction():
        check = await verify(flow, RecoveryCode(new_code), input.recovery_code, event, runtime)
        if check.verdict is Verdict.ACCEPTED:
            queued = await queue_announcement(runtime, "recovery_code_used", flow.user, message)
            await webhooks.queue_event(
                runtime, "mfa.recovery_code_used", flow.user, webhooks.Actor.user(flow.user_id)
            )
            await holds.start(
                runtime,
                flow.user,
                HoldReason.RECOVERY_CODE_SIGN_IN,
                webhooks.Actor.user(flow.user_id),
            )
    if check.verdict is not Verdict.ACCEPTED:
        return app_code_refusal(check, context)
    await send_announcement(runtime, "recovery_code_used", queued)
    return RecoveryCodeIssued(recovery_code=new_code)
