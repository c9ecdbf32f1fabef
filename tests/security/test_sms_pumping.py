"""SMS pumping: an attacker who makes Twofold text premium or foreign numbers, or text one
number over and over. Refusals happen before the provider is called, and the quota holds
under parallel requests and forged `X-Forwarded-For` headers."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from domain.settings import Settings
from models.audit_event import AuditEvent
from models.send_slot import SendSlot
from providers.clock import ManualClock
from providers.registry import Providers
from tests.support import documents as doc
from tests.support.apps import running_app
from tests.support.clients import PEER, HttpFactory
from tests.support.flows import at_phone_entry, reach_code_verification
from tests.support.graphql import GraphQLClient
from tests.support.mailbox import Mailbox
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.users import MakeUser

EMAIL = "pumped.payee@example.com"
US_NUMBER = {"countryCode": "+1", "phoneNumber": "201 555 0123"}


def us_number(n: int) -> dict[str, str]:
    """A different valid US mobile number for each n below 100."""
    return {"countryCode": "+1", "phoneNumber": f"201 555 01{n:02d}"}


def typename(data: dict[str, Any], field: str) -> str:
    return str(data[field]["__typename"])


async def many_at_phone_entry(
    new_http: HttpFactory, make_user: MakeUser, count: int, headers: Callable[[int], dict]
) -> list[GraphQLClient]:
    """`count` new accounts at the phone-number screen, each client with its own headers."""
    emails = [f"pump{n}@example.com" for n in range(count)]
    for email in emails:
        await make_user(email)
    clients = []
    for n in range(count):
        http = new_http()
        http.headers.update(headers(n))
        clients.append(http)
    return list(
        await asyncio.gather(*(at_phone_entry(h, e) for h, e in zip(clients, emails, strict=True)))
    )


async def send_to(client: GraphQLClient, number: dict[str, str]) -> dict[str, Any]:
    return (await client.execute(doc.SEND_SMS_CODE, {"input": number}))["sendSmsCode"]


async def text_five_times(
    client: GraphQLClient, number: dict[str, str], clock: ManualClock
) -> None:
    """Five texts to one number (its hourly most): the first, then a resend as each
    cooldown ends."""
    assert (await send_to(client, number))["__typename"] == "SmsCodeSent"
    for _ in range(4):
        refused = (await client.execute(doc.RESEND_SMS_CODE))["resendSmsCode"]
        clock.advance(timedelta(seconds=refused["retryAfterSeconds"]))
        resent = (await client.execute(doc.RESEND_SMS_CODE))["resendSmsCode"]
        assert resent["__typename"] == "SmsCodeSent", resent


@pytest.mark.parametrize(
    "number",
    [
        {"countryCode": "+44", "phoneNumber": "7400 123456"},
        {"countryCode": "+1", "phoneNumber": "416 555 0199"},
        {"countryCode": "+1", "phoneNumber": "+44 7400 123456"},
    ],
    ids=["GB", "CA", "GB-typed-after-US-prefix"],
)
async def test_off_list_number_is_refused_before_any_provider_call(
    number: dict[str, str],
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
) -> None:
    # given
    await make_user(EMAIL)
    await at_phone_entry(browser.http, EMAIL)

    # when
    sent = await send_to(browser, number)

    # then
    assert sent["__typename"] == "UnsupportedCountryError"
    assert sent["code"] == "UNSUPPORTED_COUNTRY"
    assert messagebird.requests == 0
    assert await SendSlot.exclude(key__startswith="login-failure-ip:").count() == 0
    assert (await browser.execute(doc.ENROLLMENT_STEP))["mfaEnrollment"][
        "step"
    ] == "PHONE_NUMBER_ENTRY"


async def test_sixth_text_to_one_number_within_an_hour_is_refused(
    new_http: HttpFactory,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given: six accounts, all asking for texts to the same number
    clients = await many_at_phone_entry(new_http, make_user, 6, lambda _: {})

    # when
    answers = [await send_to(c, US_NUMBER) for c in clients]

    # then
    assert [a["__typename"] for a in answers] == ["SmsCodeSent"] * 5 + ["RateLimitedError"]
    assert answers[5]["code"] == "RATE_LIMITED"
    retry_after = answers[5]["retryAfterSeconds"]
    assert 0 < retry_after <= 3600
    assert messagebird.requests == 5
    # the refusal cost the sixth account nothing: another number goes out at once
    assert (await send_to(clients[5], us_number(77)))["__typename"] == "SmsCodeSent"
    # and once the hour has passed, the number can be texted again
    clock.advance(timedelta(seconds=retry_after))
    async with new_http() as http:
        await make_user("after.the.hour@example.com")
        late = await at_phone_entry(http, "after.the.hour@example.com")
        assert (await send_to(late, US_NUMBER))["__typename"] == "SmsCodeSent"
    assert messagebird.requests == 7


async def test_parallel_texts_to_one_number_stop_at_five(
    new_http: HttpFactory, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    clients = await many_at_phone_entry(new_http, make_user, 7, lambda _: {})

    # when
    answers = await asyncio.gather(*(send_to(c, US_NUMBER) for c in clients))

    # then
    assert Counter(a["__typename"] for a in answers) == {"SmsCodeSent": 5, "RateLimitedError": 2}
    assert messagebird.requests == 5


async def test_resend_inside_the_cooldown_never_calls_the_provider(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn, clock: ManualClock
) -> None:
    # given
    await make_user(EMAIL)
    await reach_code_verification(browser, EMAIL)

    # when
    at_once = (await browser.execute(doc.RESEND_SMS_CODE))["resendSmsCode"]
    clock.advance(timedelta(seconds=29))
    almost = (await browser.execute(doc.RESEND_SMS_CODE))["resendSmsCode"]

    # then
    assert at_once["__typename"] == "ResendNotAvailableError"
    assert at_once["code"] == "RESEND_NOT_AVAILABLE"
    assert at_once["retryAfterSeconds"] == 30
    assert almost["__typename"] == "ResendNotAvailableError"
    assert almost["retryAfterSeconds"] == 1
    assert messagebird.requests == 1
    clock.advance(timedelta(seconds=1))
    assert typename(await browser.execute(doc.RESEND_SMS_CODE), "resendSmsCode") == "SmsCodeSent"
    assert messagebird.requests == 2


async def test_twenty_parallel_resends_after_the_cooldown_send_one_text(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn, clock: ManualClock
) -> None:
    # given
    await make_user(EMAIL)
    await reach_code_verification(browser, EMAIL)
    clock.advance(timedelta(seconds=30))

    # when
    answers = await asyncio.gather(*(browser.execute(doc.RESEND_SMS_CODE) for _ in range(20)))

    # then
    kinds = Counter(typename(a, "resendSmsCode") for a in answers)
    assert kinds == {"SmsCodeSent": 1, "ResendNotAvailableError": 19}
    assert messagebird.requests == 2


async def test_cooldown_doubles_with_each_resend_up_to_fifteen_minutes(
    settings: Settings,
    providers: Providers,
    messagebird: MessageBirdStandIn,
    mailbox: Mailbox,
    make_user: MakeUser,
    clock: ManualClock,
) -> None:
    # given: quotas high enough that only the cooldown decides
    async with running_app(
        settings, providers, messagebird, mailbox, sms_per_number_per_hour=20
    ) as new_http:
        await make_user(EMAIL)
        async with new_http() as http:
            client = GraphQLClient(http)
            await reach_code_verification(client, EMAIL)
            waits = []

            # when: after every text, ask again at once, then when the wait is over
            for _ in range(7):
                refused = (await client.execute(doc.RESEND_SMS_CODE))["resendSmsCode"]
                assert refused["__typename"] == "ResendNotAvailableError", refused
                waits.append(refused["retryAfterSeconds"])
                clock.advance(timedelta(seconds=refused["retryAfterSeconds"] - 1))
                early = (await client.execute(doc.RESEND_SMS_CODE))["resendSmsCode"]
                assert early["__typename"] == "ResendNotAvailableError", early
                clock.advance(timedelta(seconds=1))
                sent = (await client.execute(doc.RESEND_SMS_CODE))["resendSmsCode"]
                assert sent["__typename"] == "SmsCodeSent", sent

        # then
        assert waits == [30, 60, 120, 240, 480, 900, 900]
        assert messagebird.requests == 8


async def test_twenty_texts_per_client_ip_per_hour_despite_forged_forwarded_for(
    new_http: HttpFactory, make_user: MakeUser, messagebird: MessageBirdStandIn, clock: ManualClock
) -> None:
    # given: accounts from one address, each claiming another one in X-Forwarded-For; the
    # first four take twenty texts within the hour, each to its own number
    def forged(n: int) -> dict[str, str]:
        return {"X-Forwarded-For": f"198.51.100.{n + 1}"}

    for n, client in enumerate(await many_at_phone_entry(new_http, make_user, 4, forged)):
        await text_five_times(client, us_number(n), clock)
    await make_user("fifth@example.com")
    async with new_http() as http:
        http.headers.update(forged(4))
        fifth_client = await at_phone_entry(http, "fifth@example.com")

        # when
        fifth = await send_to(fifth_client, us_number(4))

    # then
    assert fifth["__typename"] == "RateLimitedError"
    assert fifth["retryAfterSeconds"] > 0
    assert messagebird.requests == 20
    addresses = await AuditEvent.filter(event="password").values_list("ip_address", flat=True)
    assert set(addresses) == {PEER}


async def test_forwarded_for_from_a_trusted_proxy_counts_the_real_client(
    settings: Settings,
    providers: Providers,
    messagebird: MessageBirdStandIn,
    mailbox: Mailbox,
    make_user: MakeUser,
    clock: ManualClock,
) -> None:
    # given: behind a trusted proxy, the client forges the left part of the header and the
    # proxy appends the real address; the sixth account comes from another real client
    async with running_app(
        settings, providers, messagebird, mailbox, trusted_proxies=(PEER,)
    ) as new_http:

        def forwarded(n: int) -> dict[str, str]:
            real = "198.51.100.1" if n < 5 else "198.51.100.2"
            return {"X-Forwarded-For": f"10.0.{n}.1, {real}"}

        for n, client in enumerate(await many_at_phone_entry(new_http, make_user, 4, forwarded)):
            await text_five_times(client, us_number(n), clock)
        later = []
        for n in (4, 5):
            await make_user(f"later{n}@example.com")
            http = new_http()
            http.headers.update(forwarded(n))
            later.append(await at_phone_entry(http, f"later{n}@example.com"))

        # when
        answers = [await send_to(c, us_number(n + 4)) for n, c in enumerate(later)]

        # then
        assert [a["__typename"] for a in answers] == ["RateLimitedError", "SmsCodeSent"]
        assert messagebird.requests == 21
        addresses = await AuditEvent.filter(event="password").values_list("ip_address", flat=True)
        assert set(addresses) == {"198.51.100.1", "198.51.100.2"}


async def test_ten_texts_per_account_per_day_across_sign_ins(
    new_http: HttpFactory, make_user: MakeUser, messagebird: MessageBirdStandIn, clock: ManualClock
) -> None:
    # given: one account took ten texts today, five to each of two numbers, in two sign-ins
    await make_user(EMAIL)
    for n in range(2):
        async with new_http() as http:
            await text_five_times(await at_phone_entry(http, EMAIL), us_number(n), clock)

    # when: a third sign-in asks for a text to a third number
    async with new_http() as http:
        third = await send_to(await at_phone_entry(http, EMAIL), us_number(2))

    # then
    assert third["__typename"] == "RateLimitedError"
    assert third["retryAfterSeconds"] > 3600
    assert messagebird.requests == 10


async def test_daily_country_cap_stops_texts_from_everyone(
    settings: Settings,
    providers: Providers,
    messagebird: MessageBirdStandIn,
    mailbox: Mailbox,
    make_user: MakeUser,
) -> None:
    # given: a circuit breaker of three US texts a day, and four unrelated accounts
    async with running_app(
        settings, providers, messagebird, mailbox, sms_per_country_per_day=3
    ) as new_http:
        clients = []
        for n in range(4):
            await make_user(f"country{n}@example.com")
            clients.append(
                await at_phone_entry(new_http(f"198.51.100.{n + 1}"), f"country{n}@example.com")
            )

        # when
        answers = [await send_to(c, us_number(n)) for n, c in enumerate(clients)]

        # then
        assert [a["__typename"] for a in answers] == ["SmsCodeSent"] * 3 + ["RateLimitedError"]
        assert messagebird.requests == 3


SEND_MUTATIONS = {
    "sendSmsCode": (doc.SEND_SMS_CODE, {"input": US_NUMBER}),
    "resendSmsCode": (doc.RESEND_SMS_CODE, None),
    "sendLoginCode": (doc.SEND_LOGIN_CODE, None),
}


async def test_no_text_before_the_password_step(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given: a payee exists, but this client never passed the password step
    await make_user(EMAIL)
    await browser.post(
        doc.LOG_IN, {"input": {"email": EMAIL, "password": "not-the-password", "client": "BROWSER"}}
    )

    # when
    answers = {
        field: (await browser.errors(document, variables))[0]["extensions"]["code"]
        for field, (document, variables) in SEND_MUTATIONS.items()
    }

    # then
    assert answers == dict.fromkeys(SEND_MUTATIONS, "UNAUTHENTICATED")
    assert messagebird.requests == 0
