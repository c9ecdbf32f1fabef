"""checkPassword: the rules for this account and whether a password being typed meets them
(a mutation, so the password never travels in a GET URL)."""

from __future__ import annotations

import strawberry

from domain import invitations, password_reset, password_rules
from graph.context import Context
from graph.types.accounts import CheckPasswordInput, CheckPasswordResult, PasswordCheck
from graph.types.errors import WeakPasswordReason
from models.enums import SessionKind


async def check_password(
    info: strawberry.Info[Context, None], input: CheckPasswordInput
) -> CheckPasswordResult:
    context, runtime = info.context, info.context.runtime
    # Whose password: the signed-in user's, the link's account's, else the stricter rules.
    rules = password_rules.rules_for(context.settings, has_second_factor=False)
    email = input.email or ""
    session = await context.session()
    if session is not None and session.kind is SessionKind.FULL:
        rules, email = password_reset.rules_of(session.user, runtime), session.user.email
    elif input.token:
        reset = await password_reset.find(input.token, runtime)
        invitation = None if reset else await invitations.find(input.token, runtime)
        if reset is not None:
            rules, email = password_reset.rules_of(reset.user, runtime), reset.user.email
        elif invitation is not None:
            rules = invitations.rules_for_role(invitation.pay_role, runtime)
            email = invitation.email
    reason = password_rules.check(input.password, email, rules)
    return PasswordCheck(
        acceptable=reason is None,
        reason=WeakPasswordReason[reason.name] if reason else None,
        min_length=rules.min_length,
        max_length=rules.max_length,
    )
