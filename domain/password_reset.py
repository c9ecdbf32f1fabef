"""Resetting a forgotten password by email, without ever letting the email stand in for the
second factor.

`request` answers the same for every address, at the same cost: it counts the request against
the typed address and the caller's address, then hands everything that depends on whether the
account exists (the token, its row, the email) to a task that runs after the answer.

`start` spends the link's token once. A user with a usable second factor gets the sign-in
challenge (a pending session and a PASSWORD_RESET flow); the new password's hash waits on the
reset row, bound to that pending session, and `complete` applies it only when the session is
promoted after the factor was proven (domain/sign_in.py `promote_session`). A user who holds no
factor yet must enroll one first, which the same promotion ends. Only users who need no second
factor at all get the new password at once, and are signed in.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from tortoise.transactions import in_transaction

from domain import account_links, audit, password_rules, proofs, quotas, trusted_browsers, webhooks
from domain.accounts import MAX_EMAIL_LENGTH, normalize_email
from domain.flows import start_flow
from domain.notifications import password_changed_message, queue_announcement, send_announcement
from domain.outbox import enqueue
from domain.password_rules import Reason, Rules
from domain.policy import UserPolicy, policy_for
from domain.runtime import Runtime
from domain.sessions import start_session
from models.codes import keyed_hash
from models.enums import FlowPurpose as P
from models.enums import SessionKind, Step
from models.password_reset import PasswordReset
from models.session import AuthSession
from models.user import User
from providers.email import EmailMessage

logger = logging.getLogger("twofold.password_reset")

LINK_LIFETIME = timedelta(minutes=30)
_KIND = "password-reset"
_EVENT = "password_reset"
_running: set[asyncio.Task[None]] = set()


@dataclass(frozen=True)
class Requested:
    """The same answer for every address."""


def _limits(email: str, runtime: Runtime) -> list[quotas.Quota]:
    settings, hour = runtime.settings, timedelta(hours=1)
    typed = keyed_hash(runtime.secret_key, "reset-email", email[:MAX_EMAIL_LENGTH])
    limits = [
        quotas.Quota(f"reset-email:{typed}", settings.password_resets_per_email_per_hour, hour)
    ]
    if runtime.caller.ip_address:
        limits.append(
            quotas.Quota(
                f"reset-ip:{runtime.caller.ip_address}",
                settings.password_resets_per_ip_per_hour,
                hour,
            )
        )
    return limits


async def request(email: str, base_url: str, runtime: Runtime) -> Requested | quotas.Refused:
    """Count the request by the address typed (known or not, so a refusal tells nothing) and
    by the caller's address; the link, if there is an account, is sent after the answer."""
    address = normalize_email(email)
    taken = await quotas.take(_limits(address, runtime), runtime.now())
    if isinstance(taken, quotas.Refused):
        await audit.record(runtime, _EVENT, "rate_limited", None)
        return taken
    task = asyncio.get_running_loop().create_task(_send_link(address, base_url, runtime))
    _running.add(task)
    task.add_done_callback(_running.discard)
    return Requested()


async def _send_link(email: str, base_url: str, runtime: Runtime) -> None:
    try:
        user = await User.get_or_none(email=email) if len(email) <= MAX_EMAIL_LENGTH else None
        if user is None:
            await audit.record(runtime, _EVENT, "unknown_email", None)
            return
        token, digest = account_links.new_token(_KIND, runtime)
        now = runtime.now()
        url = account_links.link(base_url, account_links.RESET_PATH, token)
        async with in_transaction():
            await PasswordReset.create(
                token_hmac=digest, user=user, created_at=now, expires_at=now + LINK_LIFETIME
            )
            await audit.record(runtime, _EVENT, "requested", user.id)
            queued = (await enqueue(runtime, "password_reset_link", _link_message(user, url))).id
        await send_announcement(runtime, "password_reset_link", queued)
    except Exception:  # the answer went out already: log, the user can ask again
        logger.exception("password reset link not sent")


def _link_message(user: User, url: str) -> EmailMessage:
    minutes = int(LINK_LIFETIME.total_seconds() // 60)
    return EmailMessage(
        to=user.email,
        subject="Reset your password",
        body=(
            "Someone asked to reset the password of your account. To choose a new password, "
            f"open this link within {minutes} minutes:\n\n{url}\n\n"
            "It works once. If you have two-factor authentication, you will be asked for it "
            "before the new password takes effect.\n\n"
            "If this was not you, ignore this email: your password stays as it is.\n"
        ),
    )


async def settled() -> None:
    """Wait for the links being sent (tests and a graceful shutdown)."""
    while _running:
        await asyncio.gather(*_running, return_exceptions=True)


@dataclass(frozen=True)
class LinkInvalid:
    """Unknown, used, expired, or for an account that is gone: one answer for all."""


@dataclass(frozen=True)
class Weak:
    reason: Reason
    rules: Rules


@dataclass(frozen=True)
class Locked:
    """The second factor is locked: a reset does not unlock it."""


@dataclass(frozen=True)
class FactorNeeded:
    """Prove (or enroll) the second factor on the pending session `token`."""

    session: AuthSession
    token: str
    user: User
    policy: UserPolicy
    enroll: bool


@dataclass(frozen=True)
class PasswordSet:
    """A user without a second factor: the password is set and a full session issued (the
    caller ends the sign-in with `domain.sign_in.signed_in`)."""

    session: AuthSession
    token: str
    user: User
    queued: UUID


def rules_of(user: User, runtime: Runtime) -> Rules:
    has_factor = user.mfa_required or user.mfa_enrolled
    return password_rules.rules_for(runtime.settings, has_second_factor=has_factor)


async def find(token: str, runtime: Runtime) -> PasswordReset | None:
    """The unused, unexpired reset the token names."""
    return await PasswordReset.get_or_none(
        token_hmac=account_links.digest(_KIND, token, runtime),
        used_at__isnull=True,
        expires_at__gt=runtime.now(),
    ).select_related("user")


StartOutcome = LinkInvalid | Weak | Locked | FactorNeeded | PasswordSet


async def start(token: str, new_password: str, runtime: Runtime) -> StartOutcome:
    """Spend the token (once, whatever parallel requests do) and take the next step."""
    reset = await find(token, runtime)
    if reset is None:
        return LinkInvalid()
    user = reset.user
    rules = rules_of(user, runtime)
    reason = password_rules.check(new_password, user.email, rules)
    if reason is not None:
        return Weak(reason, rules)
    if user.second_factor_locked_at is not None:
        return Locked()
    policy = await policy_for(user)
    enroll = not policy.usable and (user.mfa_required or user.mfa_enrolled)
    digest = await runtime.providers.passwords.hash(new_password)
    now = runtime.now()
    async with in_transaction():
        if not await PasswordReset.filter(id=reset.id, used_at__isnull=True).update(used_at=now):
            return LinkInvalid()  # a parallel request spent it first
        if policy.usable or enroll:
            session, pending = await start_session(user, SessionKind.PENDING, runtime)
            if enroll:
                await start_flow(session, user, P.ENROLLMENT, Step.SETUP_REQUIRED, runtime)
            else:
                await start_flow(session, user, P.PASSWORD_RESET, Step.CHALLENGE, runtime)
            await PasswordReset.filter(id=reset.id).update(
                session_id=session.id, new_password_hash=digest
            )
            await audit.record(runtime, _EVENT, "factor_asked", user.id)
            return FactorNeeded(session, pending, user, policy, enroll)
        await _apply(user, digest, None, runtime)
        queued = await _announce(user, runtime)
        session, full = await start_session(
            user, SessionKind.FULL, runtime, proof=proofs.password_only(now)
        )
    return PasswordSet(session, full, user, queued)


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
    await _apply(user, waiting.new_password_hash, full.id, runtime)
    return await _announce(user, runtime, session_id=full.id)


async def _apply(user: User, digest: str, keep: UUID | None, runtime: Runtime) -> None:
    """Set the password; every other session and trusted browser ends, and so does every other
    reset link still out."""
    now = runtime.now()
    await User.filter(id=user.id).update(password_hash=digest)
    user.password_hash = digest
    sessions = AuthSession.filter(user_id=user.id, revoked_at__isnull=True)
    await (sessions.exclude(id=keep) if keep else sessions).update(revoked_at=now)
    await trusted_browsers.forget(user.id)
    await PasswordReset.filter(user_id=user.id, used_at__isnull=True).update(used_at=now)


async def _announce(user: User, runtime: Runtime, session_id: UUID | None = None) -> UUID:
    message = password_changed_message(user, runtime.now(), reset=True)
    queued = await queue_announcement(runtime, _EVENT, user, message)
    await webhooks.queue_event(
        runtime, "account.password_reset", user, webhooks.Actor.user(user.id),
        session_id=session_id,
    )  # fmt: skip
    return queued


async def deliver(runtime: Runtime, queued: UUID | None) -> None:
    if queued is not None:
        await send_announcement(runtime, _EVENT, queued)
