"""verifySmsCode ('Enter the 6-Digit Verification Code' -> Continue)."""

from __future__ import annotations

import strawberry

from graph.context import Context
from graph.types.inputs import VerifySmsCodeInput
from graph.types.payloads import RecoveryCodeIssued
from graph.types.results import VerifySmsCodeResult
from models.codes import normalize_recovery_code, recovery_code_hmac
from models.state_machine import Event, IllegalTransition, advance
from resolvers.answers import code_refusal, wrong_step
from resolvers.code_check import Verdict, check_sms_code
from resolvers.flows import flow_for


async def verify_sms_code(
    info: strawberry.Info[Context, None], input: VerifySmsCodeInput
) -> VerifySmsCodeResult:
    context = info.context
    try:
        flow = await flow_for(context, Event.VERIFY_SMS_CODE)
    except IllegalTransition as error:
        return wrong_step(error)
    recovery_code = context.providers.randomness.recovery_code()
    check = await check_sms_code(
        flow,
        input.code,
        context,
        on_success={
            "step": advance(flow.purpose, flow.step, Event.VERIFY_SMS_CODE),
            "pending_recovery_code_hmac": recovery_code_hmac(
                context.settings.secret_key, normalize_recovery_code(recovery_code)
            ),
        },
    )
    if check.verdict is not Verdict.ACCEPTED:
        return code_refusal(check)
    return RecoveryCodeIssued(recovery_code=recovery_code)
