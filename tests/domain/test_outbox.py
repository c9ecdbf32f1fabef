"""The email outbox: notifications made while the mail server is down are delivered once it is
back, after a restart too, exactly once each; parallel senders never send one twice; failures
back off with jitter and are listed by `twofold outbox`."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from starlette.applications import Starlette

from domain import outbox
from domain.notifications import announce, factor_change_message
from domain.runtime import RequestMeta, Runtime
from domain.settings import Settings
from graph.http.app import create_app
from graph.startup.wiring import build_providers
from models.outbox import OutboxMessage, OutboxStatus
from providers.clock import ManualClock
from providers.email import EmailMessage
from providers.registry import Providers
from tests.support.mailbox import Mailbox
from tests.support.served import run_twofold
from tests.support.users import MakeUser

CALLER = RequestMeta("203.0.113.9", "outbox-test")


@pytest.fixture
def own_mailbox() -> Iterator[Mailbox]:
    """An SMTP server of this test's own, free to stop and start (on the same port)."""
    box = Mailbox()
    box.start()
    yield box
    box.stop()


def restart(box: Mailbox) -> None:
    """Start a stopped mailbox again on its port."""
    from aiosmtpd.controller import Controller

    box._controller = Controller(box, hostname="127.0.0.1", port=box.port)
    box._controller.start()


def runtime_for(
    settings: Settings, box: Mailbox, clock: ManualClock
) -> tuple[Settings, Providers, Runtime]:
    own = replace(settings, smtp_port=box.port, outbox_poll_seconds=0.05)
    providers = replace(build_providers(own), clock=clock)
    return own, providers, Runtime(own, providers, CALLER)


async def wait_for(predicate, seconds: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    deadline = asyncio.get_running_loop().time() + seconds
    while not predicate():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def test_five_emails_made_while_smtp_is_down_arrive_once_each_after_a_restart(
    app: Starlette,
    settings: Settings,
    clock: ManualClock,
    own_mailbox: Mailbox,
    make_user: MakeUser,
) -> None:
    # given: the mail server is down while five account changes are announced
    own, providers, runtime = runtime_for(settings, own_mailbox, clock)
    users = [await make_user(f"outbox{i}@example.com") for i in range(5)]
    own_mailbox.stop()
    try:
        delivered = [
            await announce(
                runtime, "factor_removed", u, factor_change_message(u, clock.now(), "SMS")
            )
            for u in users
        ]
    finally:
        providers.close()
    assert delivered == [False] * 5
    waiting = await OutboxMessage.filter(status=OutboxStatus.PENDING).order_by("recipient")
    assert [(m.recipient, m.attempts) for m in waiting] == [(u.email, 1) for u in users]
    assert all(m.last_error for m in waiting)
    assert all(m.next_attempt_at > clock.now() for m in waiting)  # backing off

    # when: the mail server is back, a fresh process starts (its sender in the lifespan), and
    # the retry time comes
    restart(own_mailbox)
    clock.advance(timedelta(hours=1))
    restarted_providers = replace(build_providers(own), clock=clock)
    restarted = create_app(own, restarted_providers, migrate=False)
    async with restarted.router.lifespan_context(restarted):
        await wait_for(lambda: len(own_mailbox.messages) >= 5)
        await asyncio.sleep(0.3)  # a few more sender passes: nothing is sent twice

        # then: exactly five emails, one to each account, and the outbox is empty
        assert sorted(m["To"] for m in own_mailbox.messages) == sorted(u.email for u in users)
        assert await OutboxMessage.filter(status=OutboxStatus.SENT).count() == 5
        assert await outbox.depth() == 0
    restarted_providers.close()


async def test_parallel_senders_never_send_one_message_twice(
    app: Starlette, settings: Settings, clock: ManualClock, own_mailbox: Mailbox
) -> None:
    # given: twenty due messages
    _, providers, runtime = runtime_for(settings, own_mailbox, clock)
    for i in range(20):
        await outbox.enqueue(runtime, "test", EmailMessage(f"p{i}@example.com", f"n{i}", "body"))

    # when: four senders work at once
    try:
        passes = await asyncio.gather(*(outbox.deliver_due(runtime) for _ in range(4)))
    finally:
        providers.close()

    # then
    assert sum(p.sent for p in passes) == 20
    assert sorted(m["Subject"] for m in own_mailbox.messages) == sorted(f"n{i}" for i in range(20))


def test_retries_back_off_exponentially_with_jitter_up_to_an_hour() -> None:
    assert outbox.retry_delay(1, 0.0) == timedelta(seconds=15)
    assert outbox.retry_delay(1, 0.999999) < timedelta(seconds=30)
    assert outbox.retry_delay(3, 0.0) == timedelta(seconds=60)
    assert outbox.retry_delay(30, 0.0) == timedelta(minutes=30)
    assert outbox.retry_delay(30, 0.999999) < timedelta(hours=1)


async def test_the_outbox_command_lists_a_failed_email_and_retries_it(
    app: Starlette,
    settings: Settings,
    clock: ManualClock,
    own_mailbox: Mailbox,
    tmp_path: Path,
) -> None:
    # given: an email whose only attempt failed
    own, providers, runtime = runtime_for(settings, own_mailbox, clock)
    own_mailbox.stop()
    try:
        queued = await outbox.enqueue(
            runtime, "mfa_reset", EmailMessage("cli@example.com", "s", "b")
        )
        assert await outbox.deliver(runtime, queued.id) is False
    finally:
        providers.close()
    env = {
        "DATABASE_URL": own.database_url,
        "TWOFOLD_SECRET_KEY": own.secret_key,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(own_mailbox.port),
        "SMTP_STARTTLS": "false",
        "PATH": "/usr/bin:/bin",
    }

    # when: the operator lists the outbox, then retries the message once the server is back
    listed = run_twofold(env, tmp_path, "outbox")
    restart(own_mailbox)
    retried = run_twofold(env, tmp_path, "outbox", "--retry", str(queued.id))
    after = run_twofold(env, tmp_path, "outbox")

    # then
    assert listed.returncode == 0, listed.stderr
    assert str(queued.id) in listed.stdout and "pending attempts=1" in listed.stdout
    assert "last_error=" in listed.stdout
    assert (retried.returncode, retried.stdout.strip()) == (0, f"message {queued.id} sent")
    assert [m["To"] for m in own_mailbox.messages] == ["cli@example.com"]
    assert after.stdout.strip() == "outbox is empty: every email was delivered"
