"""logOutEverywhere: end every other session of the signed-in user, on the server."""

from __future__ import annotations

import strawberry
from tortoise.transactions import in_transaction

from domain import audit, known_devices, trusted_browsers, webhooks
from domain.sessions import revoke_other_sessions
from graph.context import Context
from graph.types.payloads import LoggedOutEverywhere
from graph.types.results import LogOutEverywhereResult


async def log_out_everywhere(info: strawberry.Info[Context, None]) -> LogOutEverywhereResult:
    context, runtime = info.context, info.context.runtime
    session = await context.require_full_session()
    async with in_transaction():
        revoked = await revoke_other_sessions(session, runtime)
        # Other devices stop being known too: they meet the password brakes like strangers.
        await known_devices.forget_all(session.user_id, keep=session.known_device_id)
        await trusted_browsers.forget(session.user_id)
        await audit.record(runtime, "session", "signed_out_everywhere", session.user_id)
        await webhooks.queue_event(
            runtime, "session.signed_out_everywhere", session.user,
            webhooks.Actor.user(session.user_id), session_id=session.id,
            revoked_sessions=revoked,
        )  # fmt: skip
    return LoggedOutEverywhere(revoked_sessions=revoked)
