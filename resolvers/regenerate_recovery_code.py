"""regenerateRecoveryCode: a new recovery code at once; the old one dies in the same UPDATE."""

from __future__ import annotations

import strawberry

from graph.context import Context
from graph.types.payloads import RecoveryCodeIssued
from graph.types.results import RegenerateRecoveryCodeResult
from models.codes import normalize_recovery_code, recovery_code_hmac
from models.enums import FlowPurpose, Step
from models.user import User
from resolvers.flows import replace_flow
from resolvers.notifications import announce, factor_change_message
from resolvers.step_up import recent_step_up


async def regenerate_recovery_code(
    info: strawberry.Info[Context, None],
) -> RegenerateRecoveryCodeResult:
    context = info.context
    guard = await recent_step_up(context)
    if not isinstance(guard, tuple):
        return guard
    session, _ = guard
    now = context.providers.clock.now()
    code = context.providers.randomness.recovery_code()
    digest = recovery_code_hmac(context.settings.secret_key, normalize_recovery_code(code))
    await User.filter(id=session.user_id).update(
        recovery_code_hmac=digest, recovery_code_created_at=now
    )
    # The user still confirms saving it, as at enrollment; the code works already.
    await replace_flow(
        session, FlowPurpose.REGENERATE_RECOVERY_CODE, Step.RECOVERY_CODE_SAVE, context
    )
    await announce(
        context,
        "recovery_code_regenerated",
        session.user,
        factor_change_message(
            session.user, now, "A new recovery code was generated; the old one no longer works"
        ),
    )
    return RecoveryCodeIssued(recovery_code=code)
