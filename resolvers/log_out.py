"""logOut: end the current session on the server; idempotent."""

from __future__ import annotations

import strawberry

from graph.context import Context
from graph.types.payloads import LoggedOut
from graph.types.results import LogOutResult
from resolvers import audit
from resolvers.sessions import revoke_session


async def log_out(info: strawberry.Info[Context, None]) -> LogOutResult:
    context = info.context
    session = await context.session()
    if session is not None:
        await revoke_session(session, context.providers.clock)
        await audit.record(context, "session", "signed_out", session.user_id)
    context.forget_session()
    context.clear_cookie()
    return LoggedOut(ok=True)
