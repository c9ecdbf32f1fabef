"""`N_`: marks an English text as a msgid where it is written, translated where it is used.

Babel's extractor finds `N_("...")` (one of its default keywords) and `message_field("...")`
(the error types' messages); docs/i18n.md has the command.
"""

from __future__ import annotations


def N_(message: str) -> str:
    return message
