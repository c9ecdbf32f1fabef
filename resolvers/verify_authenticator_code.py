"""verifyAuthenticatorCode: prove the scanned app works.

In enrollment it leads to the recovery code; for a signed-in user adding an app it activates
the app at once.
"""

from __future__ import annotations

import strawberry
from tortoise.transactions import in_transaction

from graph.context import Context
from graph.types.inputs import VerifyAuthenticatorCodeInput
from graph.types.payloads import AuthenticatorAppAdded, RecoveryCodeIssued
from graph.types.results import VerifyAuthenticatorCodeResult
from graph.types.user import User as UserType
from models.codes import normalize_recovery_code, recovery_code_hmac
from models.enums import FlowPurpose
from models.state_machine import Event, IllegalTransition, advance
from models.user import User
from resolvers.answers import app_code_refusal, wrong_step
from resolvers.code_check import Verdict, check_app_code
from resolvers.flows import flow_for
from resolvers.notifications import announce, factor_change_message
from resolvers.step_up import recent_step_up


async def verify_authenticator_code(
    info: strawberry.Info[Context, None], input: VerifyAuthenticatorCodeInput
) -> VerifyAuthenticatorCodeResult:
    context = info.context
    event = Event.VERIFY_AUTHENTICATOR_CODE
    try:
        flow = await flow_for(context, event)
    except IllegalTransition as error:
        return wrong_step(error)
    assert flow.totp_secret_sealed is not None  # set when the app was chosen
    success: dict[str, object] = {"step": advance(flow.purpose, flow.step, event)}
    enrolling = flow.purpose is FlowPurpose.ENROLLMENT
    if not enrolling:
        # Adding an app was started inside the step-up window; it must also end inside it.
        guard = await recent_step_up(context)
        if not isinstance(guard, tuple):
            return guard
    recovery_code = context.providers.randomness.recovery_code()
    if enrolling:
        key = context.settings.secret_key
        success["pending_recovery_code_hmac"] = recovery_code_hmac(
            key, normalize_recovery_code(recovery_code)
        )
    now = context.providers.clock.now()
    async with in_transaction():
        check = await check_app_code(flow, input.code, flow.totp_secret_sealed, context, success)
        if check.verdict is Verdict.ACCEPTED and not enrolling:
            await User.filter(id=flow.user_id).update(
                totp_secret_sealed=flow.totp_secret_sealed, totp_added_at=now
            )
    if check.verdict is not Verdict.ACCEPTED:
        return app_code_refusal(check)
    if enrolling:
        return RecoveryCodeIssued(recovery_code=recovery_code)
    user = await User.get(id=flow.user_id)
    await announce(
        context,
        "authenticator_app_added",
        user,
        factor_change_message(user, now, "An authenticator app was added to your account"),
    )
    return AuthenticatorAppAdded(user=UserType.from_model(user))
