"""SMS delivery reports: each text carries an opaque `reference` and the `reportUrl` under
PUBLIC_URL; MessageBird's reports are accepted only when signed exactly as MessageBird signs
them (a JWT in `MessageBird-Signature-JWT`, made here with PyJWT: issuer, not before / expiry,
SHA-256 of the URL and of the body) and only once; `mfaEnrollment` shows the status."""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

import jwt
import pytest

from domain.metrics import REGISTRY
from domain.settings import Settings, SettingsError
from graph.startup.wiring import build_providers
from models.enums import PayRole
from models.sms_delivery import SmsDelivery
from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.apps import running_app
from tests.support.clients import PeerHttpFactory
from tests.support.constants import PHONE
from tests.support.flows import reach_code_verification
from tests.support.graphql import GraphQLClient
from tests.support.mailbox import Mailbox
from tests.support.messagebird_standin import MessageBirdStandIn

PUBLIC_URL = "https://twofold.example"
REPORT_URL = f"{PUBLIC_URL}/webhooks/messagebird/status"
SIGNING_KEY = "test-messagebird-signing-key-0123456789abcdef"
EMAIL = "texted@example.com"


def signature(
    url: str,
    body: bytes = b"",
    *,
    key: str = SIGNING_KEY,
    expires_in: int = 60,
    jti: str | None = None,
    issuer: str = "MessageBird",
) -> str:
    """A `MessageBird-Signature-JWT` as MessageBird makes it."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": issuer,
        "nbf": now,
        "exp": now + expires_in,
        "jti": jti or str(uuid.uuid4()),
        "url_hash": hashlib.sha256(url.encode()).hexdigest(),
    }
    if body:
        claims["payload_hash"] = hashlib.sha256(body).hexdigest()
    return jwt.encode(claims, key, algorithm="HS256")


def report_query(reference: str, status: str) -> str:
    """The query string of MessageBird's GET status report."""
    return urlencode(
        {
            "id": uuid.uuid4().hex,
            "reference": reference,
            "recipient": PHONE.lstrip("+"),
            "status": status,
            "statusDatetime": "2026-11-28T12:00:00+00:00",
        }
    )


def delivered_count(status: str) -> float:
    labels = {"country": "US", "status": status}
    return REGISTRY.get_sample_value("twofold_sms_delivery_reports_total", labels) or 0.0


@pytest.fixture
async def reporting(
    settings: Settings,
    clock: ManualClock,
    messagebird: MessageBirdStandIn,
    mailbox: Mailbox,
) -> AsyncIterator[PeerHttpFactory]:
    """The app with delivery reports on (PUBLIC_URL and the signing key set)."""
    on = replace(settings, public_url=PUBLIC_URL, messagebird_signing_key=SIGNING_KEY)
    providers = replace(build_providers(on), clock=clock)
    try:
        async with running_app(on, providers, messagebird, mailbox) as factory:
            yield factory
    finally:
        providers.close()


async def texted(
    reporting: PeerHttpFactory, make_user: Any, messagebird: MessageBirdStandIn
) -> tuple[GraphQLClient, str]:
    """A payee whose code was texted; returns the client and the text's reference."""
    await make_user(EMAIL, PayRole.PAYEE)
    client = GraphQLClient(reporting())
    await reach_code_verification(client, EMAIL)
    reference = messagebird.messages[-1].reference
    assert reference is not None
    return client, reference


async def shown_status(client: GraphQLClient) -> str | None:
    enrollment = (await client.execute(doc.SMS_DELIVERY_STATUS))["mfaEnrollment"]
    assert enrollment["step"] == "CODE_VERIFICATION", enrollment
    return enrollment["smsDeliveryStatus"]


async def test_a_text_carries_an_opaque_reference_and_the_report_url(
    reporting: PeerHttpFactory, make_user: Any, messagebird: MessageBirdStandIn
) -> None:
    # when
    client, reference = await texted(reporting, make_user, messagebird)

    # then
    assert messagebird.messages[-1].report_url == REPORT_URL
    delivery = await SmsDelivery.get(id=reference)
    assert PHONE.lstrip("+") not in reference and "0123" not in reference
    assert (delivery.status, delivery.country) == ("sent", "US")
    assert await shown_status(client) == "SENT"


async def test_a_signed_report_is_recorded_counted_and_shown(
    reporting: PeerHttpFactory, make_user: Any, messagebird: MessageBirdStandIn
) -> None:
    # given
    client, reference = await texted(reporting, make_user, messagebird)
    query = report_query(reference, "delivery_failed")
    before = delivered_count("delivery_failed")

    # when
    async with reporting() as provider:
        response = await provider.get(
            f"/webhooks/messagebird/status?{query}",
            headers={"MessageBird-Signature-JWT": signature(f"{REPORT_URL}?{query}")},
        )

    # then
    assert response.status_code == 200, response.text
    assert await shown_status(client) == "DELIVERY_FAILED"
    delivery = await SmsDelivery.get(id=reference)
    assert delivery.status_at is not None and delivery.status_at.isoformat().startswith(
        "2026-11-28T12:00:00"
    )
    assert delivered_count("delivery_failed") == before + 1


async def test_a_signed_post_report_is_recorded(
    reporting: PeerHttpFactory, make_user: Any, messagebird: MessageBirdStandIn
) -> None:
    # given
    client, reference = await texted(reporting, make_user, messagebird)
    body = report_query(reference, "delivered").encode()

    # when
    async with reporting() as provider:
        response = await provider.post(
            "/webhooks/messagebird/status",
            content=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "MessageBird-Signature-JWT": signature(REPORT_URL, body),
            },
        )

    # then
    assert response.status_code == 200, response.text
    assert await shown_status(client) == "DELIVERED"


FORGERIES = ["unsigned", "wrong-key", "other-url", "tampered-body", "expired", "other-issuer"]


@pytest.mark.parametrize("forgery", FORGERIES)
async def test_an_unsigned_or_forged_report_answers_401_and_changes_nothing(
    forgery: str, reporting: PeerHttpFactory, make_user: Any, messagebird: MessageBirdStandIn
) -> None:
    # given
    client, reference = await texted(reporting, make_user, messagebird)
    body = report_query(reference, "delivered").encode()
    signed = {
        "unsigned": "",
        "wrong-key": signature(REPORT_URL, body, key="another-signing-key-0123456789abcdefghijkl"),
        "other-url": signature("https://elsewhere.example/webhooks/messagebird/status", body),
        "tampered-body": signature(REPORT_URL, report_query(reference, "expired").encode()),
        "expired": signature(REPORT_URL, body, expires_in=-60),
        "other-issuer": signature(REPORT_URL, body, issuer="Someone"),
    }[forgery]
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if signed:
        headers["MessageBird-Signature-JWT"] = signed

    # when
    async with reporting() as provider:
        response = await provider.post(
            "/webhooks/messagebird/status", content=body, headers=headers
        )

    # then
    assert response.status_code == 401, response.text
    assert await shown_status(client) == "SENT"
    assert (await SmsDelivery.get(id=reference)).status_at is None


async def test_a_replayed_report_answers_401_and_changes_nothing(
    reporting: PeerHttpFactory, make_user: Any, messagebird: MessageBirdStandIn
) -> None:
    # given a report accepted, then a later one, then the first played again
    client, reference = await texted(reporting, make_user, messagebird)
    first = report_query(reference, "buffered")
    first_signature = signature(f"{REPORT_URL}?{first}")
    later = report_query(reference, "delivered").replace("12%3A00", "12%3A05")
    async with reporting() as provider:
        accepted = await provider.get(
            f"/webhooks/messagebird/status?{first}",
            headers={"MessageBird-Signature-JWT": first_signature},
        )
        newer = await provider.get(
            f"/webhooks/messagebird/status?{later}",
            headers={"MessageBird-Signature-JWT": signature(f"{REPORT_URL}?{later}")},
        )

        # when
        replayed = await provider.get(
            f"/webhooks/messagebird/status?{first}",
            headers={"MessageBird-Signature-JWT": first_signature},
        )

    # then
    assert (accepted.status_code, newer.status_code) == (200, 200)
    assert replayed.status_code == 401
    assert await shown_status(client) == "DELIVERED"


async def test_without_public_url_texts_carry_no_report_url_and_no_endpoint_answers(
    browser: GraphQLClient, make_user: Any, messagebird: MessageBirdStandIn
) -> None:
    # given
    await make_user(EMAIL, PayRole.PAYEE)

    # when
    await reach_code_verification(browser, EMAIL)
    response = await browser.http.get("/webhooks/messagebird/status?status=delivered")

    # then
    assert messagebird.messages[-1].report_url is None
    assert messagebird.messages[-1].reference is None
    assert response.status_code == 404
    assert await shown_status(browser) is None


@pytest.mark.parametrize(
    ("environment", "problem"),
    [
        ({"PUBLIC_URL": PUBLIC_URL}, "MESSAGEBIRD_SIGNING_KEY is required with PUBLIC_URL"),
        (
            {"PUBLIC_URL": "http://twofold.example", "MESSAGEBIRD_SIGNING_KEY": "k"},
            "PUBLIC_URL must be an https:// URL",
        ),
    ],
)
def test_public_url_needs_the_signing_key_and_https_in_production(
    environment: dict[str, str], problem: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    # given
    production = {
        "TWOFOLD_ENV": "production",
        "TWOFOLD_SECRET_KEY": "k" * 40,
        "MESSAGEBIRD_ACCESS_KEY": "live_key",
        "SMTP_HOST": "smtp.example",
        "ALLOWED_ORIGINS": "https://app.example",
        "DATABASE_URL": "sqlite://:memory:",
    }
    for name, value in {**production, **environment}.items():
        monkeypatch.setenv(name, value)

    # when
    with pytest.raises(SettingsError) as raised:
        Settings.from_environment(tmp_path / "none.env")

    # then
    assert problem in str(raised.value)


async def test_an_oversized_report_is_refused_unread(
    reporting: PeerHttpFactory, make_user: Any, messagebird: MessageBirdStandIn
) -> None:
    # given
    client, reference = await texted(reporting, make_user, messagebird)
    body = report_query(reference, "delivered").encode() + b"&pad=" + b"x" * 20_000

    # when
    async with reporting() as provider:
        response = await provider.post(
            "/webhooks/messagebird/status",
            content=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "MessageBird-Signature-JWT": signature(REPORT_URL, body),
            },
        )

    # then
    assert response.status_code == 413
    assert await shown_status(client) == "SENT"
