"""The rules a new password must meet (NIST SP 800-63B rev. 4, 3.1.1.2), in one place for every
way a password is chosen: accepting an invitation, a reset, a change, `twofold create-user`.

- Length: at least PASSWORD_MIN_LENGTH (8 by default) for users who hold or must hold a second
  factor, at least 15 for users whose password is their only factor (the larger of the two
  when the setting is above 15); at most 128 characters, never truncated.
- Counted and hashed in Unicode NFKC (providers/passwords.py `normalized`).
- Not one of the 30,000 most common passwords of the zxcvbn package's `passwords` frequency
  list (drawn from Mark Burnett's 10 million leaked passwords), compared case-insensitively:
  a set loaded once, each lookup O(1).
- Not containing the local part of the account's email address (when it has 3 characters or
  more), in any case.

No composition rules and no forced expiry, as 63B asks.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from enum import StrEnum

from domain.settings import Settings
from providers.passwords import MAX_PASSWORD_LENGTH, normalized

SINGLE_FACTOR_MIN_LENGTH = 15
"""63B rev. 4: at least 15 characters when the password is the only authenticator."""
SHORTEST_LOCAL_PART = 3
"""Shorter local parts (`a@example.com`) would refuse half of every alphabet."""


class Reason(StrEnum):
    """Which rule a password breaks."""

    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    COMMON = "common"
    CONTAINS_EMAIL = "contains_email"


@dataclass(frozen=True)
class Rules:
    """The rules for one account, as the app shows them while the user types."""

    min_length: int
    max_length: int = MAX_PASSWORD_LENGTH


def rules_for(settings: Settings, *, has_second_factor: bool) -> Rules:
    """A password that is the only factor must be longer."""
    shortest = settings.password_min_length
    return Rules(shortest if has_second_factor else max(shortest, SINGLE_FACTOR_MIN_LENGTH))


@functools.cache
def _common() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(word.casefold() for word in FREQUENCY_LISTS["passwords"])


def is_common(password: str) -> bool:
    return normalized(password).casefold() in _common()


def check(password: str, email: str, rules: Rules) -> Reason | None:
    """The first rule `password` breaks for the account `email`, or None."""
    form = normalized(password)
    if len(form) < rules.min_length:
        return Reason.TOO_SHORT
    if len(password) > rules.max_length or len(form) > rules.max_length:
        return Reason.TOO_LONG
    if form.casefold() in _common():
        return Reason.COMMON
    local = email.split("@", 1)[0].strip().casefold()
    if len(local) >= SHORTEST_LOCAL_PART and local in form.casefold():
        return Reason.CONTAINS_EMAIL
    return None


def explain(reason: Reason, rules: Rules) -> str:
    """One sentence for people (the command line, the API's message)."""
    match reason:
        case Reason.TOO_SHORT:
            return f"the password must have at least {rules.min_length} characters"
        case Reason.TOO_LONG:
            return f"the password must have at most {rules.max_length} characters"
        case Reason.COMMON:
            return "the password is one of the most common passwords; choose another"
        case Reason.CONTAINS_EMAIL:
            return "the password must not contain the email address"


def warm_up() -> None:
    """Load the list before the first request needs it."""
    _common()
