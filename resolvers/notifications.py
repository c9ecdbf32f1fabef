"""Security emails to the account address. A mail failure is logged, never undoes the change."""

from __future__ import annotations

import logging
from datetime import datetime

from models.user import User
from providers.email import EmailDeliveryError, EmailMessage, EmailSender

logger = logging.getLogger("twofold.notifications")

_NOT_YOU = (
    "If this was not you, your password is known to someone else: change it now and ask "
    "your company administrator to reset your two-factor authentication."
)


def mfa_enabled_message(user: User, when: datetime, method_label: str) -> EmailMessage:
    return EmailMessage(
        to=user.email,
        subject="MFA is now enabled on your account",
        body=(
            f"Two-factor authentication ({method_label}) was enabled on your account "
            f"on {when:%Y-%m-%d at %H:%M} UTC.\n\n"
            "From now on you will be asked for a verification code when you sign in. "
            "Keep your recovery code somewhere safe; it is the way back in if you lose "
            "your phone.\n\n"
            f"{_NOT_YOU}\n"
        ),
    )


async def notify(sender: EmailSender, message: EmailMessage) -> bool:
    """Send and report success; the caller's change already happened and stays."""
    try:
        await sender.send(message)
    except EmailDeliveryError:
        logger.error("security email not delivered", extra={"subject": message.subject})
        return False
    return True
