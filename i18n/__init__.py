"""Translations: gettext catalogs compiled with Babel, and the choice of a request's language.

Beside providers/ in the layers: domain/ and graph/ import it, it imports neither. English is
the source language (the msgids are the English texts); adding a language is adding a catalog
under `locales/` (docs/i18n.md).
"""
