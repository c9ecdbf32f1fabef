"""requestPasswordReset ('Forgot password?'): one answer for every address (of a domain: an
SSO-only domain answers SsoRequiredError, as logIn does)."""

from __future__ import annotations

import strawberry

from domain import account_links, password_reset, quotas
from domain.sign_in import SsoRequired
from domain.sso.paths import start_path
from graph.context import Context
from graph.types.accounts import (
    PasswordResetRequested,
    RequestPasswordResetInput,
    RequestPasswordResetResult,
)
from graph.types.errors import RateLimitedError, SsoRequiredError

_MINUTES = int(password_reset.LINK_LIFETIME.total_seconds() // 60)


async def request_password_reset(
    info: strawberry.Info[Context, None], input: RequestPasswordResetInput
) -> RequestPasswordResetResult:
    context = info.context
    base = account_links.base_url(context.settings, context.facts.own_origin)
    outcome = await password_reset.request(input.email, base, context.runtime)
    if isinstance(outcome, quotas.Refused):
        return RateLimitedError(retry_after_seconds=outcome.retry_after_seconds)
    if isinstance(outcome, SsoRequired):
        return SsoRequiredError(start_url=start_path(outcome.provider_id))
    return PasswordResetRequested(expires_in_minutes=_MINUTES)
