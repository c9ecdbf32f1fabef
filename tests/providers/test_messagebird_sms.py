"""The real MessageBird SDK against the local stand-in that speaks its REST contract."""

from __future__ import annotations

import asyncio
import time

import pytest

from providers.messagebird_sms import MessageBirdSms
from providers.sms import SmsDeliveryError
from tests.support.messagebird_standin import ACCESS_KEY, MessageBirdStandIn


@pytest.fixture
def standin(messagebird: MessageBirdStandIn) -> MessageBirdStandIn:
    messagebird.reset()
    return messagebird


def make_sender(standin: MessageBirdStandIn, key: str = ACCESS_KEY) -> MessageBirdSms:
    return MessageBirdSms(
        access_key=key, originator="Twofold", endpoint=standin.endpoint, timeout=0.5
    )


async def test_message_reaches_the_api_with_access_key_originator_and_recipient(
    standin: MessageBirdStandIn,
) -> None:
    # given
    sender = make_sender(standin)
    # when
    await sender.send("+12015550123", "Your verification code is 123456.")
    # then
    assert len(standin.messages) == 1
    message = standin.messages[0]
    assert message.authorization == f"AccessKey {ACCESS_KEY}"
    assert message.originator == "Twofold"
    assert message.recipients == ["12015550123"]
    assert "123456" in message.body
    sender.close()


@pytest.mark.parametrize("mode", ["401", "422", "500"])
async def test_refusals_raise_delivery_error(standin: MessageBirdStandIn, mode: str) -> None:
    # given
    standin.mode = mode
    sender = make_sender(standin)
    # when / then
    with pytest.raises(SmsDeliveryError):
        await sender.send("+12015550123", "code 123456")
    assert standin.messages == []
    sender.close()


async def test_wrong_access_key_is_a_delivery_error(standin: MessageBirdStandIn) -> None:
    sender = make_sender(standin, key="wrong")
    with pytest.raises(SmsDeliveryError):
        await sender.send("+12015550123", "code 123456")
    sender.close()


async def test_a_provider_that_never_answers_times_out_without_blocking_the_loop(
    standin: MessageBirdStandIn,
) -> None:
    # given: the stand-in holds the request far longer than the 0.5 s read timeout
    standin.mode = "hang"
    sender = make_sender(standin)
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    task = asyncio.create_task(ticker())
    started = time.monotonic()
    # when
    with pytest.raises(SmsDeliveryError):
        await sender.send("+12015550123", "code 123456")
    elapsed = time.monotonic() - started
    task.cancel()
    # then: it gave up at the timeout, and the event loop kept running meanwhile
    assert elapsed < 2.5
    assert ticks >= 10
    sender.close()
