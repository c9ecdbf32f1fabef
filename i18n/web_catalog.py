"""The reference app's catalogs: gettext domain `web`, one `.po` file per language in
`i18n/locales/<lang>/LC_MESSAGES/web.po`, read with Babel once per process and handed to the
browser as JSON (`{msgid: msgstr}`). English needs no file: its msgids are the app's own texts.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from io import BytesIO

from babel.messages.pofile import read_po

DOMAIN = "web"
DEFAULT_LOCALE = "en"


def _po_files() -> dict[str, bytes]:
    """Each language's `web.po`, by its folder name."""
    folder = files("i18n") / "locales"
    found: dict[str, bytes] = {}
    for language in folder.iterdir():
        po = language / "LC_MESSAGES" / f"{DOMAIN}.po"
        if po.is_file():
            found[language.name] = po.read_bytes()
    return found


@cache
def messages() -> dict[str, dict[str, str]]:
    """Every catalog compiled: a translation left empty or marked fuzzy is left out, so the
    app shows the English text rather than a wrong or blank one."""
    compiled: dict[str, dict[str, str]] = {DEFAULT_LOCALE: {}}
    for locale, raw in sorted(_po_files().items()):
        catalog = read_po(BytesIO(raw), locale=locale, domain=DOMAIN)
        compiled[locale] = {
            str(m.id): str(m.string)
            for m in catalog
            if m.id and isinstance(m.id, str) and m.string and not m.fuzzy
        }
    return compiled


def supported_locales() -> list[str]:
    """The languages the app speaks, English first."""
    return [DEFAULT_LOCALE, *sorted(k for k in messages() if k != DEFAULT_LOCALE)]


@cache
def catalog_json(locale: str) -> bytes | None:
    """A language's catalog as the app loads it, or None for a language it does not speak."""
    table = messages().get(locale)
    if table is None:
        return None
    body = {"locale": locale, "messages": table}
    return json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8")


@cache
def languages_json() -> bytes:
    """What the app asks first: the languages it may choose from."""
    body = {"default": DEFAULT_LOCALE, "locales": supported_locales()}
    return json.dumps(body).encode("utf-8")
