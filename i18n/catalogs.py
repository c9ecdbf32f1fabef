"""The catalogs of `locales/<lang>/LC_MESSAGES/<domain>.po`, compiled in memory.

No `.mo` is built or committed: each `.po` is read with Babel, written to an in-memory `.mo`
and loaded as `babel.support.Translations`, once per process and catalog (the app compiles
them all when it is created: `compile_all`).
"""

from __future__ import annotations

from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALES_DIR = Path(__file__).parent / "locales"
DEFAULT_LOCALE = "en"
DOMAIN = "twofold"


def _present() -> tuple[str, ...]:
    """Every language with a catalog of the `twofold` domain, English first."""
    found = sorted(
        path.parent.parent.name for path in LOCALES_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")
    )
    return (DEFAULT_LOCALE, *(code for code in found if code != DEFAULT_LOCALE))


SUPPORTED_LOCALES: tuple[str, ...] = _present()


def catalog_path(locale: str, domain: str = DOMAIN) -> Path:
    return LOCALES_DIR / locale / "LC_MESSAGES" / f"{domain}.po"


@cache
def translations(locale: str, domain: str = DOMAIN) -> NullTranslations:
    """The compiled catalog of `locale` for `domain`; the msgids themselves (English) when the
    language has no such catalog."""
    path = catalog_path(locale, domain)
    if not path.is_file():
        return NullTranslations()
    with path.open("rb") as source:
        catalog = read_po(source, locale=locale, domain=domain)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=domain)


def compile_all(domain: str = DOMAIN) -> None:
    """Compile every supported catalog now: a broken `.po` stops the start, not a request."""
    for locale in SUPPORTED_LOCALES:
        translations(locale, domain)


def gettext(locale: str, message: str, domain: str = DOMAIN) -> str:
    """`message` (an English msgid) in `locale`."""
    return translations(locale, domain).gettext(message)
