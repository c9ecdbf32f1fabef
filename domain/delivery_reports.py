"""What became of each text: a delivery record per text sent with reports on, and the
provider's signed reports recorded on it.

The report's signature is checked at the HTTP edge (graph/http/webhooks/messagebird.py); here a
verified report is accepted once per token id (`jti`, remembered until the token expires) and
its status recorded on the delivery its `reference` names.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q

from domain import circuit_breaker, metrics
from domain.runtime import Runtime
from models.flow import MfaFlow
from models.sms_delivery import (
    DELIVERY_STATUSES,
    FINAL_STATUSES,
    NOT_DELIVERED,
    ReportToken,
    SmsDelivery,
)

logger = logging.getLogger("twofold.sms")


async def new_delivery(flow: MfaFlow, phone_e164: str, runtime: Runtime) -> str | None:
    """The reference of a new delivery record for a text about to go out; None with reports
    off (no PUBLIC_URL)."""
    if runtime.settings.delivery_report_url is None:
        return None
    delivery = await SmsDelivery.create(
        flow_id=flow.id, country=metrics.country_of(phone_e164), created_at=runtime.now()
    )
    return str(delivery.id)


async def forget_delivery(reference: str | None) -> None:
    """The text did not go out: no report will come."""
    if reference is not None:
        await SmsDelivery.filter(id=reference).delete()


async def carried_by(reference: str | None, provider: str) -> None:
    """Remember which provider took the text, so only that provider's reports count for it."""
    if reference is not None:
        await SmsDelivery.filter(id=reference).update(provider=provider)


async def undelivered_route(flow: MfaFlow) -> str | None:
    """The provider of the flow's newest text when it was reported not delivered: the next
    resend goes through another route first."""
    delivery = await SmsDelivery.filter(flow_id=flow.id).order_by("-created_at").first()
    if delivery is None or delivery.status not in NOT_DELIVERED:
        return None
    return delivery.provider


async def current_status(flow: MfaFlow) -> str | None:
    """The delivery status of the flow's newest text, None when none was recorded."""
    delivery = await SmsDelivery.filter(flow_id=flow.id).order_by("-created_at").first()
    return delivery.status if delivery else None


@dataclass(frozen=True)
class Report:
    """A delivery report whose signature was verified."""

    token_id: str
    token_expires_at: datetime
    reference: str
    status: str
    status_at: datetime | None
    provider: str = "messagebird"
    """The provider whose signed report this is."""


async def accept(report: Report, runtime: Runtime) -> bool:
    """Record `report`; False (nothing recorded) when its token was already used."""
    now = runtime.now()
    await ReportToken.filter(expires_at__lt=now).delete()
    try:
        await ReportToken.create(jti=report.token_id, expires_at=report.token_expires_at)
    except IntegrityError:
        return False
    if report.status not in DELIVERY_STATUSES:
        logger.info("delivery report with an unknown status ignored")
        return True
    delivery_id = _uuid(report.reference)
    delivery = await SmsDelivery.get_or_none(id=delivery_id) if delivery_id else None
    if delivery is None:
        logger.info("delivery report for an unknown reference ignored")
        return True
    if delivery.provider is not None and delivery.provider != report.provider:
        # A route that timed out may still deliver late; the text is the one that took over.
        logger.info("delivery report from a route that did not carry the text ignored")
        return True
    at = report.status_at or now
    # Reports may arrive out of order: an older one never overwrites a newer one, and one
    # without its own time (Twilio's) never overwrites a final status.
    newer = Q(status_at__isnull=True) | Q(status_at__lte=at)
    if report.status_at is None:
        newer &= ~Q(status__in=list(FINAL_STATUSES))
    updated = await SmsDelivery.filter(newer, id=delivery.id).update(
        status=report.status, status_at=at
    )
    if updated:
        metrics.SMS_DELIVERY_REPORTS.labels(delivery.country, report.status).inc()
        await _routed(delivery, report, runtime)
    return True


async def _routed(delivery: SmsDelivery, report: Report, runtime: Runtime) -> None:
    """A delivered text counts for its route; a failed one counts against the route's breaker
    and, when it carried the flow's current code, lifts the resend delay."""
    if report.status == "delivered":
        metrics.SMS_ROUTE_TEXTS.labels(report.provider, delivery.country, "delivered").inc()
    if report.status not in NOT_DELIVERED:
        return
    await circuit_breaker.failed(report.provider, delivery.country, runtime)
    newest = await SmsDelivery.filter(flow_id=delivery.flow_id).order_by("-created_at").first()
    if newest is not None and newest.id == delivery.id:
        now = runtime.now()
        await MfaFlow.filter(id=delivery.flow_id, resend_available_at__gt=now).update(
            resend_available_at=now
        )


def parse_time(text: str | None) -> datetime | None:
    """A report's `statusDatetime` (RFC 3339), None when absent or malformed."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _uuid(text: str) -> UUID | None:
    try:
        return UUID(text)
    except ValueError:
        return None
