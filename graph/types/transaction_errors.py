"""The expected failures of transaction approvals (docs/services.md, docs/errors.md)."""

from __future__ import annotations

from typing import Any

import strawberry

from graph.types.errors import ErrorCode, UserError

_CODE = "Stable code of this failure; switch on it (or on `__typename`)."
_MESSAGE = "Human-readable explanation in English; do not parse it."


def _code(value: ErrorCode) -> Any:
    return strawberry.field(default=value, description=_CODE)


def _message(text: str) -> Any:
    return strawberry.field(default=text, description=_MESSAGE)


@strawberry.type(
    description=(
        "Only a service credential may do this: send `Authorization: Basic` with the client_id "
        "and client_secret of `twofold service create`. A user's session never can."
    )
)
class ServiceCredentialRequiredError(UserError):
    code: ErrorCode = _code(ErrorCode.SERVICE_CREDENTIAL_REQUIRED)
    message: str = _message("This needs a service credential.")


@strawberry.type(description="A field of the transaction cannot be approved as sent.")
class InvalidTransactionError(UserError):
    code: ErrorCode = _code(ErrorCode.INVALID_TRANSACTION)
    message: str = _message("The transaction cannot be approved as sent.")
    field: str = strawberry.field(description="The input field at fault, such as `currency`.")
    reason: str = strawberry.field(
        description=(
            "Why: `required`, `unknown_currency` (not ISO 4217 tender today), `out_of_range`, "
            "`too_long`, `unknown_user`, or `no_second_factor` (the user holds no factor to "
            "approve with)."
        )
    )


@strawberry.type(
    description=(
        "No such approval: it does not exist, or belongs to another user (or, for a service, "
        "was created by another service). Nothing tells these apart."
    )
)
class TransactionApprovalNotFoundError(UserError):
    code: ErrorCode = _code(ErrorCode.TRANSACTION_APPROVAL_NOT_FOUND)
    message: str = _message("There is no such approval.")


@strawberry.type(description="The approval's time ran out; the service must ask again.")
class TransactionApprovalExpiredError(UserError):
    code: ErrorCode = _code(ErrorCode.TRANSACTION_APPROVAL_EXPIRED)
    message: str = _message("This approval has expired.")


@strawberry.type(description="The user declined this transaction; it can never be approved.")
class TransactionDeclinedError(UserError):
    code: ErrorCode = _code(ErrorCode.TRANSACTION_DECLINED)
    message: str = _message("This transaction was declined.")


@strawberry.type(description="The transaction was approved already (and maybe redeemed).")
class TransactionAlreadyDecidedError(UserError):
    code: ErrorCode = _code(ErrorCode.TRANSACTION_ALREADY_DECIDED)
    message: str = _message("This transaction was already approved.")


@strawberry.type(
    description="The code (or key signature) does not approve this transaction; try again."
)
class WrongTransactionCodeError(UserError):
    code: ErrorCode = _code(ErrorCode.WRONG_TRANSACTION_CODE)
    message: str = _message("The code is incorrect.")
    attempts_remaining: int = strawberry.field(
        description="Wrong answers this approval still allows."
    )


@strawberry.type(
    description=(
        "Too many wrong answers: this approval allows no more (5 at most); when "
        "`sessionEnded` is true, 10 wrong answers in a row ended the session: sign in again."
    )
)
class TransactionAttemptsExhaustedError(UserError):
    code: ErrorCode = _code(ErrorCode.TRANSACTION_ATTEMPTS_EXHAUSTED)
    message: str = _message("Too many incorrect codes.")
    session_ended: bool = strawberry.field(description="True when the user was signed out.")


@strawberry.type(description="The user has not approved this transaction (yet).")
class TransactionNotApprovedError(UserError):
    code: ErrorCode = _code(ErrorCode.TRANSACTION_NOT_APPROVED)
    message: str = _message("The transaction has not been approved.")


@strawberry.type(
    description="The payload hash differs from the hash of what the user approved; nothing changed."
)
class PayloadHashMismatchError(UserError):
    code: ErrorCode = _code(ErrorCode.PAYLOAD_HASH_MISMATCH)
    message: str = _message("The payload hash does not match the approval.")


@strawberry.type(description="The approval was redeemed already; it is redeemed only once.")
class TransactionAlreadyRedeemedError(UserError):
    code: ErrorCode = _code(ErrorCode.TRANSACTION_ALREADY_REDEEMED)
    message: str = _message("This approval was already redeemed.")
