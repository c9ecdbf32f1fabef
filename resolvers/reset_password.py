"""resetPassword ('Set a new password'): spends the emailed token and passes the sign-in's
second-factor gate. A user with a second factor gets the sign-in challenge first, and the new
password takes effect only when it is passed."""

from __future__ import annotations

import strawberry

from domain import password_reset
from domain.sign_in import SecondFactorNeeded, SsoRequired
from domain.sso.paths import start_path
from graph.answers import logged_in, second_factor_screen
from graph.context import Context
from graph.types.accounts import ResetPasswordInput, ResetPasswordResult, weak_password
from graph.types.enums import ClientKind
from graph.types.errors import AccountLockedError, LinkInvalidError, SsoRequiredError


async def reset_password(
    info: strawberry.Info[Context, None], input: ResetPasswordInput
) -> ResetPasswordResult:
    context, runtime = info.context, info.context.runtime
    native = input.client is ClientKind.NATIVE
    outcome = await password_reset.start(input.token, input.new_password, runtime)
    match outcome:
        case password_reset.LinkInvalid():
            return LinkInvalidError()
        case password_reset.Weak():
            return weak_password(outcome.reason, outcome.rules)
        case password_reset.Locked():
            return AccountLockedError()
        case SsoRequired():
            return SsoRequiredError(start_url=start_path(outcome.provider_id))
        case SecondFactorNeeded():
            policy = None if outcome.enroll else outcome.policy
            return second_factor_screen(
                outcome.token, outcome.session, outcome.user, policy, context, native=native
            )
    await password_reset.deliver(runtime, outcome.notice)
    return logged_in(outcome, context, native=native)
