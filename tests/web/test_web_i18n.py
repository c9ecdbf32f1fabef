"""The reference app in the user's language: its texts all go through t(), the catalogs
(gettext domain `web`, `.po` files read with Babel) hold a Spanish entry for each, and the server
hands them to the browser as JSON beside the app's files."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from babel.messages.pofile import read_po

from graph.http.web_app import _FILES
from graph.schema import schema
from i18n.web_catalog import catalog_json
from tests.support.clients import HttpFactory
from tests.support.web_texts import (
    extracted_msgids,
    shown,
    string_literals,
    web_modules,
)

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "i18n" / "web.pot"
SPANISH = ROOT / "i18n" / "locales" / "es" / "LC_MESSAGES" / "web.po"
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def spanish() -> dict[str, str]:
    with SPANISH.open("rb") as po:
        catalog = read_po(po, locale="es", domain="web")
    return {str(m.id): str(m.string) for m in catalog if m.id and m.string and not m.fuzzy}


def api_names() -> set[str]:
    """Names of the API the modules spell as strings: types, enum values, operations."""
    names = set(schema._schema.type_map)
    for path in (ROOT / "web" / "operations").glob("*.graphql"):
        text = path.read_text(encoding="utf-8")
        names |= set(re.findall(r"^(?:query|mutation|fragment)\s+(\w+)", text, re.M))
    return names


def test_every_text_of_the_app_has_a_spanish_translation() -> None:
    # given
    msgids = extracted_msgids()
    translations = spanish()

    # then: each t() text has an entry, with the same placeholders
    assert len(msgids) > 250
    missing = {m: where for m, where in msgids.items() if m not in translations}
    assert missing == {}
    for msgid in msgids:
        wanted = set(PLACEHOLDER.findall(msgid))
        assert set(PLACEHOLDER.findall(translations[msgid])) == wanted, msgid


def test_the_template_is_what_babel_extracts_from_the_app() -> None:
    # given: the .pot `pybabel extract -F i18n/web.cfg --no-default-keywords -k t` writes
    with TEMPLATE.open("rb") as pot:
        template = {str(m.id) for m in read_po(pot) if m.id}

    # then: no text of the app is missing from it, none is left over
    assert template == set(extracted_msgids())


def test_no_screen_shows_a_text_that_is_not_translated() -> None:
    # given
    names = api_names()

    # when: the literals of every module that read as words, outside t()
    untranslated = [
        f"{path.relative_to(ROOT).as_posix()}:{literal.line}: {literal.text!r}"
        for path in web_modules()
        for literal in string_literals(path.read_text(encoding="utf-8"))
        if shown(literal, names)
    ]

    # then
    assert untranslated == []


def test_the_heuristic_finds_a_text_left_out_of_t() -> None:
    # given: a screen with one text in t(), one outside, and the code's own names
    source = (
        'h("p", {}, t("Save it somewhere " + "safe."), "Left in English", "SmsCodeSent");\n'
        'button(`Try again in ${wait}`, { class: "link wide", role: "status" });\n'
        '// a comment\'s "words" are no text\n'
        'const ok = /^"\\d{6}"$/.test(value) ? "Copy" : "notice";\n'
    )

    # when
    found = [literal.text for literal in string_literals(source) if shown(literal, {"SmsCodeSent"})]

    # then
    assert found == ["Left in English", "Try again in \x00", "Copy"]


def test_the_catalogs_and_the_new_modules_ship_with_the_package() -> None:
    # given
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = pyproject["tool"]["setuptools"]
    patterns = setuptools["package-data"]["i18n"]

    # then
    assert "i18n" in setuptools["packages"]["find"]["include"]
    taken = {path for p in patterns for path in (ROOT / "i18n").glob(p)}
    assert SPANISH in taken and TEMPLATE in taken
    for name in ("i18n.js", "language.js", "webotp.js"):
        assert name in _FILES


async def test_the_server_hands_the_app_its_catalogs(new_http: HttpFactory) -> None:
    async with new_http() as http:
        # when
        languages = await http.get("/web/i18n/languages.json")
        catalog = await http.get("/web/i18n/es.json")
        english = await http.get("/web/i18n/en.json")
        unknown = await http.get("/web/i18n/xx.json")
        climbing = await http.get("/web/i18n/..%2Fweb.json")

    # then: the languages, English first
    assert languages.status_code == 200
    assert languages.json() == {"default": "en", "locales": ["en", "es"]}
    # and: Spanish compiled from the .po file, cacheable
    assert catalog.status_code == 200
    assert catalog.headers["content-type"] == "application/json"
    assert "max-age=" in catalog.headers["cache-control"]
    assert catalog.json()["locale"] == "es"
    assert catalog.json()["messages"] == spanish()
    assert catalog.json()["messages"]["Continue"] == "Continuar"
    # and: English needs no translations, an unknown language is not found
    assert english.json() == {"locale": "en", "messages": {}}
    assert unknown.status_code == 404
    assert climbing.status_code == 404
    assert catalog_json("xx") is None
