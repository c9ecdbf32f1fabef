"""`/readyz` says whether the database answers with every migration applied; `/metrics` counts a
whole enrollment exactly, and is off or behind a bearer token in production."""

from __future__ import annotations

from collections import Counter

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from tortoise import connections
from tortoise.migrations.recorder import MigrationRecorder

from domain.settings import PRODUCTION, Settings
from graph.startup.db import APP_LABEL
from providers.registry import Providers
from tests.support import documents as doc
from tests.support.apps import running_app
from tests.support.clients import HttpFactory
from tests.support.constants import PHONE
from tests.support.flows import at_phone_entry, enroll_with_sms
from tests.support.graphql import GraphQLClient
from tests.support.mailbox import Mailbox
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.users import MakeUser

Sample = tuple[str, frozenset[tuple[str, str]]]
METRICS_TOKEN = "scrape-token-of-at-least-some-length"


async def scrape(http: httpx.AsyncClient) -> Counter[Sample]:
    response = await http.get("/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    values: Counter[Sample] = Counter()
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            values[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return values


def grown(before: Counter[Sample], after: Counter[Sample], prefix: str) -> dict[Sample, float]:
    """The samples named `prefix...` that changed, by how much."""
    return {
        key: after[key] - before[key]
        for key in after
        if key[0].startswith(prefix) and after[key] != before[key]
    }


def labels(**pairs: str) -> frozenset[tuple[str, str]]:
    return frozenset(pairs.items())


async def test_metrics_count_one_sms_enrollment_exactly(
    new_http: HttpFactory, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given: a payee, and the metrics before
    await make_user("metrics.payee@example.com")
    async with new_http() as http:
        before = await scrape(http)

        # when: the payee enrolls with SMS
        await enroll_with_sms(GraphQLClient(http), messagebird, "metrics.payee@example.com")
        after = await scrape(http)

    # then: one text sent to and one code verified for the US, by SMS
    assert grown(before, after, "twofold_codes_") == {
        ("twofold_codes_sent_total", labels(country="US", method="sms")): 1,
        ("twofold_codes_verified_total", labels(country="US", method="sms")): 1,
    }
    assert PHONE.startswith("+1")
    # ...each step of the flow counted once, under its outcome
    assert grown(before, after, "twofold_graphql_operations_total") == {
        ("twofold_graphql_operations_total", labels(operation=o, outcome=t)): 1
        for o, t in [
            ("logIn", "MfaSetupRequired"),
            ("startMfaSetup", "MfaMethodSelection"),
            ("chooseMfaMethod", "SmsMethodChosen"),
            ("sendSmsCode", "SmsCodeSent"),
            ("verifySmsCode", "RecoveryCodeIssued"),
            ("confirmRecoveryCodeSaved", "LoggedIn"),
        ]
    }
    # ...timed: six root fields, six GraphQL requests answered 200 (plus the first scrape)
    timed = grown(before, after, "twofold_graphql_operation_seconds_count")
    assert sum(timed.values()) == 6
    http_count = ("twofold_http_request_seconds_count", labels(route="/graphql", status="200"))
    assert after[http_count] - before[http_count] == 6
    # ...one sign-in, no provider error
    assert (
        after[("twofold_sign_ins_total", frozenset())]
        - before[("twofold_sign_ins_total", frozenset())]
        == 1
    )
    assert grown(before, after, "twofold_provider_errors") == {}
    # ...and the hashing queue is a gauge that is read at each scrape
    assert ("twofold_password_hashing_queue", frozenset()) in after


async def test_a_refused_text_counts_as_a_provider_error_and_not_as_sent(
    new_http: HttpFactory, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given: a payee at the phone step, and a provider that fails
    await make_user("refused.payee@example.com")
    async with new_http() as http:
        client = await at_phone_entry(http, "refused.payee@example.com")
        before = await scrape(http)
        messagebird.mode = "500"

        # when
        sent = await client.execute(
            doc.SEND_SMS_CODE, {"input": {"countryCode": "+1", "phoneNumber": "201 555 0123"}}
        )
        after = await scrape(http)

    # then
    assert sent["sendSmsCode"]["__typename"] == "SmsDeliveryFailedError", sent
    assert grown(before, after, "twofold_provider_errors") == {
        ("twofold_provider_errors_total", labels(provider="sms")): 1
    }
    assert grown(before, after, "twofold_codes_sent") == {}


async def test_ready_when_the_database_answers_with_every_migration(
    new_http: HttpFactory,
) -> None:
    async with new_http() as http:
        response = await http.get("/readyz")

    assert (response.status_code, response.json()) == (
        200,
        {"status": "ready", "details": {"sms_breakers": []}},
    )


async def test_not_ready_while_a_migration_is_missing(new_http: HttpFactory) -> None:
    # given: the newest migration unrecorded, as on a database an older release migrated
    recorder = MigrationRecorder(connections.get("default"))
    newest = max(key.name for key in await recorder.applied_migrations())
    await recorder.record_unapplied(APP_LABEL, newest)
    try:
        # when
        async with new_http() as http:
            response = await http.get("/readyz")
    finally:
        await recorder.record_applied(APP_LABEL, newest)

    # then
    assert (response.status_code, response.json()) == (
        503,
        {"status": "unavailable", "reason": "migrations"},
    )


@pytest.mark.parametrize(
    ("token", "authorization", "status"),
    [
        ("", None, 404),  # production without a token: no metrics at all
        (METRICS_TOKEN, None, 401),
        (METRICS_TOKEN, "Bearer wrong-token", 401),
        (METRICS_TOKEN, f"Bearer {METRICS_TOKEN}", 200),
    ],
    ids=["off", "no-token", "wrong-token", "right-token"],
)
async def test_production_metrics_are_off_or_need_the_token(
    settings: Settings,
    providers: Providers,
    messagebird: MessageBirdStandIn,
    mailbox: Mailbox,
    token: str,
    authorization: str | None,
    status: int,
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    async with (
        running_app(
            settings, providers, messagebird, mailbox, environment=PRODUCTION, metrics_token=token
        ) as make,
        make() as http,
    ):
        response = await http.get("/metrics", headers=headers)

    assert response.status_code == status
    assert ("twofold_sign_ins_total" in response.text) == (status == 200)
