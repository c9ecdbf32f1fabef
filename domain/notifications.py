"""Security emails to the account address. A mail failure is logged, never undoes the change."""

from __future__ import annotations

import logging
from datetime import datetime
from uuid import UUID

from tortoise.transactions import in_transaction

from domain import audit, outbox
from domain.runtime import Runtime
from models.enums import MfaMethod
from models.user import User
from providers.email import EmailMessage

logger = logging.getLogger("twofold.notifications")

METHOD_LABELS = {
    MfaMethod.SMS: "SMS verification",
    MfaMethod.AUTHENTICATOR_APP: "authenticator app",
    MfaMethod.SECURITY_KEY: "security key",
}

_NOT_YOU = (
    "If this was not you, someone else knows your password: change it now and ask "
    "your company administrator to reset your two-factor authentication."
)


def _when(at: datetime) -> str:
    return f"{at:%Y-%m-%d at %H:%M} UTC"


def mfa_enabled_message(user: User, when: datetime, method: MfaMethod) -> EmailMessage:
    return EmailMessage(
        to=user.email,
        subject="MFA is now enabled on your account",
        body=(
            f"Two-factor authentication ({METHOD_LABELS[method]}) was enabled on your account "
            f"on {_when(when)}.\n\n"
            "From now on you will be asked for a verification code when you sign in. "
            "Keep your recovery code somewhere safe; it is the way back in if you lose "
            "your phone.\n\n"
            f"{_NOT_YOU}\n"
        ),
    )


def recovery_code_used_message(user: User, when: datetime) -> EmailMessage:
    return EmailMessage(
        to=user.email,
        subject="Your recovery code was used",
        body=(
            f"Your recovery code was used to sign in to your account on {_when(when)}. "
            "It no longer works; a new recovery code was issued at that sign-in.\n\n"
            f"{_NOT_YOU}\n"
        ),
    )


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


def factor_change_message(user: User, when: datetime, what: str) -> EmailMessage:
    """A self-service change to the account's second factors, in one sentence `what`."""
    return EmailMessage(
        to=user.email,
        subject="Your two-factor authentication settings changed",
        body=f"{what} on {_when(when)}.\n\n{_NOT_YOU}\n",
    )


def password_changed_message(user: User, when: datetime, *, reset: bool) -> EmailMessage:
    """After a reset by email or a change while signed in: every other session has ended."""
    how = "reset with a link sent to this address" if reset else "changed"
    return EmailMessage(
        to=user.email,
        subject="Your password was changed",
        body=(
            f"The password of your account was {how} on {_when(when)}. Every other session "
            "of your account was signed out.\n\n"
            "If this was not you, reset your password now and tell your company "
            "administrator.\n"
        ),
    )
