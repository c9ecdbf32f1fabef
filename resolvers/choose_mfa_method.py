"""chooseMfaMethod ('Select an Authentication Method' -> Continue)."""

from __future__ import annotations

import strawberry

from graph.context import Context
from graph.types.enums import from_method, to_method
from graph.types.errors import MethodNotAllowedError
from graph.types.inputs import ChooseMfaMethodInput
from graph.types.payloads import SmsMethodChosen
from graph.types.results import ChooseMfaMethodResult
from graph.types.sms import SmsCountry
from models.flow import MfaFlow
from models.phone import country_options
from models.policy import allowed_methods
from models.state_machine import Event, IllegalTransition, advance
from resolvers.answers import wrong_step
from resolvers.flows import flow_for


async def choose_mfa_method(
    info: strawberry.Info[Context, None], input: ChooseMfaMethodInput
) -> ChooseMfaMethodResult:
    context = info.context
    try:
        flow = await flow_for(context, Event.CHOOSE_SMS)
    except IllegalTransition as error:
        return wrong_step(error)
    method = from_method(input.method)
    allowed = allowed_methods(flow.user.pay_role)
    if method not in allowed:
        return MethodNotAllowedError(allowed_methods=[to_method(m) for m in allowed])
    updated = await MfaFlow.filter(id=flow.id, step=flow.step).update(
        step=advance(flow.step, Event.CHOOSE_SMS),
        method=method,
        updated_at=context.providers.clock.now(),
    )
    if not updated:
        return wrong_step(IllegalTransition((await MfaFlow.get(id=flow.id)).step, Event.CHOOSE_SMS))
    return SmsMethodChosen(
        allowed_countries=[
            SmsCountry(region_code=c.region_code, calling_code=c.calling_code)
            for c in country_options(context.settings.sms_allowed_countries)
        ]
    )
