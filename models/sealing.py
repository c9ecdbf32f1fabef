"""Encryption at rest for secrets the server must read back (TOTP secrets, phone numbers,
token signing keys, webhook signing secrets). Pure.

Each kind of secret is sealed with Fernet under its own key, derived by HKDF from the server
secret with the kind's `info` label, so a sealed value of one kind never opens as another.
"""

from __future__ import annotations

import base64
from enum import Enum
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

__all__ = ["InvalidToken", "Sealed", "seal", "unseal"]


class Sealed(Enum):
    """The kinds of sealed secret; each value is its HKDF `info` label and must never change."""

    TOTP_SECRET = b"twofold totp secret v1"
    PHONE_NUMBER = b"twofold phone number v1"
    SIGNING_KEY = b"twofold access token signing key v1"
    WEBHOOK_SECRET = b"twofold webhook secret v1"
    SSO_CLIENT_SECRET = b"twofold sso client secret v1"
    SSO_HANDOFF = b"twofold sso native hand-off v1"


@lru_cache(maxsize=16)
def _fernet(secret_key: str, kind: Sealed) -> Fernet:
    # Cached: HKDF once per (key, kind) rather than on every seal and unseal.
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=kind.value).derive(
        secret_key.encode()
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def seal(secret_key: str, kind: Sealed, plaintext: str) -> str:
    return _fernet(secret_key, kind).encrypt(plaintext.encode()).decode()


def unseal(secret_key: str, kind: Sealed, sealed: str) -> str:
    """The plaintext, or `InvalidToken` for another key, another kind, or a tampered value."""
    return _fernet(secret_key, kind).decrypt(sealed.encode()).decode()
