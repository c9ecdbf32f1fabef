"""Turning a typed phone number into E.164, or into the error a client shows for it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from graph.types.errors import InvalidPhoneNumberError, UnsupportedCountryError
from graph.types.phone_type import PhoneNumberTypeNotAllowedError, PhoneNumberTypeValue
from graph.types.sms import SmsCountry
from models.phone import (
    InvalidPhoneNumber,
    NumberTypeNotAllowed,
    UnsupportedCountry,
    country_options,
    parse_phone_number,
)

if TYPE_CHECKING:
    from graph.context import Context


def allowed_countries(context: Context) -> list[SmsCountry]:
    """The countries offered in 'Select Your Country Code'."""
    return [
        SmsCountry(region_code=c.region_code, calling_code=c.calling_code)
        for c in country_options(context.settings.sms_allowed_countries)
    ]


def phone_or_refusal(
    country_code: str, phone_number: str, context: Context
) -> str | InvalidPhoneNumberError | UnsupportedCountryError | PhoneNumberTypeNotAllowedError:
    try:
        return parse_phone_number(
            country_code, phone_number, context.settings.sms_allowed_countries
        )
    except NumberTypeNotAllowed as refused:
        return PhoneNumberTypeNotAllowedError(number_type=PhoneNumberTypeValue(refused.number_type))
    except InvalidPhoneNumber:
        return InvalidPhoneNumberError()
    except UnsupportedCountry:
        return UnsupportedCountryError(allowed_countries=allowed_countries(context))
