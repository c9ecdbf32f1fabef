"""startPasskeySignIn: a challenge for signing in with a passkey alone (no password)."""

from __future__ import annotations

import strawberry

from domain import passkeys
from domain.quotas import Refused
from graph.context import Context
from graph.types.errors import PasskeySignInDisabledError, RateLimitedError
from graph.types.payloads import PasskeySignInStarted
from graph.types.results import StartPasskeySignInResult


async def start_passkey_sign_in(info: strawberry.Info[Context, None]) -> StartPasskeySignInResult:
    runtime = info.context.runtime
    if not runtime.settings.passkey_sign_in:
        return PasskeySignInDisabledError()
    challenge = await passkeys.challenge(runtime)
    if isinstance(challenge, Refused):
        return RateLimitedError(retry_after_seconds=challenge.retry_after_seconds)
    return PasskeySignInStarted(
        request_options=challenge.options_json, expires_at=challenge.expires_at
    )
