"""Phone numbers: parsing with `phonenumbers`, the country allowlist, and masking. Pure."""

from __future__ import annotations

from dataclasses import dataclass

import phonenumbers


class InvalidPhoneNumber(ValueError):
    """The input cannot be a valid phone number."""


class UnsupportedCountry(ValueError):
    """A valid number of a country that is not on the SMS allowlist."""


class NumberTypeNotAllowed(ValueError):
    """A valid number of a kind that must never be a second factor; `number_type` names it."""

    def __init__(self, number_type: str) -> None:
        super().__init__(number_type)
        self.number_type = number_type


# Numbers that cost the sender (premium-rate, shared-cost: SMS pumping pays their owner), that
# anyone may answer (toll-free, UAN), or that never reach one person's phone (pager, voicemail).
REFUSED_TYPES = {
    phonenumbers.PhoneNumberType.PREMIUM_RATE: "premium_rate",
    phonenumbers.PhoneNumberType.TOLL_FREE: "toll_free",
    phonenumbers.PhoneNumberType.SHARED_COST: "shared_cost",
    phonenumbers.PhoneNumberType.PAGER: "pager",
    phonenumbers.PhoneNumberType.VOICEMAIL: "voicemail",
    phonenumbers.PhoneNumberType.UAN: "uan",
}
ACCEPTED_TYPES = (
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    # A VoIP number signs in, but never approves a transaction by SMS (domain/phone_trust.py).
    phonenumbers.PhoneNumberType.VOIP,
)


def is_voip(e164: str) -> bool:
    """Whether `phonenumbers` classifies the number as VoIP (offline, from its metadata)."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return False
    return bool(phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.VOIP)


@dataclass(frozen=True)
class CountryOption:
    region_code: str
    calling_code: str


MAX_INPUT_LENGTH = 32


def parse_phone_number(country_code: str, phone_number: str, allowed: tuple[str, ...]) -> str:
    """Return the number in E.164, or raise `InvalidPhoneNumber` / `NumberTypeNotAllowed` /
    `UnsupportedCountry`.

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
    number_type = phonenumbers.number_type(number)
    if number_type in REFUSED_TYPES:
        raise NumberTypeNotAllowed(REFUSED_TYPES[number_type])
    if number_type not in ACCEPTED_TYPES:
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
