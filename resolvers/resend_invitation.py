"""resendInvitation: a new link for a pending invitation; the old link stops working."""

from __future__ import annotations

import strawberry

from domain import account_links, invitations
from graph.context import Context
from graph.guards import require_recent_step_up
from graph.types.accounts import (
    Invitation,
    InvitationIdInput,
    InvitationSent,
    ResendInvitationResult,
    invitation_id,
)
from graph.types.errors import InvitationNotFoundError, NotCompanyAdminError


async def resend_invitation(
    info: strawberry.Info[Context, None], input: InvitationIdInput
) -> ResendInvitationResult:
    context, runtime = info.context, info.context.runtime
    guard = await require_recent_step_up(context, factor_required=True)
    if not isinstance(guard, tuple):
        return guard
    admin = guard[0].user
    if not admin.is_company_admin or admin.company_id is None:
        return NotCompanyAdminError()
    wanted = invitation_id(str(input.id))
    base = account_links.base_url(context.settings, context.facts.own_origin)
    invited = await invitations.resend(runtime, wanted, admin.company_id, base) if wanted else None
    if invited is None:
        return InvitationNotFoundError()
    await invitations.send(runtime, invited)
    return InvitationSent(invitation=Invitation.from_model(invited.invitation))
