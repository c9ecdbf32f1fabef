"""regenerateRecoveryCode: a new recovery code at once; the old one dies in the same UPDATE.

Signed in, it needs a recent second factor. During a sign-in or enrollment, at 'Save Your
Recovery Code', it replaces a code that was shown and lost (a reload).
"""

from __future__ import annotations

import strawberry

from domain import recovery_codes
from domain.flows import LostRace
from graph.answers import wrong_step
from graph.context import Context
from graph.guards import require_recent_step_up
from graph.types.payloads import RecoveryCodeIssued
from graph.types.results import RegenerateRecoveryCodeResult
from models.enums import SessionKind
from models.state_machine import Event, IllegalTransition


async def regenerate_recovery_code(
    info: strawberry.Info[Context, None],
) -> RegenerateRecoveryCodeResult:
    context, runtime = info.context, info.context.runtime
    session = await context.require_session()
    if session.kind is SessionKind.PENDING:
        try:
            flow = await context.flow_for(Event.REISSUE_RECOVERY_CODE)
            code = await recovery_codes.reissue(flow, runtime)
        except (IllegalTransition, LostRace) as error:
            return wrong_step(error)
        return RecoveryCodeIssued(recovery_code=code)
    guard = await require_recent_step_up(context)
    if not isinstance(guard, tuple):
        return guard
    return RecoveryCodeIssued(recovery_code=await recovery_codes.regenerate(guard[0], runtime))
