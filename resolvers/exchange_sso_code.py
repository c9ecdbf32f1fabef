"""exchangeSsoCode: a native app trades the one-time code of its SSO redirect for the
sign-in's tokens (the pending token of Twofold's MFA screens, or the session)."""

from __future__ import annotations

import strawberry

from domain.policy import policy_for
from domain.sso import handoff
from graph.context import Context
from graph.types.enums import to_method
from graph.types.errors import SsoCodeInvalidError
from graph.types.payloads import LoggedIn, MfaChallengeRequired, MfaSetupRequired
from graph.types.results import ExchangeSsoCodeResult
from graph.types.sso import ExchangeSsoCodeInput
from graph.types.user import User as UserType
from models.enums import MfaMethod


async def exchange_sso_code(
    info: strawberry.Info[Context, None], input: ExchangeSsoCodeInput
) -> ExchangeSsoCodeResult:
    context = info.context
    answer = await handoff.redeem(context.runtime, input.code, input.code_verifier)
    if answer is None:
        return SsoCodeInvalidError()
    if answer.signed_in:
        return LoggedIn(
            session_token=answer.token,
            device_token=answer.device_token,
            user=UserType.from_model(answer.user),
        )
    if answer.enroll:
        return MfaSetupRequired(pending_token=answer.token)
    policy = await policy_for(answer.user)
    return MfaChallengeRequired(
        pending_token=answer.token,
        methods=[to_method(m) for m in policy.usable],
        preferred_method=to_method(policy.preferred) if policy.preferred else None,
        masked_phone_number=answer.user.phone_masked if MfaMethod.SMS in policy.usable else None,
    )
