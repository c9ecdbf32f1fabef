"""chooseMfaMethod ('Select an Authentication Method' -> Continue)."""

from __future__ import annotations

import strawberry

from domain import security_keys
from domain.flows import LostRace, advance
from domain.policy import policy_for
from graph.answers import authenticator_app_setup, method_not_allowed, wrong_step
from graph.context import Context
from graph.phone_input import allowed_countries
from graph.types.enums import from_method
from graph.types.inputs import ChooseMfaMethodInput
from graph.types.payloads import SecurityKeyMethodChosen, SmsMethodChosen
from graph.types.results import ChooseMfaMethodResult
from models.enums import MfaMethod
from models.sealing import Sealed, seal
from models.state_machine import Event, IllegalTransition

_EVENTS = {
    MfaMethod.SMS: Event.CHOOSE_SMS,
    MfaMethod.AUTHENTICATOR_APP: Event.CHOOSE_AUTHENTICATOR_APP,
    MfaMethod.SECURITY_KEY: Event.CHOOSE_SECURITY_KEY,
}


async def choose_mfa_method(
    info: strawberry.Info[Context, None], input: ChooseMfaMethodInput
) -> ChooseMfaMethodResult:
    context, runtime = info.context, info.context.runtime
    method = from_method(input.method)
    event = _EVENTS[method]
    try:
        flow = await context.flow_for(event)
        policy = await policy_for(flow.user)
        if method not in policy.allowed:
            return method_not_allowed(policy.allowed)
        if method is MfaMethod.SECURITY_KEY:
            challenge = await security_keys.registration_challenge(flow.id, flow.user, runtime)
            await advance(flow, event, runtime, method=method, **challenge.columns)
            return SecurityKeyMethodChosen(
                creation_options=challenge.options_json, expires_at=challenge.expires_at
            )
        secret = runtime.providers.randomness.totp_secret() if method is _APP else None
        sealed = seal(runtime.secret_key, Sealed.TOTP_SECRET, secret) if secret else None
        await advance(
            flow, event, runtime, method=method, totp_secret_sealed=sealed, totp_attempts=0
        )
    except (IllegalTransition, LostRace) as error:
        return wrong_step(error)
    if secret is None:
        return SmsMethodChosen(allowed_countries=allowed_countries(context))
    return authenticator_app_setup(secret, flow.user.email, context)


_APP = MfaMethod.AUTHENTICATOR_APP
