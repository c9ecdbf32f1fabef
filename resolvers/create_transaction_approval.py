"""createTransactionApproval: a service asks the user to approve one transaction."""

from __future__ import annotations

import strawberry

from domain import transaction_approvals
from domain.transaction_payload import Invalid
from graph.context import Context
from graph.transaction_answers import calling_service, shown
from graph.types.hold import ApprovalHeldError, HoldReasonType
from graph.types.transaction_approval import (
    CreateTransactionApprovalInput,
    TransactionApprovalCreated,
    from_action,
)
from graph.types.transaction_errors import InvalidTransactionError, ServiceCredentialRequiredError
from graph.types.transaction_results import CreateTransactionApprovalResult
from models.hold import Hold


async def create_transaction_approval(
    info: strawberry.Info[Context, None], input: CreateTransactionApprovalInput
) -> CreateTransactionApprovalResult:
    context = info.context
    client = await calling_service(context)
    if client is None:
        return ServiceCredentialRequiredError()
    created = await transaction_approvals.create(
        client,
        str(input.user_id),
        from_action(input.action),
        {
            "amount_minor": input.amount_minor,
            "currency": input.currency,
            "payee_name": input.payee_name,
            "payee_reference": input.payee_reference,
            "description": input.description,
        },
        context.runtime,
    )
    if isinstance(created, Hold):
        return ApprovalHeldError(until=created.until, reason=HoldReasonType(created.reason))
    if isinstance(created, Invalid):
        return InvalidTransactionError(field=created.field, reason=created.reason)
    return TransactionApprovalCreated(approval=await shown(created, context))
