"""logIn: password check, then the right next screen for the user."""

from __future__ import annotations

import strawberry

from domain.password_brakes import Braked
from domain.sign_in import (
    PasswordRefused,
    SecondFactorLocked,
    SecondFactorNeeded,
    SignedIn,
    SsoRequired,
    sign_in_with_password,
)
from domain.sso.paths import start_path
from graph.answers import logged_in, second_factor_screen
from graph.context import Context
from graph.types.enums import ClientKind
from graph.types.errors import (
    AccountLockedError,
    InvalidCredentialsError,
    RateLimitedError,
    SsoRequiredError,
)
from graph.types.inputs import LogInInput
from graph.types.payloads import MfaChallengeRequired, MfaSetupRequired
from graph.types.results import LogInResult


async def log_in(info: strawberry.Info[Context, None], input: LogInInput) -> LogInResult:
    context = info.context
    native = input.client is ClientKind.NATIVE
    device_token = input.device_token or context.facts.device_cookie
    trusted = None if native else context.facts.trusted_browser_cookie
    outcome = await sign_in_with_password(
        input.email, input.password, device_token, context.runtime, trusted
    )
    match outcome:
        case Braked():
            return RateLimitedError(retry_after_seconds=outcome.retry_after_seconds)
        case PasswordRefused():
            return InvalidCredentialsError()
        case SecondFactorLocked():
            return AccountLockedError()
        case SignedIn():
            return logged_in(outcome, context, native=native)
        case SsoRequired():
            return SsoRequiredError(start_url=start_path(outcome.provider_id))
    return _second_factor_screen(outcome, context, native)


def _second_factor_screen(
    needed: SecondFactorNeeded, context: Context, native: bool
) -> MfaSetupRequired | MfaChallengeRequired:
    policy = None if needed.enroll else needed.policy
    return second_factor_screen(
        needed.token, needed.session, needed.user, policy, context, native=native
    )
