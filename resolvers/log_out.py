"""logOut: end the current session on the server; idempotent."""

from __future__ import annotations

import strawberry

from domain import audit
from domain.sessions import revoke_session_id
from graph.context import Context
from graph.types.payloads import LoggedOut
from graph.types.results import LogOutResult


async def log_out(info: strawberry.Info[Context, None]) -> LogOutResult:
    context = info.context
    session = await context.session()
    if session is not None:
        await revoke_session_id(session.id, context.runtime)
        await audit.record(context.runtime, "session", "signed_out", session.user_id)
    context.end_session()
    return LoggedOut(ok=True)
