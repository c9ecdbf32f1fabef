"""Codes a user could type that are well-formed and certainly wrong."""

from __future__ import annotations

from datetime import datetime

from tests.support.flows import app_code


def other_code(code: str, n: int = 1) -> str:
    """A well-formed 6-digit code that is not `code` (distinct for each n below a million)."""
    return f"{(int(code) + n) % 10**6:06d}"


def wrong_app_code(secret: str, at: datetime, n: int = 0) -> str:
    """A well-formed code, distinct for each n, that no step of the accepted window shows."""
    window = {app_code(secret, at, steps) for steps in (-1, 0, 1)}
    candidates = (f"{(n * 7919 + k) % 10**6:06d}" for k in range(10))
    return next(c for c in candidates if c not in window)
