"""addAuthenticatorApp: a signed-in user adds an app; verifyAuthenticatorCode then activates it."""

from __future__ import annotations

import strawberry

from domain.flows import start_flow
from graph.answers import authenticator_app_setup
from graph.context import Context
from graph.guards import require_recent_step_up
from graph.types.errors import FactorAlreadyEnrolledError
from graph.types.results import AddAuthenticatorAppResult
from models.enums import FlowPurpose, MfaMethod, Step
from models.sealing import Sealed, seal


async def add_authenticator_app(info: strawberry.Info[Context, None]) -> AddAuthenticatorAppResult:
    context, runtime = info.context, info.context.runtime
    guard = await require_recent_step_up(context)
    if not isinstance(guard, tuple):
        return guard
    session, _ = guard
    user = session.user
    if MfaMethod.AUTHENTICATOR_APP in user.mfa_methods:
        return FactorAlreadyEnrolledError()
    secret = runtime.providers.randomness.totp_secret()
    await start_flow(
        session,
        user,
        FlowPurpose.ADD_AUTHENTICATOR_APP,
        Step.AUTHENTICATOR_APP_SCAN,
        runtime,
        method=MfaMethod.AUTHENTICATOR_APP,
        totp_secret_sealed=seal(runtime.secret_key, Sealed.TOTP_SECRET, secret),
    )
    return authenticator_app_setup(secret, user.email, context)
