"""What the database recorded, read straight from it: whether a request ran anything at all,
and how many wrong second-factor codes were actually judged."""

from __future__ import annotations

from uuid import UUID

from models.audit_event import AuditEvent
from models.login_throttle import LoginThrottle
from models.session import AuthSession


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
