"""Resetting a forgotten password by email, without ever letting the email stand in for the
second factor.

`request` answers the same for every address, at the same cost: it counts the request against
the typed address and the caller's address, then hands everything that depends on whether the
account exists (the token, its row, the email) to a task that runs after the answer. An email
whose domain signs in through the company's identity provider only (single sign-on, no password
alongside) gets `SsoRequired` instead and no link: its password is never used, so resetting it
would only make a dormant secret. The answer depends on the domain alone, as logIn's does.

`start` spends the link's token once and passes the user through the sign-in's own gate
(`domain.sign_in.second_factor_gate`), so a reset meets exactly the checks a password sign-in
meets. A user with a usable second factor gets the sign-in challenge (a pending session and a
PASSWORD_RESET flow); the new password's hash waits on the reset row, bound to that pending
session, and applies only when the session is promoted after the factor was proven
(domain/password_reset_completion.py, called by `promote_session`). A user who must hold a
factor but has none usable enrolls first, which the same promotion ends. Only users who need no
second factor at all get the new password at once, and are signed in.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, replace
from datetime import timedelta

from tortoise.transactions import in_transaction

from domain import account_links, audit, email_texts, locales, password_rules, quotas
from domain.accounts import MAX_EMAIL_LENGTH, normalize_email
from domain.notifications import send_announcement
from domain.outbox import enqueue
from domain.password_reset_completion import EVENT as _EVENT
from domain.password_reset_completion import announce, apply
from domain.password_reset_completion import deliver as deliver  # the resolvers' one import
from domain.password_rules import Reason, Rules
from domain.runtime import Runtime
from domain.sign_in import (
    SecondFactorLocked,
    SecondFactorNeeded,
    SignedIn,
    SsoRequired,
    second_factor_gate,
)
from domain.sso.domains import sso_for_email
from i18n.markers import N_
from models.codes import keyed_hash
from models.enums import FlowPurpose
from models.password_reset import PasswordReset
from models.user import User
from providers.email import EmailMessage

logger = logging.getLogger("twofold.password_reset")

LINK_LIFETIME = timedelta(minutes=30)
_KIND = "password-reset"
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


async def sso_only(email: str) -> SsoRequired | None:
    """`SsoRequired` when the email's domain signs in by single sign-on with no password
    alongside: such a user's password is never checked, so it is never reset either."""
    sso = await sso_for_email(email)
    return SsoRequired(sso.provider.id) if sso is not None and not sso.password_allowed else None


async def request(
    email: str, base_url: str, runtime: Runtime
) -> Requested | quotas.Refused | SsoRequired:
    """Count the request by the address typed (known or not, so a refusal tells nothing) and
    by the caller's address; the link, if there is an account, is sent after the answer."""
    address = normalize_email(email)
    taken = await quotas.take(_limits(address, runtime), runtime.now())
    if isinstance(taken, quotas.Refused):
        await audit.record(runtime, _EVENT, "rate_limited", None)
        return taken
    refused = await sso_only(address)
    if refused is not None:  # the domain's answer, the same whether the account exists or not
        await audit.record(runtime, _EVENT, "sso_required", None)
        return refused
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
            queued = (
                await enqueue(runtime, "password_reset_link", _link_message(user, url, runtime))
            ).id
        await send_announcement(runtime, "password_reset_link", queued)
    except Exception:  # the answer went out already: log, the user can ask again
        logger.exception("password reset link not sent")


def _link_message(user: User, url: str, runtime: Runtime) -> EmailMessage:
    """In the user's language, else the language of the browser that asked for the link."""
    locale = locales.locale_of(user, runtime)
    body = email_texts.text(
        locale,
        N_(
            "Someone asked to reset the password of your account. To choose a new password, "
            "open this link within {minutes} minutes:\n\n{url}\n\n"
            "It works once. If you have two-factor authentication, you will be asked for it "
            "before the new password takes effect.\n\n"
            "If this was not you, ignore this email: your password stays as it is.\n"
        ),
        minutes=int(LINK_LIFETIME.total_seconds() // 60),
        url=url,
    )
    subject = email_texts.text(locale, N_("Reset your password"))
    return EmailMessage(to=user.email, subject=subject, body=body, locale=locale)


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


class _Undo(Exception):
    """Rolls the token's spending back: the gate found the second factor locked."""


StartOutcome = LinkInvalid | Weak | Locked | SsoRequired | SecondFactorNeeded | SignedIn


async def start(token: str, new_password: str, runtime: Runtime) -> StartOutcome:
    """Spend the token (once, whatever parallel requests do) and pass the sign-in's gate: its
    challenge or enrollment first (`SecondFactorNeeded`, the reset then waits for
    `promote_session`), or, for users who need no factor, the new password and a session at
    once (`SignedIn`, whose `notice` is the email to deliver after the commit)."""
    reset = await find(token, runtime)
    if reset is None:
        return LinkInvalid()
    user = reset.user
    # Checked again here: the company may have turned password sign-in off since the link left.
    refused = await sso_only(user.email)
    if refused is not None:
        return refused
    rules = rules_of(user, runtime)
    reason = password_rules.check(new_password, user.email, rules)
    if reason is not None:
        return Weak(reason, rules)
    if user.second_factor_locked_at is not None:
        return Locked()
    digest = await runtime.providers.passwords.hash(new_password)
    now = runtime.now()
    try:
        async with in_transaction():
            if not await PasswordReset.filter(id=reset.id, used_at__isnull=True).update(
                used_at=now
            ):
                return LinkInvalid()  # a parallel request spent it first
            # No known device and no trusted browser: a reset never skips the challenge.
            outcome = await second_factor_gate(
                user, runtime, None, None, first_factor=None, purpose=FlowPurpose.PASSWORD_RESET
            )
            if isinstance(outcome, SecondFactorLocked):
                raise _Undo()  # locked meanwhile: the link stays unspent
            if isinstance(outcome, SecondFactorNeeded):
                await PasswordReset.filter(id=reset.id).update(
                    session_id=outcome.session.id, new_password_hash=digest
                )
                await audit.record(runtime, _EVENT, "factor_asked", user.id)
                return outcome
            await apply(user, digest, outcome.session.id, runtime)
            return replace(outcome, notice=await announce(user, runtime))
    except _Undo:
        return Locked()
