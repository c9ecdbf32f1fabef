"""The moment an emailed password reset takes effect: at once for users who need no second
factor, else in `domain.sign_in.promote_session` once the factor was proven (or enrolled).

Kept apart from domain/password_reset.py, which asks `domain.sign_in.second_factor_gate` for
the challenge, so that the sign-in's promotion can apply a waiting reset without the two
modules importing each other."""

from __future__ import annotations

from uuid import UUID

from domain import holds, locales, trusted_browsers, webhooks
from domain.notifications import password_changed_message, queue_announcement, send_announcement
from domain.runtime import Runtime
from models.hold import HoldReason
from models.password_reset import PasswordReset
from models.session import AuthSession
from models.user import User

EVENT = "password_reset"


async def complete(
    pending: AuthSession, user: User, full: AuthSession, runtime: Runtime
) -> UUID | None:
    """Inside `promote_session`'s transaction: the reset waiting on `pending`, if any, takes
    effect now that its factor was proven. Returns the notice email's id."""
    waiting = await PasswordReset.get_or_none(
        session_id=pending.id, completed_at__isnull=True, new_password_hash__isnull=False
    )
    if waiting is None or waiting.new_password_hash is None:
        return None
    if not await PasswordReset.filter(id=waiting.id, completed_at__isnull=True).update(
        completed_at=runtime.now()
    ):
        return None
    await apply(user, waiting.new_password_hash, full.id, runtime)
    return await announce(user, runtime, session_id=full.id)


async def apply(user: User, digest: str, keep: UUID, runtime: Runtime) -> None:
    """Set the password; every session but `keep` and every trusted browser ends, and so does
    every other reset link still out."""
    now = runtime.now()
    await User.filter(id=user.id).update(password_hash=digest)
    user.password_hash = digest
    await (
        AuthSession.filter(user_id=user.id, revoked_at__isnull=True)
        .exclude(id=keep)
        .update(revoked_at=now)
    )
    await trusted_browsers.forget(user.id)
    await PasswordReset.filter(user_id=user.id, used_at__isnull=True).update(used_at=now)


async def announce(user: User, runtime: Runtime, session_id: UUID | None = None) -> UUID:
    message = holds.with_notice(
        password_changed_message(
            user, runtime.now(), reset=True, locale=locales.locale_of(None, runtime)
        ),
        runtime,
        HoldReason.PASSWORD_RESET,
    )
    queued = await queue_announcement(runtime, EVENT, user, message)
    await webhooks.queue_event(
        runtime, "account.password_reset", user, webhooks.Actor.user(user.id),
        session_id=session_id,
    )  # fmt: skip
    await holds.start(runtime, user, HoldReason.PASSWORD_RESET, webhooks.Actor.user(user.id))
    return queued


async def deliver(runtime: Runtime, queued: UUID | None) -> None:
    """After the commit: send the 'your password was reset' notice."""
    if queued is not None:
        await send_announcement(runtime, EVENT, queued)
