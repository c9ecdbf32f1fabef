"""Sending a flow's verification code by SMS without ever leaving a half-done step.

The send slot is claimed with a conditional UPDATE (so parallel requests cannot bypass the
resend cooldown), the text goes out through its routes (domain/sms_routes.py: one text, one
claim, one take of the quotas, whichever provider carries it), and only then is the new code
stored. If every route fails, the claim is released and the flow is exactly as it was.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.expressions import F, Q

from domain import delivery_reports, metrics, quotas, sms_routes, sms_texts
from domain.flows import LostRace, advance
from domain.runtime import Runtime
from models.codes import sms_code_hmac
from models.enums import Step
from models.flow import MfaFlow
from models.state_machine import Event
from models.stored_phone import stored_phone
from providers.sms import SmsDeliveryError


@dataclass(frozen=True)
class Sent:
    masked_phone_number: str
    expires_at: datetime
    resend_available_at: datetime


@dataclass(frozen=True)
class Cooldown:
    retry_after_seconds: int


@dataclass(frozen=True)
class DeliveryFailed:
    """The provider refused or timed out; the flow is as it was before the request."""


@dataclass(frozen=True)
class OutOfStep:
    current_step: Step


@dataclass(frozen=True)
class RateLimited:
    retry_after_seconds: int


SendOutcome = Sent | Cooldown | DeliveryFailed | OutOfStep | RateLimited


def cooldown_after(codes_sent: int, runtime: Runtime) -> timedelta:
    """30 s after the first text, doubling with each further one, capped at 15 minutes."""
    settings = runtime.settings
    seconds = settings.sms_resend_cooldown_seconds * 2 ** min(codes_sent, 16)
    return timedelta(seconds=min(seconds, settings.sms_resend_cooldown_max_seconds))


async def send_code(flow: MfaFlow, phone_e164: str, event: Event, runtime: Runtime) -> SendOutcome:
    """Text a new code for `flow` to `phone_e164`, taking `event` once the provider took it."""
    settings, providers = runtime.settings, runtime.providers
    now = runtime.now()
    resend_at = now + cooldown_after(flow.codes_sent, runtime)
    claim = uuid.uuid4().hex
    claimed = await MfaFlow.filter(
        Q(resend_available_at__isnull=True) | Q(resend_available_at__lte=now),
        id=flow.id,
        step=flow.step,
    ).update(resend_available_at=resend_at, send_claim=claim, updated_at=now)
    if not claimed:
        return await _why_not(flow, runtime, now)

    async def release_claim() -> None:
        await MfaFlow.filter(id=flow.id, send_claim=claim).update(
            resend_available_at=flow.resend_available_at, send_claim=None
        )

    limits = quotas.texting_quotas(phone_e164, flow.purpose, str(flow.user_id), runtime)
    taken = await quotas.take(limits, now)
    if isinstance(taken, quotas.Refused):
        await release_claim()
        return RateLimited(taken.retry_after_seconds)
    code = providers.randomness.sms_code()
    # A resend after a text reported not delivered tries another route first.
    avoid = await delivery_reports.undelivered_route(flow)
    reference = await delivery_reports.new_delivery(flow, phone_e164, runtime)
    text = await sms_texts.for_flow(flow, code, runtime)
    try:
        carrier = await sms_routes.send(phone_e164, text, reference, runtime, avoid)
    except SmsDeliveryError:
        metrics.PROVIDER_ERRORS.labels("sms").inc()
        await delivery_reports.forget_delivery(reference)
        await quotas.give_back(taken)
        await release_claim()
        return DeliveryFailed()
    await delivery_reports.carried_by(reference, carrier)
    metrics.CODES_SENT.labels(metrics.country_of(phone_e164), metrics.SMS).inc()

    expires_at = now + timedelta(minutes=settings.sms_code_ttl_minutes)
    phone = stored_phone(settings.secret_key, phone_e164)
    try:
        await advance(
            flow,
            event,
            runtime,
            guard={"send_claim": claim},
            code_hmac=sms_code_hmac(settings.secret_key, str(flow.id), code),
            code_expires_at=expires_at,
            code_attempts=0,
            codes_sent=F("codes_sent") + 1,
            send_claim=None,
            **phone,
        )
    except LostRace as lost:
        # Only this request holds the claim, so only a reset of the flow gets here.
        return OutOfStep(lost.current_step)
    return Sent(phone["phone_masked"] or "", expires_at, resend_at)


async def _why_not(flow: MfaFlow, runtime: Runtime, now: datetime) -> SendOutcome:
    fresh = await MfaFlow.get(id=flow.id)
    if fresh.step is not flow.step:
        return OutOfStep(fresh.step)
    wait = (fresh.resend_available_at - now).total_seconds() if fresh.resend_available_at else 1
    return Cooldown(max(1, math.ceil(wait)))
