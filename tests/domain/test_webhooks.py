"""Security webhooks through the outbox: signed per Standard Webhooks, retried with the same
webhook-id until a 2xx, `failed` after the last attempt until an operator retries it, never
sent twice by parallel senders; docs/services.md's verification example works on a real one."""

from __future__ import annotations

import asyncio
import base64
import re
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from uuid import uuid4

import pytest
from standardwebhooks import WebhookVerificationError
from starlette.applications import Starlette
from tortoise import Tortoise

from domain import outbox, webhook_delivery, webhooks
from domain.runtime import RequestMeta, Runtime
from domain.settings import Settings
from models.outbox import OutboxStatus
from models.webhook import WebhookDelivery, WebhookEndpoint
from providers.clock import ManualClock
from providers.registry import Providers
from tests.support import documents as doc
from tests.support.clients import HttpFactory
from tests.support.flows import enroll_with_app, sign_in_with_app
from tests.support.graphql import GraphQLClient
from tests.support.served import run_twofold
from tests.support.users import MakeUser
from tests.support.webhook_receiver import WebhookReceiver, receiver

__all__ = ["receiver"]  # the fixture, used by name

CALLER = RequestMeta("203.0.113.9", "webhook-test")
SCHEDULE = webhook_delivery.SCHEDULE


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # The lifespan's sender makes its first pass and then sleeps: the tests drive delivery.
    return replace(settings, outbox_poll_seconds=3600, webhook_timeout_seconds=0.5)


@pytest.fixture
def runtime(app: Starlette, settings: Settings, providers: Providers) -> Runtime:
    return Runtime(settings, providers, CALLER)


async def endpoint_for(
    runtime: Runtime, receiver: WebhookReceiver, events: tuple[str, ...] = ()
) -> WebhookEndpoint:
    endpoint, secret = await webhooks.add_endpoint(runtime, receiver.url, events)
    receiver.secret = secret
    return endpoint


def longest_wait(attempts: int) -> timedelta:
    """The wait after `attempts` failures with the largest jitter: then it is surely due."""
    return SCHEDULE.delay(attempts, 0.999999) + timedelta(seconds=1)


async def test_a_delivery_is_retried_with_the_same_id_until_the_receiver_accepts_it(
    runtime: Runtime, clock: ManualClock, receiver: WebhookReceiver, make_user: MakeUser
) -> None:
    # given: a receiver that answers 500, then not at all, then 200
    await endpoint_for(runtime, receiver)
    user = await make_user("locked@example.com")
    receiver.answers = [500, "hang"]
    assert await webhooks.queue_event(runtime, "account.locked", user, webhooks.SYSTEM) == 1
    row = await WebhookDelivery.get()

    # when: the sender tries, waits out each backoff on the clock, and tries again
    first = await webhook_delivery.deliver(runtime, row.id)
    too_early = await webhook_delivery.deliver(runtime, row.id)
    clock.advance(longest_wait(1))
    second = await webhook_delivery.deliver(runtime, row.id)
    clock.advance(longest_wait(2))
    third = await webhook_delivery.deliver(runtime, row.id)
    clock.advance(timedelta(days=2))
    later = await webhook_delivery.deliver_due(runtime)

    # then: three attempts, one id, each verified; delivered once and never again
    assert (first, too_early, second, third) == (False, None, False, True)
    assert [r.answered for r in receiver.received] == [500, "hang", 200]
    assert {r.webhook_id for r in receiver.received} == {row.webhook_id}
    assert all(r.verified for r in receiver.received)
    assert len({r.headers["webhook-timestamp"] for r in receiver.received}) == 3
    assert later == outbox.Delivery(0, 0)
    done = await WebhookDelivery.get(id=row.id)
    assert (done.status, done.attempts) == (OutboxStatus.SENT, 3)


async def test_after_the_last_attempt_a_delivery_is_failed_and_an_operator_retry_delivers_it(
    runtime: Runtime,
    settings: Settings,
    clock: ManualClock,
    receiver: WebhookReceiver,
    make_user: MakeUser,
    tmp_path: Path,
) -> None:
    # given: a receiver that fails every attempt of the schedule
    await endpoint_for(runtime, receiver)
    user = await make_user("reset@example.com")
    receiver.answers = [503] * SCHEDULE.max_attempts
    await webhooks.queue_event(runtime, "mfa.reset", user, webhooks.OPERATOR)
    row = await WebhookDelivery.get()
    outcomes = []
    for attempt in range(1, SCHEDULE.max_attempts + 1):
        outcomes.append(await webhook_delivery.deliver(runtime, row.id))
        clock.advance(longest_wait(attempt))
    failed = await WebhookDelivery.get(id=row.id)
    env = {
        "DATABASE_URL": settings.database_url,
        "TWOFOLD_SECRET_KEY": settings.secret_key,
        "PATH": "/usr/bin:/bin",
    }

    # when: the operator lists the outbox, then retries the delivery (on the real clock)
    listed = run_twofold(env, tmp_path, "outbox")
    retried = run_twofold(env, tmp_path, "outbox", "--retry", str(row.id))
    after = run_twofold(env, tmp_path, "webhook", "deliveries")

    # then
    assert outcomes == [False] * SCHEDULE.max_attempts
    assert (failed.status, failed.attempts) == (OutboxStatus.FAILED, SCHEDULE.max_attempts)
    assert listed.returncode == 0, listed.stderr
    assert f"{row.id} failed attempts={SCHEDULE.max_attempts}" in listed.stdout
    assert "webhook mfa.reset" in listed.stdout and "HTTP 503" in listed.stdout
    assert (retried.returncode, retried.stdout.strip()) == (0, f"message {row.id} sent")
    assert len(receiver.received) == SCHEDULE.max_attempts + 1
    assert {r.webhook_id for r in receiver.received} == {row.webhook_id}
    assert all(r.signature_ok for r in receiver.received)
    assert receiver.received[-1].verified and receiver.received[-1].answered == 200
    assert (await WebhookDelivery.get(id=row.id)).status is OutboxStatus.SENT
    assert after.stdout.strip() == "no webhook deliveries waiting"


def test_retries_back_off_up_to_a_day_over_two_to_three_and_a_half_days() -> None:
    longest = [SCHEDULE.delay(n, 0.999999) for n in range(1, SCHEDULE.max_attempts)]
    shortest = [SCHEDULE.delay(n, 0.0) for n in range(1, SCHEDULE.max_attempts)]
    assert SCHEDULE.delay(1, 0.0) == timedelta(seconds=15)
    assert SCHEDULE.delay(40, 0.0) == timedelta(hours=12)
    assert max(longest) < timedelta(days=1)
    assert sum(longest, timedelta()) < timedelta(days=3.5)
    assert sum(shortest, timedelta()) > timedelta(days=1.5)


async def test_four_parallel_senders_deliver_each_row_once(
    runtime: Runtime, receiver: WebhookReceiver, make_user: MakeUser
) -> None:
    # given: ten events for each of two endpoints
    await endpoint_for(runtime, receiver)
    await endpoint_for(runtime, receiver)  # the same receiver at a second endpoint
    users = [await make_user(f"p{i}@example.com") for i in range(10)]
    for user in users:
        await webhooks.queue_event(runtime, "mfa.reset", user, webhooks.OPERATOR)

    # when
    passes = await asyncio.gather(*(webhook_delivery.deliver_due(runtime) for _ in range(4)))

    # then: twenty rows, each delivered once
    assert sum(p.sent for p in passes) == 20
    ids = [r.webhook_id for r in receiver.received]
    assert len(ids) == len(set(ids)) == 20
    assert await WebhookDelivery.filter(status=OutboxStatus.SENT).count() == 20


async def test_an_endpoint_hears_only_the_event_types_it_chose(
    runtime: Runtime, receiver: WebhookReceiver, make_user: MakeUser
) -> None:
    # given
    locks = await endpoint_for(runtime, receiver, ("account.locked",))
    every = await endpoint_for(runtime, receiver)
    user = await make_user()

    # when
    resets = await webhooks.queue_event(runtime, "mfa.reset", user, webhooks.OPERATOR)
    locked = await webhooks.queue_event(runtime, "account.locked", user, webhooks.SYSTEM)

    # then: one row per (event, endpoint) that wants it
    assert (resets, locked) == (1, 2)
    rows = await WebhookDelivery.all().values_list("event", "endpoint_id")
    assert sorted(rows) == sorted(
        [("mfa.reset", every.id), ("account.locked", every.id), ("account.locked", locks.id)]
    )


async def test_a_change_whose_webhook_row_cannot_be_written_does_not_happen(
    runtime: Runtime,
    receiver: WebhookReceiver,
    new_http: HttpFactory,
    make_user: MakeUser,
    clock: ManualClock,
) -> None:
    # given: a user signed in on two devices, and the webhook table gone from under the app
    await endpoint_for(runtime, receiver)
    await make_user("payee@example.com")
    phone, laptop = GraphQLClient(new_http()), GraphQLClient(new_http())
    secret, _ = await enroll_with_app(phone, "payee@example.com", clock)
    await sign_in_with_app(laptop, "payee@example.com", secret, clock)
    connection = Tortoise.get_connection("default")
    await connection.execute_script("ALTER TABLE webhook_outbox RENAME TO webhook_outbox_gone")
    try:
        # when
        response = await laptop.post(doc.LOG_OUT_EVERYWHERE)
    finally:
        await connection.execute_script("ALTER TABLE webhook_outbox_gone RENAME TO webhook_outbox")

    # then: the request failed and the other session still works
    assert response.json().get("errors")
    assert (await phone.execute(doc.VIEWER))["viewer"] is not None


def services_doc_example() -> str:
    """The Python block of docs/services.md's `## Webhooks` section."""
    text = (Path(__file__).resolve().parents[2] / "docs" / "services.md").read_text("utf-8")
    section = text.split("## Webhooks", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.DOTALL)
    assert len(blocks) == 1
    return blocks[0]


async def test_the_documented_verification_accepts_a_real_delivery_and_refuses_a_forgery(
    runtime: Runtime, receiver: WebhookReceiver, make_user: MakeUser
) -> None:
    # given: the doc's code, and a real delivery of an event
    namespace: dict[str, object] = {}
    exec(compile(services_doc_example(), "docs/services.md", "exec"), namespace)
    verified_event = namespace["verified_event"]
    await endpoint_for(runtime, receiver)
    user = await make_user()
    await webhooks.queue_event(runtime, "mfa.reset", user, webhooks.OPERATOR)
    await webhook_delivery.deliver_due(runtime)
    [delivery] = receiver.received

    # when
    event = verified_event(receiver.secret, delivery.body, delivery.headers)  # type: ignore[operator]
    altered = delivery.body.replace(str(user.id).encode(), str(uuid4()).encode())

    # then
    assert (event["type"], event["data"]["user_id"]) == ("mfa.reset", str(user.id))
    with pytest.raises(WebhookVerificationError):
        verified_event(receiver.secret, altered, delivery.headers)  # type: ignore[operator]
    with pytest.raises(WebhookVerificationError):
        other_secret = "whsec_" + base64.b64encode(b"x" * 24).decode()
        verified_event(other_secret, delivery.body, delivery.headers)  # type: ignore[operator]


async def test_a_secret_sealed_under_another_key_fails_the_attempt_instead_of_sticking(
    runtime: Runtime, receiver: WebhookReceiver, make_user: MakeUser
) -> None:
    # given: a delivery queued, then the server's secret key changed
    await endpoint_for(runtime, receiver)
    await webhooks.queue_event(runtime, "mfa.reset", await make_user(), webhooks.OPERATOR)
    row = await WebhookDelivery.get()
    rotated = replace(runtime, settings=replace(runtime.settings, secret_key="r" * 40))

    # when
    outcome = await webhook_delivery.deliver(rotated, row.id)

    # then: an attempt counted, nothing sent, the reason kept for `twofold outbox`
    after = await WebhookDelivery.get(id=row.id)
    assert (outcome, after.attempts, after.claim) == (False, 1, None)
    assert after.last_error
    assert receiver.received == []
