"""acceptInvitation: the invitee chooses a password; payments users enroll MFA next (the
pending session `logIn` gives them), everyone else is signed in."""

from __future__ import annotations

import strawberry

from domain import invitations
from domain.sessions import lifetime_seconds
from domain.sign_in import signed_in
from graph.answers import logged_in
from graph.context import Context
from graph.types.accounts import AcceptInvitationInput, AcceptInvitationResult, weak_password
from graph.types.enums import ClientKind
from graph.types.errors import LinkInvalidError
from graph.types.payloads import MfaSetupRequired


async def accept_invitation(
    info: strawberry.Info[Context, None], input: AcceptInvitationInput
) -> AcceptInvitationResult:
    context, runtime = info.context, info.context.runtime
    native = input.client is ClientKind.NATIVE
    outcome = await invitations.accept(input.token, input.password, runtime)
    match outcome:
        case invitations.LinkInvalid():
            return LinkInvalidError()
        case invitations.Weak():
            return weak_password(outcome.reason, outcome.rules)
    if outcome.enroll:
        pending = context.deliver_token(
            outcome.token, native=native, max_age_seconds=lifetime_seconds(outcome.session)
        )
        return MfaSetupRequired(pending_token=pending)
    signed = await signed_in(outcome.session, outcome.token, outcome.user, runtime)
    return logged_in(signed, context, native=native)
