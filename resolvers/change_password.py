"""changePassword: signed in, after a recent second factor, with the current password."""

from __future__ import annotations

import strawberry

from domain import password_change
from domain.password_brakes import Braked
from domain.password_reset import Weak
from graph.context import Context
from graph.guards import require_recent_step_up
from graph.types.accounts import (
    ChangePasswordInput,
    ChangePasswordResult,
    PasswordChanged,
    weak_password,
)
from graph.types.errors import InvalidCredentialsError, RateLimitedError
from graph.types.user import User


async def change_password(
    info: strawberry.Info[Context, None], input: ChangePasswordInput
) -> ChangePasswordResult:
    context, runtime = info.context, info.context.runtime
    guard = await require_recent_step_up(context)
    if not isinstance(guard, tuple):
        return guard
    session = guard[0]
    outcome = await password_change.change(
        session, input.current_password, input.new_password, runtime
    )
    match outcome:
        case Braked():
            return RateLimitedError(retry_after_seconds=outcome.retry_after_seconds)
        case password_change.WrongPassword():
            return InvalidCredentialsError()
        case Weak():
            return weak_password(outcome.reason, outcome.rules)
    await password_change.deliver(runtime, outcome)
    return PasswordChanged(user=User.from_model(outcome.user))
