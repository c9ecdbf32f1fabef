"""passkeySignInEnabled: whether a sign-in page should offer 'Sign in with a passkey'."""

from __future__ import annotations

import strawberry

from graph.context import Context


async def passkey_sign_in_enabled(info: strawberry.Info[Context, None]) -> bool:
    return info.context.settings.passkey_sign_in
