"""Per-number limits a stranger cannot spend for the number's owner.

Texts to a number the requester has not verified (enrollment, a phone change) share one
bucket per number, so many accounts cannot bomb it. Sign-in and step-up codes go to the
requester's own verified number and count in a bucket of that owner's: strangers who use up
the shared bucket cannot silence the owner's codes, and the owner still gets no more than the
hourly limit.
"""

from __future__ import annotations

from contextlib import AsyncExitStack
from datetime import timedelta
from typing import Any

from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.clients import HttpFactory
from tests.support.constants import PHONE
from tests.support.flows import at_phone_entry, enroll_with_app, enroll_with_sms, log_in
from tests.support.graphql import GraphQLClient
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.users import MakeUser

VICTIM = "victim@example.com"
VICTIM_NUMBER = {"countryCode": "+1", "phoneNumber": "201 555 0123"}
UNVERIFIED_PHONE = "+12015550167"
UNVERIFIED_NUMBER = {"countryCode": "+1", "phoneNumber": "201 555 0167"}


async def enrollment_texts_until_refused(
    client: GraphQLClient, number: dict[str, str], clock: ManualClock
) -> list[dict[str, Any]]:
    """Send an enrollment code to `number`, then resend as each cooldown ends, until refused."""
    answers = [(await client.execute(doc.SEND_SMS_CODE, {"input": number}))["sendSmsCode"]]
    while answers[-1]["__typename"] == "SmsCodeSent" and len(answers) < 10:
        resent = (await client.execute(doc.RESEND_SMS_CODE))["resendSmsCode"]
        if resent["__typename"] == "ResendNotAvailableError":
            clock.advance(timedelta(seconds=resent["retryAfterSeconds"]))
            resent = (await client.execute(doc.RESEND_SMS_CODE))["resendSmsCode"]
        answers.append(resent)
    return answers


async def stranger_spends_the_shared_bucket(
    new_http: HttpFactory, make_user: MakeUser, clock: ManualClock
) -> list[dict[str, Any]]:
    """Another account texts enrollment codes to the victim's number until refused."""
    await make_user("stranger@example.com")
    async with new_http() as http:
        stranger = await at_phone_entry(http, "stranger@example.com")
        return await enrollment_texts_until_refused(stranger, VICTIM_NUMBER, clock)


async def sign_in_code(new_http: HttpFactory) -> dict[str, Any]:
    """A fresh sign-in of the victim that asks for a texted code."""
    async with new_http() as http:
        device = GraphQLClient(http)
        assert (await log_in(device, VICTIM))["__typename"] == "MfaChallengeRequired"
        return dict((await device.execute(doc.SEND_LOGIN_CODE))["sendLoginCode"])


async def test_a_stranger_who_used_up_the_shared_bucket_cannot_silence_the_owners_codes(
    browser: GraphQLClient,
    new_http: HttpFactory,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given: the victim enrolled the number (one text of the shared bucket), and a stranger's
    # account texts enrollment codes to it until the shared bucket refuses
    await make_user(VICTIM)
    await enroll_with_sms(browser, messagebird, VICTIM)
    await browser.execute(doc.LOG_OUT)
    stranger = await stranger_spends_the_shared_bucket(new_http, make_user, clock)
    assert [a["__typename"] for a in stranger] == ["SmsCodeSent"] * 4 + ["RateLimitedError"]
    assert stranger[-1]["code"] == "RATE_LIMITED"
    texts_before = len(messagebird.codes_for(PHONE))

    # when: the victim signs in and asks for a code
    assert (await log_in(browser, VICTIM))["__typename"] == "MfaChallengeRequired"
    sent = (await browser.execute(doc.SEND_LOGIN_CODE))["sendLoginCode"]

    # then: the code is texted and signs the victim in, and step-up codes go out too
    assert sent["__typename"] == "SmsCodeSent", sent
    assert len(messagebird.codes_for(PHONE)) == texts_before + 1
    code = messagebird.last_code(PHONE)
    signed_in = await browser.execute(doc.VERIFY_LOGIN_CODE, {"input": {"code": code}})
    assert signed_in["verifyLoginCode"]["__typename"] == "LoggedIn", signed_in
    step_up = (await browser.execute(doc.SEND_REAUTHENTICATION_CODE))["sendReauthenticationCode"]
    assert step_up["__typename"] == "SmsCodeSent", step_up
    assert len(messagebird.codes_for(PHONE)) == texts_before + 2


async def test_the_owners_own_bucket_holds_at_the_hourly_limit(
    browser: GraphQLClient,
    new_http: HttpFactory,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given: the victim's number has no shared texts left
    await make_user(VICTIM)
    await enroll_with_sms(browser, messagebird, VICTIM)
    await browser.execute(doc.LOG_OUT)
    stranger = await stranger_spends_the_shared_bucket(new_http, make_user, clock)
    assert stranger[-1]["__typename"] == "RateLimitedError"
    texts_before = len(messagebird.codes_for(PHONE))

    # when: six sign-ins within the hour each ask for a code
    answers = [await sign_in_code(new_http) for _ in range(6)]

    # then: the owner gets the full limit of their own, and no more
    assert [a["__typename"] for a in answers] == ["SmsCodeSent"] * 5 + ["RateLimitedError"]
    assert answers[5]["code"] == "RATE_LIMITED"
    assert 0 < answers[5]["retryAfterSeconds"] <= 3600
    assert len(messagebird.codes_for(PHONE)) == texts_before + 5


async def test_many_accounts_texting_one_unverified_number_stop_at_the_limit(
    new_http: HttpFactory,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    async with AsyncExitStack() as clients:
        # given: four accounts at the phone-number screen, and a signed-in account with the app
        strangers = []
        for n in range(4):
            await make_user(f"stranger{n}@example.com")
            http = await clients.enter_async_context(new_http())
            strangers.append(await at_phone_entry(http, f"stranger{n}@example.com"))
        await make_user("changer@example.com")
        changer = GraphQLClient(await clients.enter_async_context(new_http()))
        await enroll_with_app(changer, "changer@example.com", clock)

        # when: each enrolling account texts the number once, then the signed-in one asks
        # to change its phone to it, and again once the resend cooldown is over
        enrolling = [
            (await s.execute(doc.SEND_SMS_CODE, {"input": UNVERIFIED_NUMBER}))["sendSmsCode"]
            for s in strangers
        ]
        changes = []
        for _ in range(2):
            started = await changer.execute(
                doc.START_PHONE_NUMBER_CHANGE, {"input": UNVERIFIED_NUMBER}
            )
            changes.append(started["startPhoneNumberChange"])
            clock.advance(timedelta(minutes=1))

    # then: five texts went to the number, whoever asked, and no more
    assert [a["__typename"] for a in enrolling] == ["SmsCodeSent"] * 4
    assert [a["__typename"] for a in changes] == ["SmsCodeSent", "RateLimitedError"]
    assert changes[1]["code"] == "RATE_LIMITED"
    assert len(messagebird.codes_for(UNVERIFIED_PHONE)) == 5
