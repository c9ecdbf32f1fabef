"""Issuing recovery codes: only a keyed hash is kept, so a code is shown once, and a lost one
is replaced, never shown again."""

from __future__ import annotations

from tortoise.transactions import in_transaction

from domain import trusted_browsers, webhooks
from domain.flows import advance, start_flow
from domain.notifications import factor_change_message, queue_announcement, send_announcement
from domain.runtime import Runtime
from i18n.markers import N_
from models.codes import normalize_recovery_code, recovery_code_hmac
from models.enums import FlowPurpose, Step
from models.flow import MfaFlow
from models.session import AuthSession
from models.state_machine import Event
from models.user import User

_REGENERATED = "recovery_code_regenerated"
_VOIDED = N_("A new recovery code was generated; the old one no longer works")


def _new_code(runtime: Runtime) -> tuple[str, str]:
    code = runtime.providers.randomness.recovery_code()
    return code, recovery_code_hmac(runtime.secret_key, normalize_recovery_code(code))


async def regenerate(session: AuthSession, runtime: Runtime) -> str:
    """A signed-in user's new code, active at once; the screen still asks to confirm saving it."""
    code, digest = _new_code(runtime)
    now = runtime.now()
    message = factor_change_message(session.user, now, _VOIDED, runtime=runtime)
    async with in_transaction():
        await User.filter(id=session.user_id).update(
            recovery_code_hmac=digest, recovery_code_created_at=now
        )
        await trusted_browsers.forget(session.user_id)
        await start_flow(
            session,
            session.user,
            FlowPurpose.REGENERATE_RECOVERY_CODE,
            Step.RECOVERY_CODE_SAVE,
            runtime,
        )
        queued = await queue_announcement(runtime, _REGENERATED, session.user, message)
        await webhooks.queue_event(
            runtime, "mfa.recovery_code_regenerated", session.user,
            webhooks.Actor.user(session.user_id), session_id=session.id,
        )  # fmt: skip
    await send_announcement(runtime, _REGENERATED, queued)
    return code


async def reissue(flow: MfaFlow, runtime: Runtime) -> str:
    """A new code at a sign-in's or enrollment's 'Save Your Recovery Code' screen, in place of
    one shown and lost. Enrollment's code is not the user's yet; a recovery sign-in's already
    is, so that one is replaced and the account told."""
    code, digest = _new_code(runtime)
    if flow.purpose is FlowPurpose.ENROLLMENT:
        await advance(flow, Event.REISSUE_RECOVERY_CODE, runtime, pending_recovery_code_hmac=digest)
        return code
    now = runtime.now()
    message = factor_change_message(flow.user, now, _VOIDED, runtime=runtime)
    async with in_transaction():
        await advance(flow, Event.REISSUE_RECOVERY_CODE, runtime)
        await User.filter(id=flow.user_id).update(
            recovery_code_hmac=digest, recovery_code_created_at=now
        )
        queued = await queue_announcement(runtime, _REGENERATED, flow.user, message)
        await webhooks.queue_event(
            runtime, "mfa.recovery_code_regenerated", flow.user, webhooks.Actor.user(flow.user_id)
        )
    await send_announcement(runtime, _REGENERATED, queued)
    return code
