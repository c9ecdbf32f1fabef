"""Security emails to the account address, in the user's language: their setting, else the
Accept-Language of their own request that caused the email, else English.
A mail failure is logged, never undoes the change."""

from __future__ import annotations

import logging
from datetime import datetime
from uuid import UUID

from tortoise.transactions import in_transaction

from domain import audit, email_texts, locales, outbox
from domain.email_texts import NOT_YOU, text
from domain.runtime import Runtime
from i18n.markers import N_
from models.enums import MfaMethod
from models.user import User
from providers.email import EmailMessage

logger = logging.getLogger("twofold.notifications")

METHOD_LABELS = {
    MfaMethod.SMS: N_("SMS verification"),
    MfaMethod.AUTHENTICATOR_APP: N_("authenticator app"),
    MfaMethod.SECURITY_KEY: N_("security key"),
}


def mfa_enabled_message(
    user: User, when: datetime, method: MfaMethod, runtime: Runtime | None = None
) -> EmailMessage:
    locale = locales.locale_of(user, runtime)
    body = text(
        locale,
        N_(
            "Two-factor authentication ({method}) was enabled on your account on {when}.\n\n"
            "From now on you will be asked for a verification code when you sign in. "
            "Keep your recovery code somewhere safe; it is the way back in if you lose "
            "your phone.\n\n"
            "{not_you}\n"
        ),
        method=text(locale, METHOD_LABELS[method]),
        when=email_texts.when(when, locale),
        not_you=text(locale, NOT_YOU),
    )
    subject = text(locale, N_("MFA is now enabled on your account"))
    return EmailMessage(to=user.email, subject=subject, body=body, locale=locale)


def recovery_code_used_message(
    user: User, when: datetime, runtime: Runtime | None = None
) -> EmailMessage:
    locale = locales.locale_of(user, runtime)
    body = text(
        locale,
        N_(
            "Your recovery code was used to sign in to your account on {when}. "
            "It no longer works; a new recovery code was issued at that sign-in.\n\n"
            "{not_you}\n"
        ),
        when=email_texts.when(when, locale),
        not_you=text(locale, NOT_YOU),
    )
    subject = text(locale, N_("Your recovery code was used"))
    return EmailMessage(to=user.email, subject=subject, body=body, locale=locale)


async def queue_announcement(
    runtime: Runtime, event: str, user: User, message: EmailMessage
) -> UUID:
    """Audit an account change and queue its email. Call it inside the change's own
    transaction: the change, its audit row and its email commit together or not at all."""
    await audit.record(runtime, event, "done", user.id)
    return (await outbox.enqueue(runtime, event, message)).id


async def send_announcement(runtime: Runtime, event: str, queued: UUID) -> bool:
    """Try a queued email at once, after its change committed; a mail server that fails leaves
    it to the outbox sender (domain/outbox.py). True when the email went out now."""
    delivered = await outbox.deliver(runtime, queued)
    if not delivered:
        logger.error("security email not delivered yet, left in the outbox: %s", event)
    return bool(delivered)


async def announce(runtime: Runtime, event: str, user: User, message: EmailMessage) -> bool:
    """Queue and send in one go, for a change that committed on its own already."""
    async with in_transaction():
        queued = await queue_announcement(runtime, event, user, message)
    return await send_announcement(runtime, event, queued)


def factor_change_message(
    user: User,
    when: datetime,
    what: str,
    *,
    method: MfaMethod | None = None,
    name: str = "",
    runtime: Runtime | None = None,
) -> EmailMessage:
    """A self-service change to the account's second factors, in one sentence `what`: an
    English msgid, whose `{method}` and `{name}` fields are filled with `method` (its label)
    and `name`. `runtime`: the user's own request, whose Accept-Language speaks for a user
    without a setting (an admin's request does not)."""
    locale = locales.locale_of(user, runtime)
    label = text(locale, METHOD_LABELS[method]) if method else ""
    sentence = text(locale, what, method=label, name=name)
    body = text(
        locale,
        N_("{what} on {when}.\n\n{not_you}\n"),
        what=sentence,
        when=email_texts.when(when, locale),
        not_you=text(locale, NOT_YOU),
    )
    subject = text(locale, N_("Your two-factor authentication settings changed"))
    return EmailMessage(to=user.email, subject=subject, body=body, locale=locale)


def password_changed_message(
    user: User, when: datetime, *, reset: bool, locale: str | None = None
) -> EmailMessage:
    """After a reset by email or a change while signed in: every other session has ended.
    `locale`: the language when the user has no setting (the request's)."""
    locale = user.locale or locale or locales.locale_of(user, None)
    body = text(
        locale,
        N_(
            "The password of your account was reset with a link sent to this address on "
            "{when}. Every other session of your account was signed out.\n\n"
            "If this was not you, reset your password now and tell your company "
            "administrator.\n"
        )
        if reset
        else N_(
            "The password of your account was changed on {when}. Every other session "
            "of your account was signed out.\n\n"
            "If this was not you, reset your password now and tell your company "
            "administrator.\n"
        ),
        when=email_texts.when(when, locale),
    )
    subject = text(locale, N_("Your password was changed"))
    return EmailMessage(to=user.email, subject=subject, body=body, locale=locale)
