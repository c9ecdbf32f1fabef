"""The guard in front of every self-service change: a recent second factor."""

from __future__ import annotations

from typing import TYPE_CHECKING

from graph.context import NotAuthenticated
from graph.types.enums import to_method
from graph.types.errors import ReauthenticationRequiredError
from models.session import AuthSession
from resolvers.policy import UserPolicy, policy_for
from resolvers.sessions import revoke_session, second_factor_is_recent

if TYPE_CHECKING:
    from graph.context import Context


async def recent_step_up(
    context: Context, *, factor_required: bool = False
) -> tuple[AuthSession, UserPolicy] | ReauthenticationRequiredError:
    """The full session and the user's policy, or the error asking to reauthenticate.

    A user who holds no factor at all has nothing to prove, so changing their own factors is
    open to them; acting on others (`factor_required`) needs a proven factor regardless.
    """
    session = await context.require_full_session()
    policy = await policy_for(session.user)
    if session.user.mfa_methods and not policy.usable:
        # The factor this session was proven with is no longer allowed (a policy change):
        # nothing left to prove, so the session ends rather than change factors unproven.
        await revoke_session(session, context.providers.clock)
        context.forget_session()
        context.clear_cookie()
        raise NotAuthenticated()
    if (policy.usable or factor_required) and not second_factor_is_recent(
        session, context.settings, context.providers.clock
    ):
        return ReauthenticationRequiredError(methods=[to_method(m) for m in policy.usable])
    return session, policy
