"""The real Twilio SDK against the local stand-in that speaks Twilio's REST contract."""

from __future__ import annotations

import time

import pytest

from providers.sms import SmsDeliveryError
from providers.twilio_sms import TwilioSms
from tests.support.twilio_standin import ACCOUNT_SID, AUTH_TOKEN, FROM, TwilioStandIn

STATUS_URL = "https://twofold.example/webhooks/twilio/status"


@pytest.fixture
def standin(twilio: TwilioStandIn) -> TwilioStandIn:
    twilio.reset()
    return twilio


def make_sender(standin: TwilioStandIn, token: str = AUTH_TOKEN) -> TwilioSms:
    return TwilioSms(
        account_sid=ACCOUNT_SID,
        auth_token=token,
        sender=FROM,
        endpoint=standin.endpoint,
        timeout=0.5,
        status_url=STATUS_URL,
    )


async def test_a_message_reaches_the_api_with_its_number_sender_and_status_callback(
    standin: TwilioStandIn,
) -> None:
    # given
    sender = make_sender(standin)
    # when
    await sender.send("+12015550123", "Your verification code is 123456.", "ref-1")
    await sender.send("+12015550123", "Your verification code is 654321.")
    # then
    first, second = standin.messages
    assert (first.to, first.sender) == ("+12015550123", FROM)
    assert first.sid.startswith("SM") and "123456" in first.body
    assert first.status_callback == f"{STATUS_URL}?reference=ref-1"
    assert second.status_callback is None
    assert standin.last_code("+12015550123") == "654321"
    sender.close()


async def test_the_sdk_keeps_no_copy_of_the_text_it_sent(standin: TwilioStandIn) -> None:
    # given
    sender = make_sender(standin)
    # when
    await sender.send("+12015550123", "Your verification code is 123456.", "ref-1")
    # then: TwilioHttpClient's own record of its last request (the body, the code) is gone
    http = sender._http
    assert http._test_only_last_request is None
    assert http._test_only_last_response is None
    sender.close()


@pytest.mark.parametrize("mode", ["400", "401", "500"])
async def test_refusals_raise_delivery_error(standin: TwilioStandIn, mode: str) -> None:
    standin.mode = mode
    sender = make_sender(standin)
    with pytest.raises(SmsDeliveryError):
        await sender.send("+12015550123", "code 123456")
    assert standin.messages == []
    sender.close()


async def test_a_wrong_auth_token_is_a_delivery_error(standin: TwilioStandIn) -> None:
    sender = make_sender(standin, token="wrong-token")
    with pytest.raises(SmsDeliveryError):
        await sender.send("+12015550123", "code 123456")
    assert standin.requests == 1 and standin.messages == []
    sender.close()


async def test_a_silent_api_times_out_as_a_delivery_error(standin: TwilioStandIn) -> None:
    standin.mode, standin.hang_seconds = "hang", 2.0
    sender = make_sender(standin)
    started = time.perf_counter()
    with pytest.raises(SmsDeliveryError):
        await sender.send("+12015550123", "code 123456")
    assert time.perf_counter() - started < 1.5
    sender.close()
