"""Failover between SMS routes: MessageBird failing, timing out or reporting a text undelivered
ends with the code delivered by Twilio (both stand-ins in their real REST contracts); one text
takes one quota slot whichever route carries it; nothing is sent twice when MessageBird
recovers."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from domain.settings import Settings
from models.sms_delivery import SmsDelivery
from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.constants import PHONE
from tests.support.flows import at_phone_entry, reach_code_verification
from tests.support.graphql import GraphQLClient
from tests.support.messagebird_standin import MessageBirdStandIn, ReceivedMessage
from tests.support.routes import PUBLIC_URL, SIGNING_KEY, RoutedApp, route_count
from tests.support.twilio_standin import TwilioStandIn

EMAIL = "failover@example.com"
PHONE_INPUT = {"input": {"countryCode": "+1", "phoneNumber": "201 555 0123"}}
STATUS = """{ mfaEnrollment { step smsDeliveryStatus lastTextNotDelivered resendAvailableAt } }"""


async def verified_with(client: GraphQLClient, code: str) -> str:
    answer = await client.execute(doc.VERIFY_SMS_CODE, {"input": {"code": code}})
    return str(answer["verifySmsCode"]["__typename"])


async def carriers() -> list[str | None]:
    return [d.provider for d in await SmsDelivery.all().order_by("created_at")]


async def test_a_refused_text_goes_out_at_once_through_twilio(
    routed: RoutedApp,
    messagebird: MessageBirdStandIn,
    twilio: TwilioStandIn,
    make_user: Any,
) -> None:
    async with routed() as http:
        # given
        await make_user(EMAIL)
        messagebird.mode = "500"
        failed, failed_over = (
            route_count("messagebird", "failed"),
            route_count("twilio", "failed_over"),
        )
        client = GraphQLClient(http())

        # when
        await reach_code_verification(client, EMAIL)

        # then: one attempt at MessageBird, the code through Twilio, and it signs the user in
        assert (messagebird.requests, len(messagebird.messages), len(twilio.messages)) == (1, 0, 1)
        assert twilio.messages[0].to == PHONE
        assert await carriers() == ["twilio"]
        assert route_count("messagebird", "failed") == failed + 1
        assert route_count("twilio", "failed_over") == failed_over + 1
        assert await verified_with(client, twilio.last_code(PHONE)) == "RecoveryCodeIssued"


async def test_a_silent_messagebird_fails_over_within_the_route_timeout(
    routed: RoutedApp,
    messagebird: MessageBirdStandIn,
    twilio: TwilioStandIn,
    make_user: Any,
) -> None:
    # given: MessageBird's own timeout is long; the route's is 1.5 s
    overrides = {"network_timeout_seconds": 10.0, "sms_provider_timeout_seconds": 1.5}
    async with routed(**overrides) as http:
        await make_user(EMAIL)
        messagebird.mode, messagebird.hang_seconds = "hang", 4.0
        client = await at_phone_entry(http(), EMAIL)

        # when
        started = time.perf_counter()
        sent = await client.execute(doc.SEND_SMS_CODE, PHONE_INPUT)
        elapsed = time.perf_counter() - started

        # then
        print(f"sendSmsCode with a silent MessageBird (route timeout 1.5 s): {elapsed:.2f} s")
        assert sent["sendSmsCode"]["__typename"] == "SmsCodeSent", sent
        assert 1.5 <= elapsed < 3.0
        assert (messagebird.requests, len(twilio.messages)) == (1, 1)
        assert await carriers() == ["twilio"]
        assert await verified_with(client, twilio.last_code(PHONE)) == "RecoveryCodeIssued"


async def test_an_undelivered_report_lets_the_resend_go_through_twilio_at_once(
    routed: RoutedApp,
    clock: ManualClock,
    messagebird: MessageBirdStandIn,
    twilio: TwilioStandIn,
    make_user: Any,
) -> None:
    async with routed() as http:
        # given: MessageBird took the text, then reports it was not delivered
        await make_user(EMAIL)
        client = GraphQLClient(http())
        await reach_code_verification(client, EMAIL)
        before = (await client.execute(STATUS))["mfaEnrollment"]
        path, headers = messagebird.delivery_report(
            messagebird.messages[-1], "delivery_failed", SIGNING_KEY
        )
        async with http() as provider:
            assert (await provider.get(path, headers=headers)).status_code == 200
        shown = (await client.execute(STATUS))["mfaEnrollment"]

        # when: the user asks again at once, the clock unmoved
        resent = (await client.execute(doc.RESEND_SMS_CODE))["resendSmsCode"]

        # then
        assert before["resendAvailableAt"] is not None and before["lastTextNotDelivered"] is False
        assert shown["lastTextNotDelivered"] is True and shown["resendAvailableAt"] is None
        assert shown["smsDeliveryStatus"] == "DELIVERY_FAILED"
        assert resent["__typename"] == "SmsCodeSent", resent
        assert (len(messagebird.messages), len(twilio.messages)) == (1, 1)
        assert await carriers() == ["messagebird", "twilio"]
        assert await verified_with(client, twilio.last_code(PHONE)) == "RecoveryCodeIssued"


async def test_an_undelivered_twilio_report_sends_the_resend_through_messagebird(
    routed: RoutedApp,
    messagebird: MessageBirdStandIn,
    twilio: TwilioStandIn,
    make_user: Any,
) -> None:
    routes = {"sms_routes": (("US", ("twilio", "messagebird")),)}
    async with routed(**routes) as http:
        # given: Twilio first for US numbers, its signed callback says undelivered
        await make_user(EMAIL)
        client = GraphQLClient(http())
        await reach_code_verification(client, EMAIL)
        path, form, headers = twilio.status_callback(twilio.messages[-1], "undelivered")
        async with http() as provider:
            assert (await provider.post(path, data=form, headers=headers)).status_code == 200

        # when
        resent = (await client.execute(doc.RESEND_SMS_CODE))["resendSmsCode"]

        # then
        assert resent["__typename"] == "SmsCodeSent", resent
        assert (len(twilio.messages), len(messagebird.messages)) == (1, 1)
        assert await verified_with(client, messagebird.last_code(PHONE)) == "RecoveryCodeIssued"


async def test_nothing_is_sent_twice_when_messagebird_recovers(
    routed: RoutedApp,
    settings: Settings,
    clock: ManualClock,
    messagebird: MessageBirdStandIn,
    twilio: TwilioStandIn,
    make_user: Any,
) -> None:
    async with routed() as http:
        # given: the first text failed over to Twilio
        await make_user(EMAIL)
        client = GraphQLClient(http())
        messagebird.mode = "500"
        await reach_code_verification(client, EMAIL)
        first = twilio.last_code(PHONE)

        # when: MessageBird is back and reports, late, on the text it never took
        messagebird.mode = "ok"
        carried = await SmsDelivery.get(provider="twilio")
        late = ReceivedMessage(
            "Twofold", [PHONE.lstrip("+")], "", "", str(carried.id),
            f"{PUBLIC_URL}/webhooks/messagebird/status",
        )  # fmt: skip
        path, headers = messagebird.delivery_report(late, "delivery_failed", SIGNING_KEY)
        async with http() as provider:
            assert (await provider.get(path, headers=headers)).status_code == 200
        early = (await client.execute(doc.RESEND_SMS_CODE))["resendSmsCode"]
        clock.advance(cooldown(settings))
        resent = (await client.execute(doc.RESEND_SMS_CODE))["resendSmsCode"]

        # then: the report of a route that did not carry the text changes nothing; each text
        # went through one provider, the second back on MessageBird
        assert (await SmsDelivery.get(id=carried.id)).status == "sent"
        assert early["__typename"] == "ResendNotAvailableError", early
        assert resent["__typename"] == "SmsCodeSent", resent
        assert (len(twilio.messages), len(messagebird.messages)) == (1, 1)
        assert messagebird.requests == 2  # the failed attempt and the recovered one
        second = messagebird.last_code(PHONE)
        assert first != second
        assert await carriers() == ["twilio", "messagebird"]
        assert await verified_with(client, first) == "InvalidCodeError"
        assert await verified_with(client, second) == "RecoveryCodeIssued"


async def test_failover_takes_one_quota_slot_per_text(
    routed: RoutedApp,
    settings: Settings,
    clock: ManualClock,
    messagebird: MessageBirdStandIn,
    twilio: TwilioStandIn,
    make_user: Any,
) -> None:
    limits = {"sms_per_number_per_hour": 2}
    async with routed(**limits) as http:
        # given: every text fails over, two texts allowed per number and hour
        await make_user(EMAIL)
        client = GraphQLClient(http())
        messagebird.mode = "500"
        await reach_code_verification(client, EMAIL)
        clock.advance(cooldown(settings))

        # when
        second = (await client.execute(doc.RESEND_SMS_CODE))["resendSmsCode"]
        clock.advance(cooldown(settings) * 2)
        third = (await client.execute(doc.RESEND_SMS_CODE))["resendSmsCode"]

        # then: two texts went out (each tried on both providers), the third is refused
        assert second["__typename"] == "SmsCodeSent", second
        assert third["__typename"] == "RateLimitedError", third
        assert (messagebird.requests, len(twilio.messages)) == (2, 2)


def cooldown(settings: Settings) -> timedelta:
    return timedelta(seconds=settings.sms_resend_cooldown_seconds + 1)


async def test_with_every_route_silent_the_request_answers_within_its_budget(
    routed: RoutedApp,
    messagebird: MessageBirdStandIn,
    twilio: TwilioStandIn,
    make_user: Any,
) -> None:
    # given: both providers silent; each route gets 1 s, the request 1.5 s in all
    overrides = {
        "network_timeout_seconds": 10.0,
        "sms_provider_timeout_seconds": 1.0,
        "sms_send_budget_seconds": 1.5,
    }
    async with routed(**overrides) as http:
        await make_user(EMAIL)
        client = await at_phone_entry(http(), EMAIL)
        messagebird.mode, messagebird.hang_seconds = "hang", 3.0
        twilio.mode, twilio.hang_seconds = "hang", 3.0

        # when
        started = time.perf_counter()
        failed = (await client.execute(doc.SEND_SMS_CODE, PHONE_INPUT))["sendSmsCode"]
        elapsed = time.perf_counter() - started
        messagebird.mode, twilio.mode = "ok", "ok"
        again = (await client.execute(doc.SEND_SMS_CODE, PHONE_INPUT))["sendSmsCode"]

        # then: a typed failure in time, the flow as it was (no cooldown), no delivery kept
        assert failed["code"] == "SMS_DELIVERY_FAILED", failed
        assert 1.5 <= elapsed < 2.5
        assert (messagebird.requests, twilio.requests) == (2, 1)  # both tried once, then MB
        assert again["__typename"] == "SmsCodeSent", again
        assert await carriers() == ["messagebird"]
