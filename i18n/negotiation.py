"""Which supported language a request or a stored setting stands for (BCP 47 tags)."""

from __future__ import annotations

from babel.core import Locale, UnknownLocaleError, negotiate_locale
from babel.core import parse_locale as _parse_locale

from i18n.catalogs import DEFAULT_LOCALE, SUPPORTED_LOCALES

_MAX_HEADER = 1000  # an Accept-Language longer than this is ignored, not parsed
_MAX_TAGS = 20


def supported(tag: str) -> str | None:
    """The supported language `tag` stands for (`es-MX` -> `es`), or None."""
    text = tag.strip().replace("_", "-")
    if not text or len(text) > 35:
        return None
    try:
        language = Locale.parse(text, sep="-").language
    except (ValueError, TypeError, UnknownLocaleError):
        try:
            language = _parse_locale(text, sep="-")[0]
        except ValueError:
            return None
    return language if language in SUPPORTED_LOCALES else None


def _preferred(header: str) -> list[str]:
    """The tags of an Accept-Language header, most wanted first (`q=0` ones dropped)."""
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")[:_MAX_TAGS]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        name, _, value = params.strip().partition("=")
        if name.strip() == "q":
            try:
                quality = float(value)
            except ValueError:
                continue
        if tag and tag != "*" and quality > 0:
            weighted.append((-quality, index, tag.strip()))
    return [tag for _, _, tag in sorted(weighted)]


def best_locale(accept_language: str | None) -> str:
    """The best supported match of an Accept-Language header, English otherwise."""
    if not accept_language or len(accept_language) > _MAX_HEADER:
        return DEFAULT_LOCALE
    wanted = _preferred(accept_language)
    match = negotiate_locale(wanted, SUPPORTED_LOCALES, sep="-")
    if match and (found := supported(match)):  # it answers the header's spelling (`ES`)
        return found
    for tag in wanted:  # `es-MX` against `es`: negotiate_locale matches whole tags only
        if found := supported(tag):
            return found
    return DEFAULT_LOCALE
