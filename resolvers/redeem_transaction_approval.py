"""redeemTransactionApproval: the service spends an approval, exactly once."""

from __future__ import annotations

import strawberry

from domain import transaction_approvals
from graph.context import Context
from graph.transaction_answers import calling_service, refusal_answer, shown
from graph.types.enums import to_method
from graph.types.transaction_approval import (
    RedeemTransactionApprovalInput,
    TransactionApprovalRedeemed,
)
from graph.types.transaction_errors import ServiceCredentialRequiredError
from graph.types.transaction_results import RedeemTransactionApprovalResult


async def redeem_transaction_approval(
    info: strawberry.Info[Context, None], input: RedeemTransactionApprovalInput
) -> RedeemTransactionApprovalResult:
    context = info.context
    client = await calling_service(context)
    if client is None:
        return ServiceCredentialRequiredError()
    outcome = await transaction_approvals.redeem(
        client, str(input.approval_id), input.payload_hash, context.runtime
    )
    if isinstance(outcome, transaction_approvals.Refusal):
        return refusal_answer(outcome)  # type: ignore[return-value]
    approval = outcome.approval
    assert approval.decided_at is not None and approval.method is not None  # approved first
    return TransactionApprovalRedeemed(
        approval=await shown(approval, context),
        approved_at=approval.decided_at,
        method=to_method(approval.method),
        amr=(approval.amr or "").split(),
    )
