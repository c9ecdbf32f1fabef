"""What the database recorded, read straight from it: whether a request ran anything at all,
and how many wrong second-factor codes were actually judged."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from models.audit_event import AuditEvent
from models.login_throttle import LoginThrottle
from models.session import AuthSession
from models.user import User


async def nothing_ran() -> bool:
    """No session, no password check, no audit event: the request ran no resolver."""
    return (
        await AuthSession.all().count() == 0
        and await LoginThrottle.all().count() == 0
        and await AuditEvent.all().count() == 0
    )


async def evaluated_guesses(user_id: UUID) -> int:
    """Second-factor codes judged wrong for the user (each one an audit event)."""
    return await AuditEvent.filter(
        subject_id=user_id, event__startswith="second_factor", outcome="failed"
    ).count()


async def age_second_factor(email: str, minutes: int) -> int:
    """Make the user's sessions' last second factor `minutes` older, as if time had passed;
    returns how many sessions were changed."""
    user = await User.get(email=email)
    changed = 0
    for session in await AuthSession.filter(user_id=user.id, second_factor_at__isnull=False):
        assert session.second_factor_at is not None
        session.second_factor_at -= timedelta(minutes=minutes)
        await session.save(update_fields=["second_factor_at"])
        changed += 1
    return changed
