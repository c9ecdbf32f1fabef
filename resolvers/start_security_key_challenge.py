"""startSecurityKeyChallenge: a WebAuthn challenge for the sign-in challenge of a pending
session, or for reauthenticating a signed-in one."""

from __future__ import annotations

import strawberry

from domain import security_keys
from domain.flows import LostRace, advance, resume_or_start
from domain.policy import policy_for
from graph.answers import method_not_allowed, wrong_step
from graph.context import Context
from graph.types.payloads import SecurityKeyChallengeStarted
from graph.types.results import StartSecurityKeyChallengeResult
from models.enums import FlowPurpose, MfaMethod, SessionKind, Step
from models.state_machine import Event, IllegalTransition


async def start_security_key_challenge(
    info: strawberry.Info[Context, None],
) -> StartSecurityKeyChallengeResult:
    context, runtime = info.context, info.context.runtime
    event = Event.START_SECURITY_KEY_CHALLENGE
    session = await context.require_session()
    try:
        if session.kind is SessionKind.FULL:
            flow = await resume_or_start(
                session, FlowPurpose.REAUTHENTICATION, Step.CHALLENGE, runtime
            )
        else:
            flow = await context.flow_for(event)
        policy = await policy_for(flow.user)
        if MfaMethod.SECURITY_KEY not in policy.usable:
            return method_not_allowed(policy.usable)
        challenge = await security_keys.assertion_challenge(flow, runtime)
        await advance(flow, event, runtime, **challenge.columns)
    except (IllegalTransition, LostRace) as error:
        return wrong_step(error)
    return SecurityKeyChallengeStarted(
        request_options=challenge.options_json, expires_at=challenge.expires_at
    )
