"""registerSecurityKey: keep the credential a security key or passkey just created.

In enrollment it leads to the recovery code (the key counts once that is saved); for a
signed-in user adding a key (addSecurityKey) it counts at once.
"""

from __future__ import annotations

import strawberry
from tortoise.transactions import in_transaction

from domain import holds, trusted_browsers, webhooks
from domain.factors import KeyRegistration
from domain.notifications import factor_change_message, queue_announcement, send_announcement
from domain.security_keys import key_name
from domain.verification import Verdict, verify
from graph.answers import code_refusal
from graph.context import Context
from graph.guards import flow_in_step_up_window
from graph.types.inputs import RegisterSecurityKeyInput
from graph.types.payloads import RecoveryCodeIssued, SecurityKeyAdded
from graph.types.results import RegisterSecurityKeyResult
from graph.types.security_key import SecurityKeyType
from graph.types.user import User as UserType
from i18n.markers import N_
from models.codes import normalize_recovery_code, recovery_code_hmac
from models.enums import FlowPurpose, MfaMethod
from models.flow import MfaFlow
from models.hold import HoldReason
from models.state_machine import Event
from models.user import User


async def register_security_key(
    info: strawberry.Info[Context, None], input: RegisterSecurityKeyInput
) -> RegisterSecurityKeyResult:
    context, runtime = info.context, info.context.runtime
    event = Event.REGISTER_SECURITY_KEY
    flow = await flow_in_step_up_window(context, event)
    if not isinstance(flow, MfaFlow):
        return flow
    name = key_name(input.name)
    if flow.purpose is FlowPurpose.ENROLLMENT:
        recovery_code = runtime.providers.randomness.recovery_code()
        pending = recovery_code_hmac(runtime.secret_key, normalize_recovery_code(recovery_code))
        registration = KeyRegistration(name, enabled_at=None)
        check = await verify(
            flow, registration, input.credential, event, runtime, pending_recovery_code_hmac=pending
        )
        if check.verdict is not Verdict.ACCEPTED:
            return code_refusal(check, context)
        return RecoveryCodeIssued(recovery_code=recovery_code)
    now = runtime.now()
    registration = KeyRegistration(name, enabled_at=now)
    async with in_transaction():
        check = await verify(flow, registration, input.credential, event, runtime)
        if check.verdict is Verdict.ACCEPTED and registration.key is not None:
            await User.filter(id=flow.user_id, security_key_added_at__isnull=True).update(
                security_key_added_at=now
            )
            # A factor change ends every trusted browser: they were trusted on the old factors.
            await trusted_browsers.forget(flow.user_id)
            what = N_("A security key ({name}) was added to your account")
            message = holds.with_notice(
                factor_change_message(
                    flow.user, now, what, name=registration.key.name, runtime=runtime
                ),
                runtime,
                HoldReason.FACTOR_ADDED,
            )
            queued = await queue_announcement(runtime, "security_key_added", flow.user, message)
            await webhooks.queue_event(
                runtime, "mfa.factor_added", flow.user, webhooks.Actor.user(flow.user_id),
                method=MfaMethod.SECURITY_KEY,
            )  # fmt: skip
            await holds.start(
                runtime, flow.user, HoldReason.FACTOR_ADDED, webhooks.Actor.user(flow.user_id)
            )
    if check.verdict is not Verdict.ACCEPTED or registration.key is None:
        return code_refusal(check, context)
    await send_announcement(runtime, "security_key_added", queued)
    user = await User.get(id=flow.user_id)
    return SecurityKeyAdded(
        user=UserType.from_model(user), security_key=SecurityKeyType.from_model(registration.key)
    )
