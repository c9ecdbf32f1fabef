"""chooseMfaMethod ('Select an Authentication Method' -> Continue)."""

from __future__ import annotations

import strawberry

from graph.context import Context
from graph.types.enums import from_method, to_method
from graph.types.errors import MethodNotAllowedError
from graph.types.inputs import ChooseMfaMethodInput
from graph.types.payloads import AuthenticatorAppMethodChosen, SmsMethodChosen
from graph.types.results import ChooseMfaMethodResult
from models import totp
from models.enums import MfaMethod
from models.flow import MfaFlow
from models.sealing import Sealed, seal
from models.state_machine import Event, IllegalTransition, advance
from resolvers.answers import wrong_step
from resolvers.flows import flow_for
from resolvers.phone_input import allowed_countries
from resolvers.policy import policy_for

_EVENTS = {
    MfaMethod.SMS: Event.CHOOSE_SMS,
    MfaMethod.AUTHENTICATOR_APP: Event.CHOOSE_AUTHENTICATOR_APP,
}


async def choose_mfa_method(
    info: strawberry.Info[Context, None], input: ChooseMfaMethodInput
) -> ChooseMfaMethodResult:
    context = info.context
    method = from_method(input.method)
    event = _EVENTS[method]
    try:
        flow = await flow_for(context, event)
    except IllegalTransition as error:
        return wrong_step(error)
    policy = await policy_for(flow.user)
    if method not in policy.allowed:
        return MethodNotAllowedError(allowed_methods=[to_method(m) for m in policy.allowed])
    secret = (
        context.providers.randomness.totp_secret()
        if method is MfaMethod.AUTHENTICATOR_APP
        else None
    )
    updated = await MfaFlow.filter(id=flow.id, step=flow.step).update(
        step=advance(flow.purpose, flow.step, event),
        method=method,
        totp_secret_sealed=seal(context.settings.secret_key, Sealed.TOTP_SECRET, secret)
        if secret
        else None,
        totp_attempts=0,
        updated_at=context.providers.clock.now(),
    )
    if not updated:
        return wrong_step(IllegalTransition((await MfaFlow.get(id=flow.id)).step, event))
    if secret is None:
        return SmsMethodChosen(allowed_countries=allowed_countries(context))
    uri = totp.provisioning_uri(secret, flow.user.email, context.settings.totp_issuer)
    return AuthenticatorAppMethodChosen(
        secret=totp.grouped(secret), otpauth_uri=uri, qr_code_svg=totp.qr_code_svg(uri)
    )
