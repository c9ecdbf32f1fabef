"""Texting the code of a transaction approval to the user's own verified number.

The message names what the code approves (amount and payee, or the change or agreement), so
the payer sees it where the code arrives (PSD2 RTS Art. 5(1)(a)). Sending follows
domain/texting.py: the approval's send slot is claimed with a conditional UPDATE (the same
doubling resend cooldown), the texting quotas of domain/quotas.py are taken (the user's own
verified number, as for sign-in and step-up codes), and only once the provider took the text is
the new code stored, replacing an earlier one. The code lives as long as the approval.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import F, Q

from domain import locales, metrics, quotas, sms_routes, sms_texts
from domain.runtime import Runtime
from domain.texting import Cooldown, DeliveryFailed, RateLimited, cooldown_after
from domain.transaction_approvals import Refusal, why_not_pending
from domain.transaction_challenges import code_hmac
from models.enums import FlowPurpose
from models.stored_phone import open_phone
from models.transaction_approval import ApprovalStatus, TransactionApproval
from models.user import User
from providers.sms import SmsDeliveryError


@dataclass(frozen=True)
class Sent:
    masked_phone_number: str
    expires_at: datetime
    resend_available_at: datetime


TextOutcome = Sent | Cooldown | DeliveryFailed | RateLimited | Refusal


async def send_code(approval: TransactionApproval, user: User, runtime: Runtime) -> TextOutcome:
    """Text a new code for `approval` to `user`'s verified number (the caller checked SMS is
    one of the user's usable methods)."""
    assert user.phone_sealed is not None  # SMS is usable, so the number is verified
    providers, now = runtime.providers, runtime.now()
    if approval.status is not ApprovalStatus.PENDING or now >= approval.expires_at:
        return why_not_pending(approval, now)
    resend_at = now + cooldown_after(approval.codes_sent, runtime)
    claim = uuid.uuid4().hex
    claimed = await TransactionApproval.filter(
        Q(resend_available_at__isnull=True) | Q(resend_available_at__lte=now),
        id=approval.id,
        status=ApprovalStatus.PENDING,
        expires_at__gt=now,
    ).update(resend_available_at=resend_at, send_claim=claim)
    if not claimed:
        return await _why_not(approval, runtime)

    async def release_claim() -> None:
        await TransactionApproval.filter(id=approval.id, send_claim=claim).update(
            resend_available_at=approval.resend_available_at, send_claim=None
        )

    phone = open_phone(runtime.secret_key, user.phone_sealed)
    limits = quotas.texting_quotas(phone, FlowPurpose.REAUTHENTICATION, str(user.id), runtime)
    taken = await quotas.take(limits, now)
    if isinstance(taken, quotas.Refused):
        await release_claim()
        return RateLimited(taken.retry_after_seconds)
    code = providers.randomness.sms_code()
    minutes = max(1, math.ceil((approval.expires_at - now).total_seconds() / 60))
    try:
        text = sms_texts.transaction_text(
            approval,
            code,
            minutes,
            locales.locale_of(user, runtime),
            runtime.settings.relying_party_id,
        )
        await sms_routes.send(phone, text, None, runtime)
    except SmsDeliveryError:
        metrics.PROVIDER_ERRORS.labels("sms").inc()
        await quotas.give_back(taken)
        await release_claim()
        return DeliveryFailed()
    metrics.CODES_SENT.labels(metrics.country_of(phone), metrics.SMS).inc()
    stored = await TransactionApproval.filter(
        id=approval.id, send_claim=claim, status=ApprovalStatus.PENDING
    ).update(
        code_hmac=code_hmac(runtime, approval, code), codes_sent=F("codes_sent") + 1,
        send_claim=None,
    )  # fmt: skip
    if not stored:
        return await _why_not(approval, runtime)  # decided while the text went out
    return Sent(user.phone_masked or "", approval.expires_at, resend_at)


async def _why_not(approval: TransactionApproval, runtime: Runtime) -> TextOutcome:
    now = runtime.now()
    fresh = await TransactionApproval.get(id=approval.id)
    if fresh.status is not ApprovalStatus.PENDING or now >= fresh.expires_at:
        return why_not_pending(fresh, now)
    wait = (fresh.resend_available_at - now).total_seconds() if fresh.resend_available_at else 1
    return Cooldown(max(1, math.ceil(wait)))
