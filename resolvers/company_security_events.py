"""companySecurityEvents: a company administrator reads the audit trail of the company."""

from __future__ import annotations

from typing import Any

import strawberry

from graph.context import Context
from graph.types.security_events import (
    DEFAULT_PAGE,
    SecurityEventConnection,
    events_connection,
)
from models.enums import SessionKind


async def company_security_events(
    info: strawberry.Info[Context, None],
    first: int | None = DEFAULT_PAGE,
    after: str | None = None,
    kind: str | None = None,
) -> SecurityEventConnection | None:
    session = await info.context.session()
    if session is None or session.kind is not SessionKind.FULL:
        return None
    admin = session.user
    if not admin.is_company_admin or admin.company_id is None:
        return None
    filters: dict[str, Any] = {"subject__company_id": admin.company_id}
    if kind is not None:
        filters["event"] = kind
    return await events_connection(filters, first, after)
