"""The webhook sender over real HTTP: one bound on the whole call, not only on each read."""

from __future__ import annotations

import base64
import time

import pytest

from providers.webhooks import HttpWebhooks, WebhookDeliveryError
from tests.support.webhook_receiver import WebhookReceiver, receiver

__all__ = ["receiver"]  # the fixture, used by name

SECRET = "whsec_" + base64.b64encode(b"k" * 24).decode()


async def test_a_receiver_trickling_its_answer_is_cut_off_at_the_timeout(
    receiver: WebhookReceiver,
) -> None:
    # given: each byte of the answer comes well within the timeout, the whole far past it
    receiver.secret = SECRET
    receiver.hang_seconds = 10.0
    receiver.answers = ["trickle"]
    sender = HttpWebhooks(timeout=1.0)

    # when
    started = time.monotonic()
    with pytest.raises(WebhookDeliveryError):
        await sender.post(receiver.url, {"content-type": "application/json"}, b"{}")

    # then
    assert time.monotonic() - started < 3.0


async def test_a_prompt_receiver_gets_its_status_through(receiver: WebhookReceiver) -> None:
    # given
    receiver.secret = SECRET
    receiver.answers = [204]

    # when
    status = await HttpWebhooks(timeout=1.0).post(receiver.url, {}, b"{}")

    # then
    assert status == 204
