"""startMfaSetup ('Set Up Now'): show the methods this user may enroll."""

from __future__ import annotations

from typing import Any

import strawberry

from domain.flows import LostRace, advance
from domain.policy import policy_for
from graph.answers import wrong_step
from graph.context import Context
from graph.types.enums import to_method
from graph.types.payloads import MfaMethodSelection
from graph.types.results import StartMfaSetupResult
from models.state_machine import Event, IllegalTransition
from models.stored_phone import NO_PHONE

# Going back to the list drops any half-entered number, chosen secret and outstanding code.
_FORGET_CHOICE: dict[str, Any] = {
    "method": None,
    **NO_PHONE,
    "totp_secret_sealed": None,
    "code_hmac": None,
    "code_expires_at": None,
}


async def start_mfa_setup(info: strawberry.Info[Context, None]) -> StartMfaSetupResult:
    context = info.context
    try:
        flow = await context.flow_for(Event.START_SETUP)
        await advance(flow, Event.START_SETUP, context.runtime, **_FORGET_CHOICE)
    except (IllegalTransition, LostRace) as error:
        return wrong_step(error)
    policy = await policy_for(flow.user)
    return MfaMethodSelection(
        allowed_methods=[to_method(m) for m in policy.allowed],
        recommended_method=to_method(policy.recommended),
    )
