"""What every email shares: the recipient's language, a moment in it, a sentence in it."""

from __future__ import annotations

from datetime import UTC, datetime

from babel.dates import format_datetime

from i18n.catalogs import gettext
from i18n.markers import N_

# Babel's date pattern, a msgid itself so that each language writes moments its own way.
_MOMENT = N_("yyyy-MM-dd 'at' HH:mm 'UTC'")

NOT_YOU = N_(
    "If this was not you, someone else knows your password: change it now and ask "
    "your company administrator to reset your two-factor authentication."
)


def when(at: datetime, locale: str) -> str:
    """`2026-12-07 at 00:30 UTC` in English, `7 de diciembre de 2026, 00:30 UTC` in Spanish."""
    return format_datetime(at, gettext(locale, _MOMENT), tzinfo=UTC, locale=locale)


def text(locale: str, message: str, **params: object) -> str:
    """`message` (an English msgid with `{name}` fields) in `locale`, its fields filled."""
    return gettext(locale, message).format(**params)
