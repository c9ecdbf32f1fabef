"""logOutEverywhere: end every other session of the signed-in user, on the server."""

from __future__ import annotations

import strawberry

from graph.context import Context
from graph.types.payloads import LoggedOutEverywhere
from graph.types.results import LogOutEverywhereResult
from models.session import AuthSession
from resolvers import audit


async def log_out_everywhere(info: strawberry.Info[Context, None]) -> LogOutEverywhereResult:
    context = info.context
    session = await context.require_full_session()
    revoked = (
        await AuthSession.filter(user_id=session.user_id, revoked_at__isnull=True)
        .exclude(id=session.id)
        .update(revoked_at=context.providers.clock.now())
    )
    await audit.record(context, "session", "signed_out_everywhere", session.user_id)
    return LoggedOutEverywhere(revoked_sessions=revoked)
