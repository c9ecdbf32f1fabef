"""addSecurityKey: a signed-in user starts registering another security key or passkey;
registerSecurityKey then keeps it."""

from __future__ import annotations

from uuid import uuid4

import strawberry

from domain import security_keys
from domain.flows import start_flow
from graph.answers import method_not_allowed
from graph.context import Context
from graph.guards import require_recent_step_up
from graph.types.payloads import SecurityKeyMethodChosen
from graph.types.results import AddSecurityKeyResult
from models.enums import FlowPurpose, MfaMethod, Step


async def add_security_key(info: strawberry.Info[Context, None]) -> AddSecurityKeyResult:
    context, runtime = info.context, info.context.runtime
    guard = await require_recent_step_up(context)
    if not isinstance(guard, tuple):
        return guard
    session, policy = guard
    if MfaMethod.SECURITY_KEY not in policy.allowed:
        return method_not_allowed(policy.allowed)
    flow_id = uuid4()
    challenge = await security_keys.registration_challenge(flow_id, session.user, runtime)
    await start_flow(
        session,
        session.user,
        FlowPurpose.ADD_SECURITY_KEY,
        Step.SECURITY_KEY_REGISTRATION,
        runtime,
        id=flow_id,
        method=MfaMethod.SECURITY_KEY,
        **challenge.columns,
    )
    return SecurityKeyMethodChosen(
        creation_options=challenge.options_json, expires_at=challenge.expires_at
    )
