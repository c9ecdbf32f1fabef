"""The request's language: the best supported match of Accept-Language, English otherwise."""

from __future__ import annotations

import pytest

from i18n.negotiation import best_locale, supported


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("es-MX,es;q=0.9,en;q=0.5", "es"),
        ("fr-CA", "fr"),
        ("ES-419", "es"),
        ("en-US,en;q=0.9,es;q=0.8", "en"),
        ("de-DE, fr;q=0.5, es;q=0.7", "es"),
        ("es;q=0, fr", "fr"),
        ("de-DE,de;q=0.9", "en"),
        ("*", "en"),
        ("", "en"),
        (None, "en"),
        ("es;q=abc, fr;q=0.1", "fr"),
        ("es," * 2000, "en"),
    ],
)
def test_the_best_supported_match_else_english(header: str | None, expected: str) -> None:
    assert best_locale(header) == expected


@pytest.mark.parametrize(
    ("tag", "expected"),
    [("es", "es"), ("es-MX", "es"), ("fr_FR", "fr"), ("EN", "en"), ("de", None), ("", None),
     ("not a tag", None), ("x" * 100, None)],
)  # fmt: skip
def test_a_tag_is_stored_as_its_supported_language(tag: str, expected: str | None) -> None:
    assert supported(tag) == expected
