"""inviteUser: a company admin invites an email, with a role, to their own company."""

from __future__ import annotations

import strawberry

from domain import account_links, invitations
from graph.context import Context
from graph.guards import require_recent_step_up
from graph.types.accounts import Invitation, InvitationSent, InviteUserInput, InviteUserResult
from graph.types.errors import (
    AccountExistsError,
    InvalidEmailError,
    NotCompanyAdminError,
    UnsupportedLocaleError,
)
from i18n.negotiation import supported
from models.company import Company
from models.enums import PayRole


async def invite_user(
    info: strawberry.Info[Context, None], input: InviteUserInput
) -> InviteUserResult:
    context, runtime = info.context, info.context.runtime
    guard = await require_recent_step_up(context, factor_required=True)
    if not isinstance(guard, tuple):
        return guard
    admin = guard[0].user
    if not admin.is_company_admin or admin.company_id is None:
        return NotCompanyAdminError()
    locale = supported(input.locale) if input.locale is not None else None
    if input.locale is not None and locale is None:
        return UnsupportedLocaleError()
    try:
        outcome = await invitations.invite(
            runtime,
            email=input.email,
            role=PayRole[input.role.name],
            company=await Company.get(id=admin.company_id),
            admin=input.admin,
            inviter=admin,
            base_url=account_links.base_url(context.settings, context.facts.own_origin),
            locale=locale,
        )
    except invitations.BadEmail:
        return InvalidEmailError()
    if isinstance(outcome, invitations.AccountExists):
        return AccountExistsError()
    await invitations.send(runtime, outcome)
    return InvitationSent(invitation=Invitation.from_model(outcome.invitation))
