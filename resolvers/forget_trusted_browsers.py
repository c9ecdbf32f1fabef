"""forgetTrustedBrowsers: stop trusting one browser of the signed-in user, or all of them."""

from __future__ import annotations

import strawberry

from domain import audit, trusted_browsers
from domain.security_keys import key_id
from graph.context import Context
from graph.types.inputs import ForgetTrustedBrowsersInput
from graph.types.payloads import TrustedBrowsersForgotten
from graph.types.results import ForgetTrustedBrowsersResult


async def forget_trusted_browsers(
    info: strawberry.Info[Context, None], input: ForgetTrustedBrowsersInput
) -> ForgetTrustedBrowsersResult:
    context, runtime = info.context, info.context.runtime
    # Forgetting only takes a shortcut away, so it needs no recent second factor.
    session = await context.require_full_session()
    one = None
    if input.id is not None:
        one = key_id(input.id)
        if one is None:
            return TrustedBrowsersForgotten(forgotten=0)
    forgotten = await trusted_browsers.forget(session.user_id, one)
    await audit.record(runtime, "trusted_browser", "forgotten", session.user_id)
    return TrustedBrowsersForgotten(forgotten=forgotten)
