"""verifySmsCode ('Enter the 6-Digit Verification Code' -> Continue)."""

from __future__ import annotations

import strawberry

from domain.factors import TextedCode
from domain.verification import Verdict, verify
from graph.answers import code_refusal, wrong_step
from graph.context import Context
from graph.types.inputs import VerifySmsCodeInput
from graph.types.payloads import RecoveryCodeIssued
from graph.types.results import VerifySmsCodeResult
from models.codes import normalize_recovery_code, recovery_code_hmac
from models.state_machine import Event, IllegalTransition


async def verify_sms_code(
    info: strawberry.Info[Context, None], input: VerifySmsCodeInput
) -> VerifySmsCodeResult:
    context, runtime = info.context, info.context.runtime
    event = Event.VERIFY_SMS_CODE
    try:
        flow = await context.flow_for(event)
    except IllegalTransition as error:
        return wrong_step(error)
    # The recovery code is shown now and becomes the user's when enrollment completes.
    recovery_code = runtime.providers.randomness.recovery_code()
    pending = recovery_code_hmac(runtime.secret_key, normalize_recovery_code(recovery_code))
    check = await verify(
        flow, TextedCode(), input.code, event, runtime, pending_recovery_code_hmac=pending
    )
    if check.verdict is not Verdict.ACCEPTED:
        return code_refusal(check, context)
    return RecoveryCodeIssued(recovery_code=recovery_code)
