"""Phone numbers: parsing with `phonenumbers`, the country allowlist, and masking. Pure."""

from __future__ import annotations

from dataclasses import dataclass

import phonenumbers


class InvalidPhoneNumber(ValueError):
    """The input cannot be a valid phone number."""


class UnsupportedCountry(ValueError):
    """A valid number of a country that is not on the SMS allowlist."""


@dataclass(frozen=True)
class CountryOption:
    region_code: str
    calling_code: str


MAX_INPUT_LENGTH = 32


def parse_phone_number(country_code: str, phone_number: str, allowed: tuple[str, ...]) -> str:
    """Return the number in E.164, or raise `InvalidPhoneNumber` / `UnsupportedCountry`.

    `country_code` is the dialling prefix the user picked (`+1`); `phone_number` is what they
    typed, in any common format. A number typed in full international form is accepted too.
    """
    if len(country_code) > MAX_INPUT_LENGTH or len(phone_number) > MAX_INPUT_LENGTH:
        raise InvalidPhoneNumber("too long")
    prefix = country_code.strip()
    if not prefix.startswith("+"):
        prefix = "+" + prefix
    digits = prefix[1:]
    if not digits.isascii() or not digits.isdigit():
        raise InvalidPhoneNumber("malformed country code")
    typed = phone_number.strip()
    text = typed if typed.startswith("+") else f"{prefix} {typed}"
    try:
        number = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhoneNumber(str(exc)) from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhoneNumber("not a valid number")
    if phonenumbers.number_type(number) not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise InvalidPhoneNumber("not a mobile number")
    if phonenumbers.region_code_for_number(number) not in allowed:
        raise UnsupportedCountry(phonenumbers.region_code_for_number(number) or "unknown")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def country_options(allowed: tuple[str, ...]) -> list[CountryOption]:
    return [
        CountryOption(region, f"+{phonenumbers.country_code_for_region(region)}")
        for region in allowed
    ]


def mask_phone_number(e164: str | None) -> str | None:
    """Only the last 2 digits leave the server: `+*********23`."""
    if not e164:
        return None
    digits = e164.lstrip("+")
    return "+" + "*" * (len(digits) - 2) + digits[-2:]
