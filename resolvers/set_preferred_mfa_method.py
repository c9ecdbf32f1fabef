"""setPreferredMfaMethod: which factor sign-in asks for first."""

from __future__ import annotations

import strawberry

from graph.answers import method_not_allowed
from graph.context import Context
from graph.guards import require_recent_step_up
from graph.types.enums import from_method
from graph.types.inputs import MfaMethodInput
from graph.types.payloads import PreferredMfaMethodSet
from graph.types.results import SetPreferredMfaMethodResult
from graph.types.user import User as UserType
from models.user import User


async def set_preferred_mfa_method(
    info: strawberry.Info[Context, None], input: MfaMethodInput
) -> SetPreferredMfaMethodResult:
    context = info.context
    guard = await require_recent_step_up(context)
    if not isinstance(guard, tuple):
        return guard
    session, policy = guard
    method = from_method(input.method)
    if method not in policy.usable:
        return method_not_allowed(policy.usable)
    await User.filter(id=session.user_id).update(preferred_method=method)
    return PreferredMfaMethodSet(user=UserType.from_model(await User.get(id=session.user_id)))
