"""verifyAuthenticatorCode: prove the scanned app works.

In enrollment it leads to the recovery code; for a signed-in user adding an app it activates
the app at once.
"""

from __future__ import annotations

import strawberry
from tortoise.transactions import in_transaction

from domain import holds, trusted_browsers, webhooks
from domain.factors import AppCode
from domain.notifications import factor_change_message, queue_announcement, send_announcement
from domain.verification import Verdict, verify
from graph.answers import app_code_refusal
from graph.context import Context
from graph.guards import flow_in_step_up_window
from graph.types.inputs import VerifyAuthenticatorCodeInput
from graph.types.payloads import AuthenticatorAppAdded, RecoveryCodeIssued
from graph.types.results import VerifyAuthenticatorCodeResult
from graph.types.user import User as UserType
from i18n.markers import N_
from models.codes import normalize_recovery_code, recovery_code_hmac
from models.enums import FlowPurpose, MfaMethod
from models.flow import MfaFlow
from models.hold import HoldReason
from models.state_machine import Event
from models.user import User


async def verify_authenticator_code(
    info: strawberry.Info[Context, None], input: VerifyAuthenticatorCodeInput
) -> VerifyAuthenticatorCodeResult:
    context, runtime = info.context, info.context.runtime
    event = Event.VERIFY_AUTHENTICATOR_CODE
    flow = await flow_in_step_up_window(context, event)
    if not isinstance(flow, MfaFlow):
        return flow
    assert flow.totp_secret_sealed is not None  # set when the app was chosen
    app = AppCode(flow.totp_secret_sealed)
    if flow.purpose is FlowPurpose.ENROLLMENT:
        recovery_code = runtime.providers.randomness.recovery_code()
        pending = recovery_code_hmac(runtime.secret_key, normalize_recovery_code(recovery_code))
        check = await verify(
            flow, app, input.code, event, runtime, pending_recovery_code_hmac=pending
        )
        if check.verdict is not Verdict.ACCEPTED:
            return app_code_refusal(check, context)
        return RecoveryCodeIssued(recovery_code=recovery_code)
    now = runtime.now()
    what = N_("An authenticator app was added to your account")
    message = holds.with_notice(
        factor_change_message(flow.user, now, what, runtime=runtime),
        runtime,
        HoldReason.FACTOR_ADDED,
    )
    async with in_transaction():
        check = await verify(flow, app, input.code, event, runtime)
        if check.verdict is Verdict.ACCEPTED:
            await User.filter(id=flow.user_id).update(
                totp_secret_sealed=flow.totp_secret_sealed, totp_added_at=now
            )
            # A factor change ends every trusted browser: they were trusted on the old factors.
            await trusted_browsers.forget(flow.user_id)
            queued = await queue_announcement(
                runtime, "authenticator_app_added", flow.user, message
            )
            await webhooks.queue_event(
                runtime, "mfa.factor_added", flow.user, webhooks.Actor.user(flow.user_id),
                method=MfaMethod.AUTHENTICATOR_APP,
            )  # fmt: skip
            await holds.start(
                runtime, flow.user, HoldReason.FACTOR_ADDED, webhooks.Actor.user(flow.user_id)
            )
    if check.verdict is not Verdict.ACCEPTED:
        return app_code_refusal(check, context)
    await send_announcement(runtime, "authenticator_app_added", queued)
    return AuthenticatorAppAdded(user=UserType.from_model(await User.get(id=flow.user_id)))
