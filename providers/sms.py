"""Sending text messages: the provider interface and the development console sender."""

from __future__ import annotations

import sys
from typing import Protocol


class SmsDeliveryError(Exception):
    """The SMS provider refused or did not answer; nothing was delivered."""


class SmsSender(Protocol):
    async def send(self, phone_e164: str, body: str, reference: str | None = None) -> None:
        """Send `body` to one number or raise `SmsDeliveryError`. `reference` (an opaque id)
        comes back in the provider's delivery reports, when they are on."""


class ConsoleSms:
    """Development only: prints each text to the server's standard error instead of sending it."""

    async def send(self, phone_e164: str, body: str, reference: str | None = None) -> None:
        print(f"[twofold console SMS] to {phone_e164}: {body}", file=sys.stderr, flush=True)
