"""revokeInvitation: a pending invitation's link stops working at once."""

from __future__ import annotations

import strawberry

from domain import invitations
from graph.context import Context
from graph.types.accounts import (
    InvitationIdInput,
    InvitationRevoked,
    RevokeInvitationResult,
    invitation_id,
)
from graph.types.errors import InvitationNotFoundError, NotCompanyAdminError


async def revoke_invitation(
    info: strawberry.Info[Context, None], input: InvitationIdInput
) -> RevokeInvitationResult:
    context = info.context
    admin = (await context.require_full_session()).user
    if not admin.is_company_admin or admin.company_id is None:
        return NotCompanyAdminError()
    wanted = invitation_id(str(input.id))
    if wanted is None or not await invitations.revoke(context.runtime, wanted, admin.company_id):
        return InvitationNotFoundError()
    return InvitationRevoked(id=input.id)
