"""Accounts as people type them: sign-in emails compare trimmed and case-insensitively."""

from __future__ import annotations

MAX_EMAIL_LENGTH = 254


def normalize_email(email: str) -> str:
    return email.strip().lower()
