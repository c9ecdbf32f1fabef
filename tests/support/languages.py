"""GraphQL documents and clients of the language tests."""

from __future__ import annotations

import httpx

from tests.support.clients import HttpFactory

SET_PREFERRED_LANGUAGE = """
mutation Language($input: SetPreferredLanguageInput!) { setPreferredLanguage(input: $input) {
  __typename
  ... on PreferredLanguageSet { user { email locale effectiveLocale } }
  ... on UnsupportedLocaleError { code message supportedLocales }
} }
"""

VIEWER_LOCALE = "{ viewer { email locale effectiveLocale } }"


def speaking(new_http: HttpFactory, accept_language: str) -> httpx.AsyncClient:
    """A new client whose every request sends `Accept-Language: accept_language`."""
    http = new_http()
    http.headers["Accept-Language"] = accept_language
    return http
