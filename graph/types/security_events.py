"""The audit trail as clients read it: cursor connections, newest first, never a secret.

Pages run newest first by the event's id (ids only grow), so an event recorded while a client
pages is never shown twice nor skipped among the older ones. A cursor is the last id seen,
base64-encoded; one that is not Twofold's gives an empty page.
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Any

import strawberry

from domain import audit

DEFAULT_PAGE = 20
_PREFIX = "audit:"


@strawberry.type(description="One authentication or account event of the audit trail.")
class SecurityEvent:
    id: strawberry.ID = strawberry.field(description="Stable opaque identifier.")
    at: datetime = strawberry.field(description="When it happened (UTC).")
    kind: str = strawberry.field(
        description="What happened, e.g. `session`, `password`, `second_factor.sign_in`, "
        "`mfa_enrolled`, `factor_removed`, `mfa_reset`."
    )
    outcome: str = strawberry.field(
        description="How it ended, e.g. `signed_in`, `passed`, `failed`, `braked`, `done`."
    )
    subject_email: str | None = strawberry.field(
        description="The account it concerns; null once that account is gone."
    )
    by_someone_else: bool = strawberry.field(
        description="Whether another user (a company administrator) did it."
    )
    ip_address: str = strawberry.field(description="The client address it came from.")
    user_agent: str = strawberry.field(description="The client's User-Agent, as sent.")


@strawberry.type(description="One event of a security event connection, with its cursor.")
class SecurityEventEdge:
    cursor: str = strawberry.field(description="Pass as `after` to read the events after it.")
    node: SecurityEvent = strawberry.field(description="The event.")


@strawberry.type(description="Where a page of a connection ends.")
class SecurityEventPageInfo:
    has_next_page: bool = strawberry.field(description="Whether older events follow.")
    end_cursor: str | None = strawberry.field(
        description="The cursor of the page's last event; null on an empty page."
    )


@strawberry.type(description="A page of security events, newest first.")
class SecurityEventConnection:
    edges: list[SecurityEventEdge] = strawberry.field(description="The page's events.")
    page_info: SecurityEventPageInfo = strawberry.field(description="Where the page ends.")


def _cursor(event_id: int) -> str:
    return base64.urlsafe_b64encode(f"{_PREFIX}{event_id}".encode()).decode()


def _before_id(cursor: str | None) -> int | None:
    """The id a cursor names; 0 (nothing older) for one that is not Twofold's."""
    if cursor is None:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor.encode("ascii")).decode("ascii")
    except (ValueError, UnicodeError, binascii.Error):
        return 0
    digits = text.removeprefix(_PREFIX)
    if not text.startswith(_PREFIX) or not digits.isdigit() or len(digits) > 19:
        return 0
    return int(digits)


async def events_connection(
    filters: dict[str, Any], first: int | None, after: str | None
) -> SecurityEventConnection:
    """A page of the audit rows matching `filters`, after the `after` cursor."""
    rows, more = await audit.page(filters, first or DEFAULT_PAGE, _before_id(after))
    edges = [
        SecurityEventEdge(
            cursor=_cursor(row.id),
            node=SecurityEvent(
                id=strawberry.ID(str(row.id)),
                at=row.at,
                kind=row.event,
                outcome=row.outcome,
                subject_email=row.subject.email if row.subject else None,
                by_someone_else=row.actor_id is not None and row.actor_id != row.subject_id,
                ip_address=row.ip_address,
                user_agent=row.user_agent,
            ),
        )
        for row in rows
    ]
    end = edges[-1].cursor if edges else None
    return SecurityEventConnection(
        edges=edges, page_info=SecurityEventPageInfo(has_next_page=more, end_cursor=end)
    )
