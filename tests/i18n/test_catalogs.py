"""The catalogs hold every msgid of the code, extracted by Babel as docs/i18n.md tells: Spanish
completely, French for every text message and email; each translation keeps its fields."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from i18n.catalogs import SUPPORTED_LOCALES, catalog_path, gettext, translations

ROOT = Path(__file__).resolve().parent.parent.parent
PACKAGES = ("graph", "domain", "resolvers", "providers")
FIELD = re.compile(r"\{(\w*)\}")


def extracted(keywords: dict) -> set[str]:
    """The msgids Babel's extractor finds in the code for `keywords` (as pybabel extract)."""
    method_map = [("**.py", "python")]
    return {
        message if isinstance(message, str) else message[0]
        for package in PACKAGES
        for _, _, message, _, _ in extract_from_dir(
            ROOT / package, method_map, keywords=keywords, strip_comment_tags=True
        )
    }


ERROR_MESSAGES = extracted({"message_field": None})
TEXTS_AND_EMAILS = extracted(DEFAULT_KEYWORDS)


def translated(locale: str) -> dict[str, str]:
    with catalog_path(locale).open("rb") as source:
        catalog = read_po(source)
    return {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}


def test_english_spanish_and_french_are_supported_because_their_catalogs_exist() -> None:
    assert SUPPORTED_LOCALES == ("en", "es", "fr")


def test_the_code_marks_its_texts_errors_and_emails_for_extraction() -> None:
    # then: a sample of each kind is found, so an empty extraction cannot pass the tests below
    assert "The email or password is incorrect." in ERROR_MESSAGES
    assert "Never share it with anyone; we will never ask for it." in TEXTS_AND_EMAILS
    assert "Reset your password" in TEXTS_AND_EMAILS
    assert len(ERROR_MESSAGES) >= 40 and len(TEXTS_AND_EMAILS) >= 30


def test_the_template_is_what_the_extractor_finds_now() -> None:
    # given
    with (ROOT / "i18n" / "twofold.pot").open("rb") as source:
        template = {m.id for m in read_po(source) if m.id}

    # then: pybabel extract was run after the last change of a message
    assert template == ERROR_MESSAGES | TEXTS_AND_EMAILS


def test_spanish_translates_every_message() -> None:
    missing = (ERROR_MESSAGES | TEXTS_AND_EMAILS) - set(translated("es"))
    assert missing == set()


def test_french_translates_every_text_message_and_email() -> None:
    missing = TEXTS_AND_EMAILS - set(translated("fr"))
    assert missing == set()


@pytest.mark.parametrize("locale", ["es", "fr"])
def test_each_translation_keeps_the_fields_of_its_msgid(locale: str) -> None:
    wrong = {
        msgid: text
        for msgid, text in translated(locale).items()
        if sorted(FIELD.findall(msgid)) != sorted(FIELD.findall(text))
    }
    assert wrong == {}


def test_a_catalog_answers_in_its_language_and_english_is_the_msgid_itself() -> None:
    message = "The email or password is incorrect."
    assert gettext("es", message) == "El correo o la contraseña son incorrectos."
    assert gettext("fr", message) == "L'adresse e-mail ou le mot de passe est incorrect."
    assert gettext("en", message) == message
    assert gettext("de", message) == message  # no catalog: the English text
    assert translations("es") is translations("es")  # compiled once
