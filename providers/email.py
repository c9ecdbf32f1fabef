"""Sending email to account addresses: the provider interface and the development console sender."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Protocol


class EmailDeliveryError(Exception):
    """The mail server refused or did not answer."""


@dataclass(frozen=True)
class EmailMessage:
    to: str
    subject: str
    body: str
    locale: str = "en"  # the language it is written in, for notices added to it before it goes


class EmailSender(Protocol):
    async def send(self, message: EmailMessage) -> None:
        """Deliver `message` or raise `EmailDeliveryError`."""


class ConsoleEmail:
    """Development only: prints each email to the server's standard error."""

    async def send(self, message: EmailMessage) -> None:
        print(
            f"[twofold console email] to {message.to}: {message.subject}\n{message.body}",
            file=sys.stderr,
            flush=True,
        )
