"""Keyed hashes and formats for one-time codes, recovery codes and session tokens. Pure."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

SMS_CODE_DIGITS = 6
RECOVERY_CODE_BYTES = 15  # 120 bits -> 24 base32 characters, no padding
_SEPARATORS = re.compile(r"[\s\-]")


def keyed_hash(secret_key: str, purpose: str, *parts: str) -> str:
    """HMAC-SHA256 over `parts`, domain-separated by `purpose`, as hex."""
    message = "\x1f".join((purpose, *parts)).encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()


def sms_code_hmac(secret_key: str, flow_id: str, code: str) -> str:
    """A code's HMAC bound to its flow, so a code from one flow never matches in another."""
    return keyed_hash(secret_key, "sms-code", flow_id, code)


def recovery_code_hmac(secret_key: str, normalized_code: str) -> str:
    return keyed_hash(secret_key, "recovery-code", normalized_code)


def token_sha256(token: str) -> str:
    """What the database keeps of a session token."""
    return hashlib.sha256(token.encode()).hexdigest()


def same(a: str, b: str) -> bool:
    """Constant-time comparison of two hex digests."""
    return hmac.compare_digest(a.encode(), b.encode())


def normalize_one_time_code(raw: str) -> str | None:
    """The 6 digits of a typed code (texted or from an app), or None when it cannot be one."""
    code = _SEPARATORS.sub("", raw)
    if len(code) == SMS_CODE_DIGITS and code.isascii() and code.isdigit():
        return code
    return None


def format_recovery_code(raw: bytes) -> str:
    """24 base32 characters in groups of four: `ABCD-EFGH-...`."""
    text = base64.b32encode(raw).decode().rstrip("=")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def normalize_recovery_code(raw: str) -> str:
    """Accept any case, with or without separators."""
    return _SEPARATORS.sub("", raw).upper()
