"""Recording authentication events: one audit row and one structured log line each.

Only identifiers, outcomes and request metadata are recorded: never a password, code,
recovery code, TOTP secret or token.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from domain import metrics, raw_sql
from domain.runtime import Runtime
from models.audit_event import AuditEvent

logger = logging.getLogger("twofold.audit")


@dataclass(frozen=True)
class Event:
    """One authentication event to record (see `record`)."""

    event: str
    outcome: str
    subject_id: UUID | None
    actor_id: UUID | None = None


async def record(
    runtime: Runtime,
    event: str,
    outcome: str,
    subject_id: UUID | None,
    actor_id: UUID | None = None,
) -> None:
    await record_all(runtime, [Event(event, outcome, subject_id, actor_id)])


async def record_all(runtime: Runtime, events: Sequence[Event]) -> None:
    """Events of one request: their rows in one statement, in order."""
    meta = runtime.caller
    at = runtime.now()
    rows = [
        AuditEvent(
            at=at,
            event=each.event,
            outcome=each.outcome,
            actor_id=each.actor_id or each.subject_id,
            subject_id=each.subject_id,
            ip_address=meta.ip_address,
            user_agent=meta.user_agent,
        )
        for each in events
    ]
    await raw_sql.insert(rows)
    for each in events:
        _announce(each, meta.ip_address, at)


def _announce(each: Event, ip_address: str, at: datetime) -> None:
    """The event's metrics and its structured log line."""
    subject_id, actor_id = each.subject_id, each.actor_id or each.subject_id
    metrics.SECURITY_EVENTS.labels(each.event, each.outcome).inc()
    if (each.event, each.outcome) == ("session", "signed_in"):
        metrics.SIGN_INS.inc()
    logger.info(
        json.dumps(
            {
                "event": each.event,
                "outcome": each.outcome,
                "subject": str(subject_id) if subject_id else None,
                "actor": str(actor_id) if actor_id else None,
                "ip": ip_address,
                "at": at.isoformat(),
            },
            sort_keys=True,
        )
    )


LARGEST_PAGE = 100


async def page(
    filters: dict[str, Any], size: int, before_id: int | None
) -> tuple[list[AuditEvent], bool]:
    """Up to `size` (1 to 100) rows matching `filters`, newest first (by id, which only grows),
    older than `before_id` when given; and whether older rows follow."""
    size = max(1, min(size, LARGEST_PAGE))
    query = AuditEvent.filter(**filters)
    if before_id is not None:
        query = query.filter(id__lt=before_id)
    rows = await query.order_by("-id").limit(size + 1).prefetch_related("subject")
    return rows[:size], len(rows) > size
