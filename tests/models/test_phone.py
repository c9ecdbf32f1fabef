"""Phone number parsing, the SMS country allowlist and masking."""

from __future__ import annotations

import pytest

from models.phone import (
    InvalidPhoneNumber,
    UnsupportedCountry,
    country_options,
    mask_phone_number,
    parse_phone_number,
)

US = ("US",)


@pytest.mark.parametrize(
    ("country_code", "typed"),
    [
        ("+1", "201 555 0123"),
        ("1", "(201) 555-0123"),
        ("+1", "201.555.0123"),
        ("+1", "+1 201 555 0123"),
        (" +1 ", " 2015550123 "),
    ],
)
def test_common_formats_normalize_to_e164(country_code: str, typed: str) -> None:
    assert parse_phone_number(country_code, typed, US) == "+12015550123"


@pytest.mark.parametrize(
    ("country_code", "typed"),
    [
        ("+1", "abc"),
        ("+1", ""),
        ("+1", "999"),
        ("x1", "201 555 0123"),
        ("+1", "2" * 40),
        ("+1", "201 555 01234"),
        ("+١", "201 555 0123"),
    ],
)
def test_malformed_numbers_are_invalid(country_code: str, typed: str) -> None:
    with pytest.raises(InvalidPhoneNumber):
        parse_phone_number(country_code, typed, US)


@pytest.mark.parametrize(
    ("country_code", "typed"), [("+1", "416 555 0199"), ("+44", "7911 123456")]
)
def test_numbers_outside_the_allowlist_are_unsupported(country_code: str, typed: str) -> None:
    with pytest.raises(UnsupportedCountry):
        parse_phone_number(country_code, typed, US)


def test_allowlist_is_a_setting() -> None:
    assert parse_phone_number("+44", "7400 123456", ("US", "GB")) == "+447400123456"


def test_mask_shows_only_the_last_two_digits() -> None:
    assert mask_phone_number("+12015550123") == "+*********23"
    assert mask_phone_number(None) is None


def test_country_options_give_calling_codes() -> None:
    options = country_options(("US", "GB"))
    assert [(o.region_code, o.calling_code) for o in options] == [("US", "+1"), ("GB", "+44")]
