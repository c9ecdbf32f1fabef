"""approveTransaction: the user's code, app code or key signature approves one transaction."""

from __future__ import annotations

import strawberry

from domain import holds
from domain import transaction_challenges as challenges
from domain.phone_trust import approval_methods
from domain.transaction_approvals import Refusal
from graph.answers import method_not_allowed
from graph.context import Context
from graph.transaction_answers import own_pending, refusal_answer, shown
from graph.types.enums import from_method
from graph.types.errors import CodeExpiredError
from graph.types.hold import ApprovalHeldError, HoldReasonType
from graph.types.transaction_approval import ApproveTransactionInput, TransactionApproved
from graph.types.transaction_errors import (
    TransactionAttemptsExhaustedError,
    WrongTransactionCodeError,
)
from graph.types.transaction_results import ApproveTransactionResult
from models.transaction_approval import TransactionApproval


async def approve_transaction(
    info: strawberry.Info[Context, None], input: ApproveTransactionInput
) -> ApproveTransactionResult:
    context = info.context
    found = await own_pending(context, str(input.approval_id))
    if not isinstance(found, tuple):
        return found
    session, approval = found
    # One asked for before a risky change waits too: the change may be someone else's.
    if approval.action in holds.HELD_ACTIONS and (
        running := await holds.active(context.runtime, session.user_id)
    ):
        return ApprovalHeldError(until=running[0].until, reason=HoldReasonType(running[0].reason))
    methods = await approval_methods(session.user, context.runtime)
    method = from_method(input.method)
    if method not in methods:
        return method_not_allowed(methods)
    outcome = await challenges.approve(approval, session, method, input.code, context.runtime)
    match outcome:
        case TransactionApproval():
            return TransactionApproved(approval=await shown(outcome, context, session.user))
        case challenges.Wrong():
            return WrongTransactionCodeError(attempts_remaining=outcome.attempts_remaining)
        case challenges.TooMany():
            if outcome.session_ended:
                context.end_session()
            return TransactionAttemptsExhaustedError(session_ended=outcome.session_ended)
        case challenges.NoChallenge():
            return CodeExpiredError()
        case Refusal():
            return refusal_answer(outcome)  # type: ignore[return-value]
