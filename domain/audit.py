"""Recording authentication events: one audit row and one structured log line each.

Only identifiers, outcomes and request metadata are recorded: never a password, code,
recovery code, TOTP secret or token.
"""

from __future__ import annotations

import json
import logging
from typing import Any
from uuid import UUID

from domain import metrics
from domain.runtime import Runtime
from models.audit_event import AuditEvent

logger = logging.getLogger("twofold.audit")


async def record(
    runtime: Runtime,
    event: str,
    outcome: str,
    subject_id: UUID | None,
    actor_id: UUID | None = None,
) -> None:
    meta = runtime.caller
    at = runtime.now()
    await AuditEvent.create(
        at=at,
        event=event,
        outcome=outcome,
        actor_id=actor_id or subject_id,
        subject_id=subject_id,
        ip_address=meta.ip_address,
        user_agent=meta.user_agent,
    )
    metrics.SECURITY_EVENTS.labels(event, outcome).inc()
    if (event, outcome) == ("session", "signed_in"):
        metrics.SIGN_INS.inc()
    logger.info(
        json.dumps(
            {
                "event": event,
                "outcome": outcome,
                "subject": str(subject_id) if subject_id else None,
                "actor": str(actor_id or subject_id) if (actor_id or subject_id) else None,
                "ip": meta.ip_address,
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
