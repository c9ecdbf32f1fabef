"""Cooling-off holds as clients see them, and the failures they and two-admin requests give."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Self

import strawberry

from graph.types.errors import ErrorCode, UserError, code_field, message_field
from models.hold import Hold, HoldReason


@strawberry.enum(name="HoldReason", description="The risky account change that started a hold.")
class HoldReasonType(Enum):
    MFA_RESET = strawberry.enum_value(
        HoldReason.MFA_RESET, description="A company admin reset the user's MFA."
    )
    RECOVERY_CODE_SIGN_IN = strawberry.enum_value(
        HoldReason.RECOVERY_CODE_SIGN_IN, description="The user signed in with the recovery code."
    )
    PHONE_CHANGE = strawberry.enum_value(
        HoldReason.PHONE_CHANGE, description="The SMS factor's phone number was replaced."
    )
    FACTOR_ADDED = strawberry.enum_value(
        HoldReason.FACTOR_ADDED, description="A second factor was added."
    )
    FACTOR_REMOVED = strawberry.enum_value(
        HoldReason.FACTOR_REMOVED, description="A second factor was removed."
    )
    PASSWORD_CHANGE = strawberry.enum_value(
        HoldReason.PASSWORD_CHANGE, description="The user changed their password."
    )
    PASSWORD_RESET = strawberry.enum_value(
        HoldReason.PASSWORD_RESET, description="The password was reset by email."
    )


@strawberry.type(
    name="Hold",
    description=(
        "A cooling-off hold: until `until`, DISBURSEMENT and BANK_ACCOUNT_CHANGE approvals "
        "are refused (ApprovalHeldError); signing in and everything else work."
    ),
)
class HoldType:
    reason: HoldReasonType = strawberry.field(description="The change that started it.")
    started_at: datetime = strawberry.field(description="When the change happened.")
    until: datetime = strawberry.field(description="When the hold ends by itself.")

    @classmethod
    def from_model(cls, hold: Hold) -> Self:
        return cls(reason=HoldReasonType(hold.reason), started_at=hold.started_at, until=hold.until)


@strawberry.type(
    description=(
        "A cooling-off hold runs on the user after a risky account change: disbursements and "
        "bank-account changes wait until `until`. Try again then, or have two company admins "
        "end it early (requestHoldRelease, approveHoldRelease)."
    )
)
class ApprovalHeldError(UserError):
    code: ErrorCode = code_field(ErrorCode.APPROVAL_HELD)
    message: str = message_field("This action is paused after a recent change to the account.")
    until: datetime = strawberry.field(description="When the last running hold ends.")
    reason: HoldReasonType = strawberry.field(description="The change behind that hold.")
