"""The last step of every successful MFA flow: the pending session dies, a full one is born."""

from __future__ import annotations

from typing import TYPE_CHECKING

from graph.types.payloads import LoggedIn
from graph.types.user import User as UserType
from models.enums import SessionKind
from models.session import AuthSession
from models.user import User
from resolvers import audit
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
    )
    native = context.presented_bearer()
    delivered = context.deliver_token(
        token, native=native, max_age_seconds=lifetime_seconds(session)
    )
    context.forget_session()
    await audit.record(context, "session", "signed_in", user.id)
    return LoggedIn(session_token=delivered, user=UserType.from_model(user))
