"""Result unions of the transaction approval mutations."""

from __future__ import annotations

from typing import Annotated

import strawberry

from graph.types.errors import (
    CodeExpiredError,
    MethodNotAllowedError,
    RateLimitedError,
    ResendNotAvailableError,
    SmsDeliveryFailedError,
)
from graph.types.hold import ApprovalHeldError
from graph.types.transaction_approval import (
    TransactionApprovalCreated,
    TransactionApprovalRedeemed,
    TransactionApproved,
    TransactionCodeSent,
    TransactionDeclined,
    TransactionKeyChallengeStarted,
)
from graph.types.transaction_errors import (
    InvalidTransactionError,
    PayloadHashMismatchError,
    ServiceCredentialRequiredError,
    TransactionAlreadyDecidedError,
    TransactionAlreadyRedeemedError,
    TransactionApprovalExpiredError,
    TransactionApprovalNotFoundError,
    TransactionAttemptsExhaustedError,
    TransactionDeclinedError,
    TransactionNotApprovedError,
    WrongTransactionCodeError,
)

Undecidable = (
    TransactionApprovalNotFoundError
    | TransactionApprovalExpiredError
    | TransactionDeclinedError
    | TransactionAlreadyDecidedError
)
"""Why the user can no longer act on an approval."""

CreateTransactionApprovalResult = Annotated[
    TransactionApprovalCreated
    | ServiceCredentialRequiredError
    | InvalidTransactionError
    | ApprovalHeldError,
    strawberry.union(
        "CreateTransactionApprovalResult", description="Outcome of createTransactionApproval."
    ),
]
SendTransactionCodeResult = Annotated[
    TransactionCodeSent
    | ResendNotAvailableError
    | RateLimitedError
    | SmsDeliveryFailedError
    | MethodNotAllowedError
    | Undecidable,
    strawberry.union("SendTransactionCodeResult", description="Outcome of sendTransactionCode."),
]
StartTransactionKeyChallengeResult = Annotated[
    TransactionKeyChallengeStarted | MethodNotAllowedError | Undecidable,
    strawberry.union(
        "StartTransactionKeyChallengeResult",
        description="Outcome of startTransactionKeyChallenge.",
    ),
]
ApproveTransactionResult = Annotated[
    TransactionApproved
    | WrongTransactionCodeError
    | TransactionAttemptsExhaustedError
    | CodeExpiredError
    | MethodNotAllowedError
    | Undecidable
    | ApprovalHeldError,
    strawberry.union("ApproveTransactionResult", description="Outcome of approveTransaction."),
]
DeclineTransactionResult = Annotated[
    TransactionDeclined | Undecidable,
    strawberry.union("DeclineTransactionResult", description="Outcome of declineTransaction."),
]
RedeemTransactionApprovalResult = Annotated[
    TransactionApprovalRedeemed
    | ServiceCredentialRequiredError
    | TransactionApprovalNotFoundError
    | TransactionApprovalExpiredError
    | TransactionDeclinedError
    | TransactionNotApprovedError
    | PayloadHashMismatchError
    | TransactionAlreadyRedeemedError,
    strawberry.union(
        "RedeemTransactionApprovalResult", description="Outcome of redeemTransactionApproval."
    ),
]
