"""The refusal of a phone number whose kind can never be a second factor."""

from __future__ import annotations

from enum import Enum

import strawberry

from graph.types.errors import ErrorCode, UserError, code_field, message_field


@strawberry.enum(name="PhoneNumberType", description="A kind of number refused as a factor.")
class PhoneNumberTypeValue(Enum):
    PREMIUM_RATE = strawberry.enum_value(
        "premium_rate", description="Costs the caller; texts to it pay its owner."
    )
    TOLL_FREE = strawberry.enum_value("toll_free", description="Free to call; often shared.")
    SHARED_COST = strawberry.enum_value("shared_cost", description="The cost is shared.")
    PAGER = strawberry.enum_value("pager", description="A pager, not a phone.")
    VOICEMAIL = strawberry.enum_value("voicemail", description="Reaches a voicemail box only.")
    UAN = strawberry.enum_value("uan", description="A universal access number of a company.")


@strawberry.type(
    description=(
        "The number is premium-rate, toll-free, shared-cost, a pager, voicemail or a "
        "universal access number: none can receive a person's codes. Ask for a mobile number."
    )
)
class PhoneNumberTypeNotAllowedError(UserError):
    code: ErrorCode = code_field(ErrorCode.PHONE_NUMBER_TYPE_NOT_ALLOWED)
    message: str = message_field("This kind of number cannot receive verification codes.")
    number_type: PhoneNumberTypeValue = strawberry.field(
        description="The kind of number, as `phonenumbers` classifies it."
    )
