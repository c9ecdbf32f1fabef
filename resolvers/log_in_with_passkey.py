"""logInWithPasskey: a passkey with user verification signs in, both factors at once."""

from __future__ import annotations

import strawberry

from domain import passkeys, proofs
from domain.policy import policy_for
from domain.sessions import start_session
from domain.sign_in import signed_in
from domain.sso.domains import sso_for_email
from domain.sso.paths import start_path
from graph.answers import logged_in
from graph.context import Context
from graph.types.enums import ClientKind
from graph.types.errors import (
    AccountLockedError,
    InvalidCredentialsError,
    PasskeySignInDisabledError,
    SsoRequiredError,
)
from graph.types.inputs import LogInWithPasskeyInput
from graph.types.results import LogInWithPasskeyResult
from models.enums import MfaMethod, SessionKind


async def log_in_with_passkey(
    info: strawberry.Info[Context, None], input: LogInWithPasskeyInput
) -> LogInWithPasskeyResult:
    context, runtime = info.context, info.context.runtime
    if not runtime.settings.passkey_sign_in:
        return PasskeySignInDisabledError()
    user = await passkeys.signer(input.credential, runtime)
    if user is None:
        return InvalidCredentialsError()
    if user.second_factor_locked_at is not None:
        return AccountLockedError()
    # An SSO-only company decides at its identity provider who signs in: no way around it.
    sso = await sso_for_email(user.email)
    if sso is not None and not sso.password_allowed:
        return SsoRequiredError(start_url=start_path(sso.provider.id))
    if MfaMethod.SECURITY_KEY not in (await policy_for(user)).usable:
        return InvalidCredentialsError()
    now = runtime.now()
    proof = proofs.passkey(now)
    session, token = await start_session(user, SessionKind.FULL, runtime, now, proof=proof)
    signed = await signed_in(session, token, user, runtime)
    return logged_in(signed, context, native=input.client is ClientKind.NATIVE)
