"""Randomness as a provider: every secret Twofold hands out comes from here."""

from __future__ import annotations

import base64
import secrets
from typing import Protocol

from models.codes import RECOVERY_CODE_BYTES, SMS_CODE_DIGITS, format_recovery_code


class Randomness(Protocol):
    def sms_code(self) -> str:
        """A fresh 6-digit code."""

    def session_token(self) -> str:
        """A 256-bit bearer token."""

    def recovery_code(self) -> str:
        """A 120-bit recovery code, formatted for display."""

    def totp_secret(self) -> str:
        """A 160-bit authenticator app secret in base32."""

    def fraction(self) -> float:
        """A number in [0, 1), for jitter (not a secret)."""

    def webhook_secret(self) -> bytes:
        """24 random bytes: a webhook endpoint's signing key."""


class SecretsRandomness:
    """The real source: Python's `secrets` (the OS CSPRNG)."""

    def sms_code(self) -> str:
        return f"{secrets.randbelow(10**SMS_CODE_DIGITS):0{SMS_CODE_DIGITS}d}"

    def session_token(self) -> str:
        return secrets.token_urlsafe(32)

    def recovery_code(self) -> str:
        return format_recovery_code(secrets.token_bytes(RECOVERY_CODE_BYTES))

    def totp_secret(self) -> str:
        return base64.b32encode(secrets.token_bytes(20)).decode()

    def fraction(self) -> float:
        return secrets.randbelow(2**32) / 2**32

    def webhook_secret(self) -> bytes:
        return secrets.token_bytes(24)
