"""Twofold's Prometheus metrics: one registry per process, read at `/metrics`.

Labels are bounded sets only (operation names of the schema, outcome type names, ISO region
codes, method names), never a user, number or address.

Several worker processes keep one registry each: a scrape sees the process that answered. Run
one process per scrape target, or switch to prometheus-client's multiprocess mode
(PROMETHEUS_MULTIPROC_DIR) before adding workers; gauges set by callbacks (hashing queue) are
per process in either case.
"""

from __future__ import annotations

from collections.abc import Callable

import phonenumbers
from prometheus_client import CONTENT_TYPE_LATEST as CONTENT_TYPE
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)

# `*_created` samples (a timestamp per label set) only double the size of a scrape.
disable_created_metrics()  # type: ignore[no-untyped-call]
REGISTRY = CollectorRegistry(auto_describe=True)

OPERATIONS = Counter(
    "twofold_graphql_operations",
    "GraphQL root fields resolved, by field and outcome (the result's type, or `error`).",
    ["operation", "outcome"],
    registry=REGISTRY,
)
OPERATION_SECONDS = Histogram(
    "twofold_graphql_operation_seconds",
    "Time to resolve a GraphQL root field.",
    ["operation"],
    registry=REGISTRY,
)
HTTP_SECONDS = Histogram(
    "twofold_http_request_seconds",
    "Time to answer an HTTP request, by route and status.",
    ["route", "status"],
    registry=REGISTRY,
)
SIGN_INS = Counter(
    "twofold_sign_ins",
    "Sign-ins completed (a session issued after every required factor).",
    registry=REGISTRY,
)
SECURITY_EVENTS = Counter(
    "twofold_security_events",
    "Audit events recorded, by event and outcome.",
    ["event", "outcome"],
    registry=REGISTRY,
)
CODES_SENT = Counter(
    "twofold_codes_sent",
    "Verification codes handed to the provider, by destination region and method.",
    ["country", "method"],
    registry=REGISTRY,
)
CODES_VERIFIED = Counter(
    "twofold_codes_verified",
    "Verification codes answered rightly, by region of the texted number (`none` for other "
    "methods) and method.",
    ["country", "method"],
    registry=REGISTRY,
)
SMS_DELIVERY_REPORTS = Counter(
    "twofold_sms_delivery_reports",
    "Signed delivery reports accepted from the SMS provider, by destination region and "
    "status (delivered, delivery_failed, expired, buffered, sent, scheduled).",
    ["country", "status"],
    registry=REGISTRY,
)
PROVIDER_ERRORS = Counter(
    "twofold_provider_errors",
    "Failed calls to an outside provider (sms, email, webhook).",
    ["provider"],
    registry=REGISTRY,
)
SMS_ROUTE_TEXTS = Counter(
    "twofold_sms_route_texts",
    "Texts per SMS provider and destination region, by outcome: sent (the provider took it), "
    "failed (it refused or timed out), failed_over (it took a text another provider failed "
    "first), delivered (its signed report said so).",
    ["provider", "country", "outcome"],
    registry=REGISTRY,
)
SMS_BREAKER_STATE = Gauge(
    "twofold_sms_breaker_state",
    "The circuit breaker of each SMS provider and region (0 closed, 1 half-open, 2 open), read "
    "from the database at each scrape.",
    ["provider", "country"],
    registry=REGISTRY,
)
OUTBOX_DEPTH = Gauge(
    "twofold_email_outbox_depth",
    "Security emails waiting for delivery (pending in the outbox), read at each scrape.",
    registry=REGISTRY,
)
HASHING_QUEUE = Gauge(
    "twofold_password_hashing_queue",
    "Password hashes waiting for a hashing thread in this process.",
    registry=REGISTRY,
)

TRANSACTION_APPROVALS = Counter(
    "twofold_transaction_approvals",
    "Transaction approvals by action and outcome (requested, approved, declined, failed, "
    "redeemed, held: refused by a cooling-off hold).",
    ["action", "outcome"],
    registry=REGISTRY,
)

NO_COUNTRY = "none"
SMS = "sms"


def country_of(phone_e164: str) -> str:
    """The ISO region of a number in E.164, `ZZ` when unknown."""
    try:
        region = phonenumbers.region_code_for_number(phonenumbers.parse(phone_e164))
    except phonenumbers.NumberParseException:
        return "ZZ"
    return str(region or "ZZ")


def watch_hashing_queue(depth: Callable[[], float]) -> None:
    """Read the hashing queue's depth from `depth` at each scrape (the latest app's hasher)."""
    HASHING_QUEUE.set_function(depth)


def exposition() -> tuple[bytes, str]:
    """The metrics in Prometheus' text format, and its content type."""
    return generate_latest(REGISTRY), CONTENT_TYPE


SHARED_PHONES = Counter(
    "twofold_phone_shared_across_companies",
    "Phone numbers verified that a user of another company verified already (flagged: no SMS "
    "transaction approvals), by where (enrollment, phone_change).",
    ["where"],
    registry=REGISTRY,
)
