"""Security webhooks: the endpoints an operator registers, and the events queued for them.

An event is queued inside the transaction of the change it reports, one delivery row per
(event, endpoint) that wants its type: a change whose rows cannot be written does not happen.
The body holds identifiers only (user, session, company, actor), never a secret, a code, a
token, a phone number or an email address. Rows are delivered by domain/webhook_delivery.py.
"""

from __future__ import annotations

import base64
import ipaddress
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from domain.runtime import Runtime
from models.company import Company
from models.enums import MfaMethod
from models.sealing import Sealed, seal
from models.user import User
from models.webhook import WebhookDelivery, WebhookEndpoint

EVENT_TYPES = (
    "mfa.enrolled",
    "mfa.factor_added",
    "mfa.factor_removed",
    "mfa.phone_changed",
    "mfa.recovery_code_used",
    "mfa.recovery_code_regenerated",
    "mfa.reset",
    "session.signed_out_everywhere",
    "account.locked",
    "account.invited",
    "account.password_reset",
    "account.password_changed",
    "transaction.approved",
    "transaction.declined",
    "hold.started",
    "hold.ended",
    "phone.shared_across_companies",
)
SECRET_PREFIX = "whsec_"
MAX_URL_LENGTH = 2000  # the column's size


class WebhookRefused(ValueError):
    """An endpoint that cannot be registered; the message says why."""


@dataclass(frozen=True)
class Actor:
    """Who made the change: the user themself, a company admin, the operator (the command
    line), or Twofold itself (a lock after too many failures)."""

    kind: str
    id: UUID | None = None

    @classmethod
    def user(cls, user_id: UUID) -> Actor:
        return cls("user", user_id)

    @classmethod
    def admin(cls, admin_id: UUID) -> Actor:
        return cls("admin", admin_id)

    def as_json(self) -> dict[str, str | None]:
        return {"type": self.kind, "id": str(self.id) if self.id else None}


OPERATOR = Actor("operator")
SYSTEM = Actor("system")


def check_url(url: str, production: bool) -> str:
    """The URL to store, or WebhookRefused: https anywhere; plain http only to a loopback
    address (a receiver on the same host), or to any host in development."""
    parts = urlsplit(url)
    if len(url) > MAX_URL_LENGTH:
        raise WebhookRefused(f"the URL must be at most {MAX_URL_LENGTH} characters")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WebhookRefused("the URL must be http:// or https:// with a host")
    if parts.username or parts.password:
        raise WebhookRefused("the URL must not carry credentials")
    if parts.scheme == "http" and production and not _is_loopback(parts.hostname):
        raise WebhookRefused("plain http:// is allowed only to a loopback address in production")
    return url


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_events(events: Iterable[str]) -> tuple[str, ...]:
    """The event types, each known; empty means every type."""
    chosen = tuple(dict.fromkeys(e.strip() for e in events if e.strip()))
    unknown = [e for e in chosen if e not in EVENT_TYPES]
    if unknown:
        raise WebhookRefused(f"unknown event types: {', '.join(unknown)}")
    return chosen


async def add_endpoint(
    runtime: Runtime, url: str, events: Iterable[str] = ()
) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint; returns it and its signing secret, which is never shown again."""
    checked = check_url(url, runtime.settings.is_production)
    chosen = check_events(events)
    key = runtime.providers.randomness.webhook_secret()
    secret = SECRET_PREFIX + base64.b64encode(key).decode()
    endpoint = await WebhookEndpoint.create(
        url=checked,
        events=",".join(chosen),
        secret_sealed=seal(runtime.secret_key, Sealed.WEBHOOK_SECRET, secret),
        created_at=runtime.now(),
    )
    return endpoint, secret


async def endpoints() -> list[WebhookEndpoint]:
    return await WebhookEndpoint.all().order_by("created_at")


async def remove_endpoint(endpoint_id: UUID) -> bool:
    """Remove an endpoint and the deliveries still waiting for it."""
    return bool(await WebhookEndpoint.filter(id=endpoint_id).delete())


async def queue_event(
    runtime: Runtime,
    event_type: str,
    user: User | None,
    actor: Actor,
    *,
    method: MfaMethod | None = None,
    session_id: UUID | None = None,
    company_id: UUID | None = None,
    deliver_at: datetime | None = None,
    **extra: Any,
) -> int:
    """Queue `event_type` about `user` for every endpoint that wants it; returns how many rows.
    Call inside the change's transaction. An event about an account that does not exist yet
    (an invitation) has no user: `company_id` names its company. `deliver_at` holds the event
    back until then (a hold's end, known when it starts: no job has to run when it comes)."""
    assert event_type in EVENT_TYPES, event_type
    wanting = [e for e in await WebhookEndpoint.all() if e.wants(event_type)]
    if not wanting:
        return 0
    now = deliver_at or runtime.now()
    data: dict[str, Any] = {
        "user_id": str(user.id) if user else None,
        "company": await _company(user.company_id if user else company_id),
        "actor": actor.as_json(),
    }
    if method is not None:
        data["method"] = method.value
    if session_id is not None:
        data["session_id"] = str(session_id)
    body = json.dumps(
        {"type": event_type, "timestamp": iso(now), "data": data | extra},
        separators=(",", ":"),
    )
    for endpoint in wanting:
        await WebhookDelivery.create(
            endpoint_id=endpoint.id,
            event=event_type,
            body=body,
            created_at=now,
            next_attempt_at=now,
        )
    return len(wanting)


async def _company(company_id: UUID | None) -> dict[str, str] | None:
    if company_id is None:
        return None
    company = await Company.get_or_none(id=company_id)
    return None if company is None else {"id": str(company.id), "name": company.name}


def iso(at: datetime) -> str:
    """A time as webhook bodies write it: ISO 8601 in UTC with `Z`."""
    return at.astimezone(UTC).isoformat().replace("+00:00", "Z")
