"""regenerateRecoveryCode: a new recovery code at once; the old one dies in the same UPDATE."""

from __future__ import annotations

import strawberry

from domain.flows import start_flow
from domain.notifications import announce, factor_change_message
from graph.context import Context
from graph.guards import require_recent_step_up
from graph.types.payloads import RecoveryCodeIssued
from graph.types.results import RegenerateRecoveryCodeResult
from models.codes import normalize_recovery_code, recovery_code_hmac
from models.enums import FlowPurpose, Step
from models.user import User


async def regenerate_recovery_code(
    info: strawberry.Info[Context, None],
) -> RegenerateRecoveryCodeResult:
    context, runtime = info.context, info.context.runtime
    guard = await require_recent_step_up(context)
    if not isinstance(guard, tuple):
        return guard
    session, _ = guard
    now = runtime.now()
    code = runtime.providers.randomness.recovery_code()
    digest = recovery_code_hmac(runtime.secret_key, normalize_recovery_code(code))
    await User.filter(id=session.user_id).update(
        recovery_code_hmac=digest, recovery_code_created_at=now
    )
    # The user still confirms saving it, as at enrollment; the code works already.
    await start_flow(
        session,
        session.user,
        FlowPurpose.REGENERATE_RECOVERY_CODE,
        Step.RECOVERY_CODE_SAVE,
        runtime,
    )
    await announce(
        runtime,
        "recovery_code_regenerated",
        session.user,
        factor_change_message(
            session.user, now, "A new recovery code was generated; the old one no longer works"
        ),
    )
    return RecoveryCodeIssued(recovery_code=code)
