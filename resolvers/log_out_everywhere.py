"""logOutEverywhere: end every other session of the signed-in user, on the server."""

from __future__ import annotations

import strawberry

from graph.context import Context
from graph.types.payloads import LoggedOutEverywhere
from graph.types.results import LogOutEverywhereResult
from models.session import AuthSession
from resolvers import audit, known_devices


async def log_out_everywhere(info: strawberry.Info[Context, None]) -> LogOutEverywhereResult:
    context = info.context
    session = await context.require_full_session()
    revoked = (
        await AuthSession.filter(user_id=session.user_id, revoked_at__isnull=True)
        .exclude(id=session.id)
        .update(revoked_at=context.providers.clock.now())
    )
    # Other devices stop being known too: they meet the password brakes like strangers.
    await known_devices.forget_all(session.user_id, keep=session.known_device_id)
    await audit.record(context, "session", "signed_out_everywhere", session.user_id)
    return LoggedOutEverywhere(revoked_sessions=revoked)
