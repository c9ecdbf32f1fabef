"""Changing the password while signed in: after a recent second factor (the caller's step-up
guard) and with the current password, which the password brakes count like a sign-in's."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from tortoise.transactions import in_transaction

from domain import holds, locales, password_brakes, password_rules, trusted_browsers, webhooks
from domain.notifications import password_changed_message, queue_announcement, send_announcement
from domain.password_brakes import Braked
from domain.password_reset import Weak, rules_of
from domain.runtime import Runtime
from domain.sessions import revoke_other_sessions
from models.hold import HoldReason
from models.password_reset import PasswordReset
from models.session import AuthSession
from models.user import User

_EVENT = "password_changed"


@dataclass(frozen=True)
class WrongPassword:
    """The current password is not right."""


@dataclass(frozen=True)
class Changed:
    user: User
    queued: UUID


async def change(
    session: AuthSession, current: str, new: str, runtime: Runtime
) -> Changed | WrongPassword | Weak | Braked:
    user = session.user
    try:
        proven = await password_brakes.verify_password(user.email, current, None, runtime)
    except Braked as brake:
        return brake
    if proven is None or proven.id != user.id:
        return WrongPassword()
    rules = rules_of(user, runtime)
    reason = password_rules.check(new, user.email, rules)
    if reason is not None:
        return Weak(reason, rules)
    digest = await runtime.providers.passwords.hash(new)
    now = runtime.now()
    async with in_transaction():
        await User.filter(id=user.id).update(password_hash=digest)
        await revoke_other_sessions(session, runtime)
        await trusted_browsers.forget(user.id)
        await PasswordReset.filter(user_id=user.id, used_at__isnull=True).update(used_at=now)
        message = holds.with_notice(
            password_changed_message(
                user, now, reset=False, locale=locales.locale_of(user, runtime)
            ),
            runtime,
            HoldReason.PASSWORD_CHANGE,
        )
        queued = await queue_announcement(runtime, _EVENT, user, message)
        await webhooks.queue_event(
            runtime, "account.password_changed", user, webhooks.Actor.user(user.id),
            session_id=session.id,
        )  # fmt: skip
        await holds.start(runtime, user, HoldReason.PASSWORD_CHANGE, webhooks.Actor.user(user.id))
    user.password_hash = digest
    return Changed(user, queued)


async def deliver(runtime: Runtime, changed: Changed) -> None:
    await send_announcement(runtime, _EVENT, changed.queued)
