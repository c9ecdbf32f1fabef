"""Sending a flow's verification code by SMS without ever leaving a half-done step.

The send slot is claimed with a conditional UPDATE (so parallel requests cannot bypass the
resend cooldown), the text goes out, and only then is the new code stored. If the provider
fails, the claim is released and the flow is exactly as it was.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from tortoise.expressions import F, Q

from models.codes import sms_code_hmac
from models.enums import Step
from models.flow import MfaFlow
from providers.sms import SmsDeliveryError, verification_text

if TYPE_CHECKING:
    from graph.context import Context


@dataclass(frozen=True)
class Sent:
    phone_e164: str
    expires_at: datetime
    resend_available_at: datetime


@dataclass(frozen=True)
class Cooldown:
    retry_after_seconds: int


@dataclass(frozen=True)
class DeliveryFailed:
    pass


@dataclass(frozen=True)
class OutOfStep:
    current_step: Step


SendOutcome = Sent | Cooldown | DeliveryFailed | OutOfStep


async def send_code(
    flow: MfaFlow, phone_e164: str, next_step: Step, context: Context
) -> SendOutcome:
    settings, providers = context.settings, context.providers
    now = providers.clock.now()
    resend_at = now + timedelta(seconds=settings.sms_resend_cooldown_seconds)
    claim = uuid.uuid4().hex
    claimed = await MfaFlow.filter(
        Q(resend_available_at__isnull=True) | Q(resend_available_at__lte=now),
        id=flow.id,
        step=flow.step,
    ).update(resend_available_at=resend_at, send_claim=claim, updated_at=now)
    if not claimed:
        return await _why_not(flow, context, now)

    code = providers.randomness.sms_code()
    try:
        await providers.sms.send(phone_e164, verification_text(code, settings.sms_code_ttl_minutes))
    except SmsDeliveryError:
        await MfaFlow.filter(id=flow.id, send_claim=claim).update(
            resend_available_at=flow.resend_available_at, send_claim=None
        )
        return DeliveryFailed()

    expires_at = now + timedelta(minutes=settings.sms_code_ttl_minutes)
    await MfaFlow.filter(id=flow.id, send_claim=claim).update(
        code_hmac=sms_code_hmac(settings.secret_key, str(flow.id), code),
        code_expires_at=expires_at,
        code_attempts=0,
        codes_sent=F("codes_sent") + 1,
        phone_e164=phone_e164,
        step=next_step,
        send_claim=None,
        updated_at=now,
    )
    return Sent(phone_e164, expires_at, resend_at)


async def _why_not(flow: MfaFlow, context: Context, now: datetime) -> SendOutcome:
    fresh = await MfaFlow.get(id=flow.id)
    if fresh.step is not flow.step:
        return OutOfStep(fresh.step)
    wait = (fresh.resend_available_at - now).total_seconds() if fresh.resend_available_at else 1
    return Cooldown(max(1, math.ceil(wait)))
