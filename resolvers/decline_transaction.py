"""declineTransaction: the user refuses the transaction; it can never be approved."""

from __future__ import annotations

import strawberry

from domain import transaction_approvals
from graph.context import Context
from graph.transaction_answers import own_pending, refusal_answer, shown
from graph.types.transaction_approval import TransactionApprovalInput, TransactionDeclined
from graph.types.transaction_results import DeclineTransactionResult


async def decline_transaction(
    info: strawberry.Info[Context, None], input: TransactionApprovalInput
) -> DeclineTransactionResult:
    context = info.context
    found = await own_pending(context, str(input.approval_id))
    if not isinstance(found, tuple):
        return found
    session, approval = found
    declined = await transaction_approvals.decline(approval, context.runtime)
    if isinstance(declined, transaction_approvals.Refusal):
        return refusal_answer(declined)  # type: ignore[return-value]
    return TransactionDeclined(approval=await shown(declined, context, session.user))
