"""pendingInvitations: a company admin's invitations still waiting to be accepted."""

from __future__ import annotations

import strawberry

from domain import invitations
from graph.context import Context
from graph.types.accounts import Invitation


async def pending_invitations(info: strawberry.Info[Context, None]) -> list[Invitation] | None:
    context = info.context
    session = await context.session()
    if session is None or session.kind.value != "full":
        return None
    user = session.user
    if not user.is_company_admin or user.company_id is None:
        return None
    rows = await invitations.pending(user.company_id, context.runtime)
    return [Invitation.from_model(row) for row in rows]
