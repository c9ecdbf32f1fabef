"""The reference app when MessageBird reports the text undelivered, in Chromium against a real
`twofold serve` with both SMS providers on their stand-ins: the code screen says the last text
was not delivered, the resend is offered at once, and its code comes through Twilio."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from playwright.async_api import expect

from tests.support.mailbox import Mailbox
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.routes import PUBLIC_URL, SIGNING_KEY
from tests.support.twilio_standin import ACCOUNT_SID, AUTH_TOKEN, FROM, TwilioStandIn
from tests.support.web_app import Served, Web, chromium, serving, sign_in, web

pytestmark = [pytest.mark.browser, pytest.mark.server]
__all__ = ["chromium", "web"]


@pytest.fixture(scope="module")
def served(
    database_url: str,
    messagebird: MessageBirdStandIn,
    twilio: TwilioStandIn,
    mailbox: Mailbox,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Served]:
    twilio.reset()
    with serving(
        database_url,
        messagebird,
        mailbox,
        tmp_path_factory.mktemp("web-failover"),
        PUBLIC_URL=PUBLIC_URL,
        MESSAGEBIRD_SIGNING_KEY=SIGNING_KEY,
        TWILIO_ACCOUNT_SID=ACCOUNT_SID,
        TWILIO_AUTH_TOKEN=AUTH_TOKEN,
        TWILIO_FROM=FROM,
        TWILIO_ENDPOINT=twilio.endpoint,
        SMS_RESEND_COOLDOWN_SECONDS="300",
    ) as s:
        yield s


async def test_an_undelivered_text_is_said_and_the_resend_comes_through_twilio(
    web: Web, served: Served, twilio: TwilioStandIn
) -> None:
    email, phone = "web.failover@example.com", "+12015550151"
    served.create_user(email, "payee")
    page = web.page

    # given: at the code screen, the resend minutes away
    await web.open()
    await sign_in(web, email)
    await web.click("Set Up Now")
    await page.get_by_role("radio", name="SMS Verification").check()
    await web.click("Continue")
    await web.fill("Enter Your Phone Number", phone[2:])
    await web.click("Send Text Message")
    await web.at("Enter the 6-Digit Verification Code")
    await expect(web.button("Resend New Code")).to_be_disabled()

    # when: MessageBird's signed report says the text was not delivered
    text = served.messagebird.messages[-1]
    path, headers = served.messagebird.delivery_report(text, "delivery_failed", SIGNING_KEY)
    async with httpx.AsyncClient(base_url=served.base) as provider:
        assert (await provider.get(path, headers=headers)).status_code == 200
    await web.reload()

    # then: the screen says so and offers the resend at once
    await web.at("Enter the 6-Digit Verification Code")
    await expect(page.get_by_text("Your last text was not delivered.")).to_be_visible()
    await expect(web.button("Resend New Code")).to_be_enabled()
    await web.look("code-entry-not-delivered")

    # when: resent, the code comes through Twilio and signs the user in
    await web.click("Resend New Code")
    await expect(page.get_by_text("We sent a new code")).to_be_visible()
    assert [m.to for m in twilio.messages] == [phone]
    await web.fill("6-digit verification code", twilio.last_code(phone))
    await web.click("Continue")
    await web.at("Save Your Recovery Code")
