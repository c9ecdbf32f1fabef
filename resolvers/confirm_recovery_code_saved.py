"""confirmRecoveryCodeSaved ('I Have Securely Saved This Code' -> Continue).

After enrollment it activates the new factor and the recovery code; after a recovery-code
sign-in the new code is already active and only the session is issued.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from tortoise.transactions import in_transaction

from domain import password_reset, phone_trust, proofs, webhooks
from domain.flows import LostRace, advance
from domain.notifications import mfa_enabled_message, queue_announcement, send_announcement
from domain.proofs import Proof
from domain.sign_in import PendingSessionGone, promote_session
from graph.answers import logged_in, wrong_step
from graph.context import Context
from graph.types.errors import RecoveryCodeNotSavedError
from graph.types.inputs import ConfirmRecoveryCodeSavedInput
from graph.types.payloads import RecoveryCodeSaved
from graph.types.results import ConfirmRecoveryCodeSavedResult
from graph.types.user import User as UserType
from models.enums import FlowPurpose, MfaMethod
from models.flow import MfaFlow
from models.security_key import SecurityKey
from models.state_machine import Event, IllegalTransition
from models.stored_phone import open_phone, phone_digest
from models.user import User


def _enrolled_factor(flow: MfaFlow, now: Any, secret_key: str) -> dict[str, Any]:
    """The user columns that make the flow's verified factor and recovery code active."""
    changes: dict[str, Any] = {
        "recovery_code_hmac": flow.pending_recovery_code_hmac,
        "recovery_code_created_at": now,
        "mfa_enrolled_at": now,
    }
    if flow.method is MfaMethod.AUTHENTICATOR_APP:
        changes |= {"totp_secret_sealed": flow.totp_secret_sealed, "totp_added_at": now}
    elif flow.method is MfaMethod.SECURITY_KEY:
        changes |= {"security_key_added_at": now}
    else:
        changes |= {
            "phone_sealed": flow.phone_sealed,
            "phone_masked": flow.phone_masked,
            "phone_verified_at": now,
            "phone_digest": _digest(flow, secret_key),
        }
    # Enrollment happens only when no held factor is usable, so the new one comes first.
    changes["preferred_method"] = flow.method
    return changes


def _digest(flow: MfaFlow, secret_key: str) -> str | None:
    if flow.phone_sealed is None:
        return None
    return phone_digest(secret_key, open_phone(secret_key, flow.phone_sealed))


def _proof(flow: MfaFlow, now: datetime) -> Proof:
    """An enrollment proved its new factor; a sign-in that reaches this screen otherwise
    passed its challenge with the recovery code."""
    if flow.purpose is FlowPurpose.ENROLLMENT and flow.method is not None:
        return proofs.password_and(flow.method, now)
    return proofs.password_and_recovery_code(now)


async def confirm_recovery_code_saved(
    info: strawberry.Info[Context, None], input: ConfirmRecoveryCodeSavedInput
) -> ConfirmRecoveryCodeSavedResult:
    context, runtime = info.context, info.context.runtime
    event = Event.CONFIRM_RECOVERY_CODE_SAVED
    try:
        flow = await context.flow_for(event)
        if not input.saved:
            return RecoveryCodeNotSavedError()
        if flow.purpose is FlowPurpose.REGENERATE_RECOVERY_CODE:
            # A signed-in user's new code is active already; this only closes the screen.
            await advance(flow, event, runtime)
            return RecoveryCodeSaved(user=UserType.from_model(await User.get(id=flow.user_id)))
        pending = await context.require_session()
        now = runtime.now()
        async with in_transaction():
            await advance(flow, event, runtime)
            if flow.purpose is FlowPurpose.ENROLLMENT:
                enrolled = _enrolled_factor(flow, now, runtime.secret_key)
                await User.filter(id=flow.user_id).update(**enrolled)
                if enrolled.get("phone_digest"):
                    await phone_trust.flag_if_shared(
                        runtime, flow.user, enrolled["phone_digest"], "enrollment"
                    )
                if flow.method is MfaMethod.SECURITY_KEY:
                    await SecurityKey.filter(user_id=flow.user_id, enabled_at__isnull=True).update(
                        enabled_at=now
                    )
            user = await User.get(id=flow.user_id)
            signed = await promote_session(pending, user, runtime, _proof(flow, now))
            queued = None
            if flow.purpose is FlowPurpose.ENROLLMENT and flow.method is not None:
                message = mfa_enabled_message(user, now, flow.method, runtime)
                queued = await queue_announcement(runtime, "mfa_enrolled", user, message)
                await webhooks.queue_event(
                    runtime, "mfa.enrolled", user, webhooks.Actor.user(user.id),
                    method=flow.method, session_id=signed.session.id,
                )  # fmt: skip
    except (IllegalTransition, LostRace) as error:
        return wrong_step(error)
    except PendingSessionGone:
        return wrong_step(IllegalTransition((await MfaFlow.get(id=flow.id)).step, event))
    if queued is not None:
        await send_announcement(runtime, "mfa_enrolled", queued)
    await password_reset.deliver(runtime, signed.notice)
    return logged_in(signed, context, native=context.presented_bearer())
