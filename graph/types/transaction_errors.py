"""The expected failures of transaction approvals (docs/services.md, docs/errors.md)."""

from __future__ import annotations

import strawberry

from graph.types.errors import ErrorCode, UserError, code_field, message_field


@strawberry.type(
    description=(
        "Only a service credential may do this: send `Authorization: Basic` with the client_id "
        "and client_secret of `twofold service create`. A user's session never can."
    )
)
class ServiceCredentialRequiredError(UserError):
    code: ErrorCode = code_field(ErrorCode.SERVICE_CREDENTIAL_REQUIRED)
    message: str = message_field("This needs a service credential.")


@strawberry.type(description="A field of the transaction cannot be approved as sent.")
class InvalidTransactionError(UserError):
    code: ErrorCode = code_field(ErrorCode.INVALID_TRANSACTION)
    message: str = message_field("The transaction cannot be approved as sent.")
    field: str = strawberry.field(description="The input field at fault, such as `currency`.")
    reason: str = strawberry.field(
        description=(
            "Why: `required`, `unknown_currency` (not ISO 4217 tender today), `out_of_range`, "
            "`too_long`, `invalid_characters` (bidi controls, zero-width or other hidden "
            "characters), `unknown_user`, or `no_second_factor` (the user holds no factor to "
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
    code: ErrorCode = code_field(ErrorCode.TRANSACTION_APPROVAL_NOT_FOUND)
    message: str = message_field("There is no such approval.")


@strawberry.type(description="The approval's time ran out; the service must ask again.")
class TransactionApprovalExpiredError(UserError):
    code: ErrorCode = code_field(ErrorCode.TRANSACTION_APPROVAL_EXPIRED)
    message: str = message_field("This approval has expired.")


@strawberry.type(description="The user declined this transaction; it can never be approved.")
class TransactionDeclinedError(UserError):
    code: ErrorCode = code_field(ErrorCode.TRANSACTION_DECLINED)
    message: str = message_field("This transaction was declined.")


@strawberry.type(description="The transaction was approved already (and maybe redeemed).")
class TransactionAlreadyDecidedError(UserError):
    code: ErrorCode = code_field(ErrorCode.TRANSACTION_ALREADY_DECIDED)
    message: str = message_field("This transaction was already approved.")


@strawberry.type(
    description="The code (or key signature) does not approve this transaction; try again."
)
class WrongTransactionCodeError(UserError):
    code: ErrorCode = code_field(ErrorCode.WRONG_TRANSACTION_CODE)
    message: str = message_field("The code is incorrect.")
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
    code: ErrorCode = code_field(ErrorCode.TRANSACTION_ATTEMPTS_EXHAUSTED)
    message: str = message_field("Too many incorrect codes.")
    session_ended: bool = strawberry.field(description="True when the user was signed out.")


@strawberry.type(description="The user has not approved this transaction (yet).")
class TransactionNotApprovedError(UserError):
    code: ErrorCode = code_field(ErrorCode.TRANSACTION_NOT_APPROVED)
    message: str = message_field("The transaction has not been approved.")


@strawberry.type(
    description="The payload hash differs from the hash of what the user approved; nothing changed."
)
class PayloadHashMismatchError(UserError):
    code: ErrorCode = code_field(ErrorCode.PAYLOAD_HASH_MISMATCH)
    message: str = message_field("The payload hash does not match the approval.")


@strawberry.type(description="The approval was redeemed already; it is redeemed only once.")
class TransactionAlreadyRedeemedError(UserError):
    code: ErrorCode = code_field(ErrorCode.TRANSACTION_ALREADY_REDEEMED)
    message: str = message_field("This approval was already redeemed.")
