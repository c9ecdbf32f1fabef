"""Trusted browsers: after a second factor, a user may have a browser remembered for
TRUSTED_BROWSER_DAYS, if their company allows it; signing in there skips the challenge.

Only the sign-in challenge is skipped: the session has no second factor to its name, so every
change that asks for a recent one (reauthentication) still does. The cookie's 256-bit secret is
kept only as a keyed hash, bound to the user. Every factor change, an MFA reset and signing out
everywhere forget all of a user's trusted browsers.
"""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from domain import audit
from domain.runtime import Runtime
from models.codes import keyed_hash
from models.company import Company
from models.trusted_browser import TrustedBrowser
from models.user import User

_MAX_TOKEN_LENGTH = 128


def _digest(token: str, runtime: Runtime) -> str:
    return keyed_hash(runtime.secret_key, "trusted-browser", token)


async def allowed_for(user: User, runtime: Runtime) -> bool:
    """Whether the user's company lets its users trust a browser (never without a company)."""
    if runtime.settings.trusted_browser_days <= 0 or user.company_id is None:
        return False
    return await Company.exists(id=user.company_id, allow_trusted_browsers=True)


async def trust(user: User, runtime: Runtime) -> str | None:
    """Remember this browser for the user: the cookie's token, or None when not allowed."""
    if not await allowed_for(user, runtime):
        return None
    token = runtime.providers.randomness.session_token()
    now = runtime.now()
    await TrustedBrowser.create(
        token_hmac=_digest(token, runtime),
        user=user,
        user_agent=runtime.caller.user_agent[:255],
        created_at=now,
        last_used_at=now,
        expires_at=now + timedelta(days=runtime.settings.trusted_browser_days),
    )
    await audit.record(runtime, "trusted_browser", "added", user.id)
    return token


async def recognise(token: str | None, user: User, runtime: Runtime) -> TrustedBrowser | None:
    """The user's unexpired trusted browser `token` names, while the company still allows it."""
    if not token or len(token) > _MAX_TOKEN_LENGTH or not await allowed_for(user, runtime):
        return None
    now = runtime.now()
    browser = await TrustedBrowser.get_or_none(
        token_hmac=_digest(token, runtime), user_id=user.id, expires_at__gt=now
    )
    if browser is not None:
        await TrustedBrowser.filter(id=browser.id).update(last_used_at=now)
        await audit.record(runtime, "trusted_browser", "skipped_challenge", user.id)
    return browser


async def forget(user_id: UUID, browser_id: UUID | None = None) -> int:
    """Forget one of the user's trusted browsers, or all of them; returns how many."""
    browsers = TrustedBrowser.filter(user_id=user_id)
    if browser_id is not None:
        browsers = browsers.filter(id=browser_id)
    return await browsers.delete()
