"""The end of every successful sign-in: the full session, the known device, the payload."""

from __future__ import annotations

from typing import TYPE_CHECKING

from graph.types.payloads import LoggedIn
from graph.types.user import User as UserType
from models.enums import SessionKind
from models.session import AuthSession
from models.user import User
from resolvers import audit, known_devices, password_brakes
from resolvers.sessions import lifetime_seconds, start_session

if TYPE_CHECKING:
    from graph.context import Context


class PendingSessionGone(Exception):
    """Another request finished (or ended) this pending sign-in first."""


async def promote_session(pending: AuthSession, user: User, context: Context) -> LoggedIn:
    """Revoke `pending` and issue a full session; call inside the caller's transaction."""
    revoked = await AuthSession.filter(id=pending.id, revoked_at__isnull=True).update(
        revoked_at=context.providers.clock.now()
    )
    if not revoked:
        raise PendingSessionGone()
    session, token = await start_session(
        user,
        SessionKind.FULL,
        context.settings,
        context.providers,
        context.meta,
        second_factor_at=context.providers.clock.now(),
        known_device_id=pending.known_device_id,
    )
    context.forget_session()
    return await signed_in(session, token, user, context, native=context.presented_bearer())


async def signed_in(
    session: AuthSession, token: str, user: User, context: Context, *, native: bool
) -> LoggedIn:
    """A sign-in completed: strangers' failed guesses stop counting against the account, and
    the device becomes known, so the owner gets through while guessers are slowed down."""
    await password_brakes.clear(password_brakes.account_key(user.email, context))
    device_token = await known_devices.remember(session, user, context)
    await audit.record(context, "session", "signed_in", user.id)
    return LoggedIn(
        session_token=context.deliver_token(
            token, native=native, max_age_seconds=lifetime_seconds(session)
        ),
        device_token=context.deliver_device_token(device_token, native=native),
        user=UserType.from_model(user),
    )
