"""Twilio's status callbacks: accepted only when `X-Twilio-Signature` is Twilio's signature
(the SDK's RequestValidator, TWILIO_AUTH_TOKEN) of the URL called and the form sent, for our
account, and once per message and status; a callback for a text another route carried
changes nothing."""

from __future__ import annotations

from typing import Any

from models.sms_delivery import SmsDelivery
from tests.support.constants import PHONE
from tests.support.flows import reach_code_verification
from tests.support.graphql import GraphQLClient
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.routes import PUBLIC_URL, RoutedApp, route_count
from tests.support.twilio_standin import FROM, TwilioMessage, TwilioStandIn

EMAIL = "callback@example.com"
TWILIO_FIRST = {"sms_routes": (("default", ("twilio", "messagebird")),)}
STATUS = "{ mfaEnrollment { smsDeliveryStatus lastTextNotDelivered } }"


async def shown(client: GraphQLClient) -> tuple[str, bool]:
    enrollment = (await client.execute(STATUS))["mfaEnrollment"]
    return enrollment["smsDeliveryStatus"], enrollment["lastTextNotDelivered"]


async def test_a_signed_callback_is_recorded_once_and_forgeries_change_nothing(
    routed: RoutedApp,
    messagebird: MessageBirdStandIn,
    twilio: TwilioStandIn,
    make_user: Any,
) -> None:
    async with routed(**TWILIO_FIRST) as http:
        # given
        await make_user(EMAIL)
        client = GraphQLClient(http())
        await reach_code_verification(client, EMAIL)
        message = twilio.messages[-1]
        path, form, headers = twilio.status_callback(message, "delivered")
        _, _, forged = twilio.status_callback(message, "delivered", token="another-token")
        delivered = route_count("twilio", "delivered")

        async with http() as provider:
            # when: unsigned, signed with another token, fields changed, then the real one twice
            unsigned = await provider.post(path, data=form)
            wrong_key = await provider.post(path, data=form, headers=forged)
            changed = await provider.post(
                path, data={**form, "MessageStatus": "undelivered"}, headers=headers
            )
            other_url = await provider.post(path + "x", data=form, headers=headers)
            before = await shown(client)
            accepted = await provider.post(path, data=form, headers=headers)
            replayed = await provider.post(path, data=form, headers=headers)
            # and a `sent` callback arriving after `delivered`, as Twilio's may
            late_path, late_form, late_headers = twilio.status_callback(message, "sent")
            late = await provider.post(late_path, data=late_form, headers=late_headers)

        # then
        codes = [r.status_code for r in (unsigned, wrong_key, changed, other_url, replayed)]
        assert codes == [401, 401, 401, 401, 401]
        assert before == ("SENT", False)
        assert accepted.status_code == late.status_code == 200, accepted.text
        assert await shown(client) == ("DELIVERED", False)
        assert route_count("twilio", "delivered") == delivered + 1
        assert (await SmsDelivery.get()).provider == "twilio"


async def test_a_callback_about_a_text_messagebird_carried_is_ignored(
    routed: RoutedApp,
    messagebird: MessageBirdStandIn,
    twilio: TwilioStandIn,
    make_user: Any,
) -> None:
    async with routed() as http:
        # given: MessageBird carried the text; a Twilio-signed callback names its reference
        await make_user(EMAIL)
        client = GraphQLClient(http())
        await reach_code_verification(client, EMAIL)
        delivery = await SmsDelivery.get()
        callback = f"{PUBLIC_URL}/webhooks/twilio/status?reference={delivery.id}"
        never_sent = TwilioMessage("SM" + "1" * 32, PHONE, FROM, "", callback)
        path, form, headers = twilio.status_callback(never_sent, "undelivered")

        # when
        async with http() as provider:
            answer = await provider.post(path, data=form, headers=headers)

        # then: accepted (it is Twilio's) but not recorded on MessageBird's text
        assert answer.status_code == 200
        assert await shown(client) == ("SENT", False)
