"""transactionApproval: the signed-in user's own approval, to show what they approve."""

from __future__ import annotations

from typing import Annotated

import strawberry

from domain import transaction_approvals
from graph.context import Context
from graph.transaction_answers import shown
from graph.types.transaction_approval import TransactionApproval
from models.enums import SessionKind


async def transaction_approval(
    info: strawberry.Info[Context, None],
    id: Annotated[strawberry.ID, strawberry.argument(description="The approval's id.")],
) -> TransactionApproval | None:
    context = info.context
    session = await context.session()
    if session is None or session.kind is not SessionKind.FULL:
        return None
    approval = await transaction_approvals.own_approval(str(id), session.user_id)
    return None if approval is None else await shown(approval, context, session.user)
