"""startPasskeySignIn: a challenge for signing in with a passkey alone (no password)."""

from __future__ import annotations

import strawberry

from domain import passkeys
from graph.context import Context
from graph.types.errors import PasskeySignInDisabledError
from graph.types.payloads import PasskeySignInStarted
from graph.types.results import StartPasskeySignInResult


async def start_passkey_sign_in(info: strawberry.Info[Context, None]) -> StartPasskeySignInResult:
    runtime = info.context.runtime
    if not runtime.settings.passkey_sign_in:
        return PasskeySignInDisabledError()
    challenge = await passkeys.challenge(runtime)
    return PasskeySignInStarted(
        request_options=challenge.options_json, expires_at=challenge.expires_at
    )
