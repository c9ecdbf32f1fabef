"""requestPasswordReset ('Forgot password?'): one answer for every address."""

from __future__ import annotations

import strawberry

from domain import account_links, password_reset, quotas
from graph.context import Context
from graph.types.accounts import (
    PasswordResetRequested,
    RequestPasswordResetInput,
    RequestPasswordResetResult,
)
from graph.types.errors import RateLimitedError

_MINUTES = int(password_reset.LINK_LIFETIME.total_seconds() // 60)


async def request_password_reset(
    info: strawberry.Info[Context, None], input: RequestPasswordResetInput
) -> RequestPasswordResetResult:
    context = info.context
    base = account_links.base_url(context.settings, context.facts.own_origin)
    outcome = await password_reset.request(input.email, base, context.runtime)
    if isinstance(outcome, quotas.Refused):
        return RateLimitedError(retry_after_seconds=outcome.retry_after_seconds)
    return PasswordResetRequested(expires_in_minutes=_MINUTES)
