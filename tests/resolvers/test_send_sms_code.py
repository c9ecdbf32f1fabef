"""sendSmsCode ('Set Up SMS Verification' -> Send Text Message)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import httpx
import pytest

from models.enums import PayRole
from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.clients import HttpFactory
from tests.support.constants import PHONE
from tests.support.flows import at_phone_entry, log_in, reach_code_verification
from tests.support.graphql import GraphQLClient
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.users import MakeUser

PAYEE_EMAIL = "payee@example.com"
OTHER_PHONE = "+12015550188"


def send(country_code: str = "+1", phone_number: str = "201 555 0123") -> dict:
    return {"input": {"countryCode": country_code, "phoneNumber": phone_number}}


async def at_phone_number_entry(client: GraphQLClient, make_user: MakeUser) -> None:
    await make_user(PAYEE_EMAIL, PayRole.PAYEE)
    await at_phone_entry(client.http, PAYEE_EMAIL)


async def native_at_phone_number_entry(http: httpx.AsyncClient, email: str) -> GraphQLClient:
    """A mobile app's pending sign-in, at 'Set Up SMS Verification'."""
    signed_in = await log_in(GraphQLClient(http), email, native=True)
    app = GraphQLClient(http, bearer=signed_in["pendingToken"])
    await app.execute(doc.START_MFA_SETUP)
    chosen = await app.execute(doc.CHOOSE_MFA_METHOD, {"input": {"method": "SMS"}})
    assert chosen["chooseMfaMethod"]["__typename"] == "SmsMethodChosen"
    return app


def us_number(n: int) -> str:
    """Distinct valid US mobile numbers: 201 555 0100, 201 555 0101, ..."""
    return f"201 555 {100 + n:04d}"


async def enrollment(client: GraphQLClient) -> dict:
    return (await client.execute(doc.MFA_ENROLLMENT))["mfaEnrollment"]


async def test_a_us_mobile_number_gets_a_code_by_text(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn, clock: ManualClock
) -> None:
    # given
    await at_phone_number_entry(browser, make_user)
    # when
    data = await browser.execute(doc.SEND_SMS_CODE, send("+1", "201 555 0123"))
    # then
    sent = data["sendSmsCode"]
    assert sent["__typename"] == "SmsCodeSent"
    assert sent["maskedPhoneNumber"] == "+*********23"
    assert datetime.fromisoformat(sent["expiresAt"]) == clock.now() + timedelta(minutes=30)
    assert datetime.fromisoformat(sent["resendAvailableAt"]) == clock.now() + timedelta(seconds=30)
    assert len(messagebird.messages) == 1
    text = messagebird.messages[0]
    assert text.originator == "Twofold"
    assert text.recipients == ["12015550123"]
    code = messagebird.last_code(PHONE)
    assert code in text.body
    assert "30 minutes" in text.body
    assert "never share" in text.body.lower()


async def test_after_sending_the_user_is_at_code_verification(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given
    await at_phone_number_entry(browser, make_user)
    # when
    await browser.execute(doc.SEND_SMS_CODE, send())
    # then
    status = await enrollment(browser)
    assert status["step"] == "CODE_VERIFICATION"
    assert status["maskedPhoneNumber"] == "+*********23"
    assert status["attemptsRemaining"] == 5
    assert datetime.fromisoformat(status["codeExpiresAt"]) == clock.now() + timedelta(minutes=30)
    assert datetime.fromisoformat(status["resendAvailableAt"]) == clock.now() + timedelta(
        seconds=30
    )


@pytest.mark.parametrize(
    ("country_code", "phone_number"),
    [
        ("+1", "(201) 555-0123"),
        ("+1", "201.555.0123"),
        ("1", "2015550123"),
        (" +1 ", " 201 555 0123 "),
        ("+1", "+1 201 555 0123"),
    ],
    ids=["parentheses-dash", "dots", "no-plus", "padded", "international-form"],
)
async def test_common_ways_of_typing_the_number_reach_the_same_phone(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    country_code: str,
    phone_number: str,
) -> None:
    # given
    await at_phone_number_entry(browser, make_user)
    # when
    data = await browser.execute(doc.SEND_SMS_CODE, send(country_code, phone_number))
    # then
    assert data["sendSmsCode"]["__typename"] == "SmsCodeSent"
    assert [m.recipients for m in messagebird.messages] == [["12015550123"]]


@pytest.mark.parametrize(
    ("country_code", "phone_number"),
    [
        ("+1", "abc"),
        ("+1", "+1 999"),
        ("+1", "999"),
        ("+1", ""),
        ("+1", "2015550123" * 4),
        ("x1", "201 555 0123"),
        ("", "201 555 0123"),
    ],
    ids=[
        "letters",
        "too-short-international",
        "too-short",
        "empty",
        "40-characters",
        "letter-in-country-code",
        "empty-country-code",
    ],
)
async def test_malformed_numbers_are_refused_without_calling_the_provider(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    country_code: str,
    phone_number: str,
) -> None:
    # given
    await at_phone_number_entry(browser, make_user)
    # when
    data = await browser.execute(doc.SEND_SMS_CODE, send(country_code, phone_number))
    # then
    result = data["sendSmsCode"]
    assert result["__typename"] == "InvalidPhoneNumberError"
    assert result["code"] == "INVALID_PHONE_NUMBER"
    assert messagebird.requests == 0
    assert (await enrollment(browser))["step"] == "PHONE_NUMBER_ENTRY"


@pytest.mark.parametrize(
    ("country_code", "phone_number"),
    [("+1", "416 555 0199"), ("+44", "7911 123456"), ("+1", "+44 7911 123456")],
    ids=["canada", "united-kingdom", "united-kingdom-typed-in-full"],
)
async def test_numbers_outside_the_allowed_countries_are_refused_without_calling_the_provider(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    country_code: str,
    phone_number: str,
) -> None:
    # given
    await at_phone_number_entry(browser, make_user)
    # when
    data = await browser.execute(doc.SEND_SMS_CODE, send(country_code, phone_number))
    # then
    result = data["sendSmsCode"]
    assert result["__typename"] == "UnsupportedCountryError"
    assert result["code"] == "UNSUPPORTED_COUNTRY"
    assert result["allowedCountries"] == [{"regionCode": "US"}]
    assert messagebird.requests == 0
    assert (await enrollment(browser))["step"] == "PHONE_NUMBER_ENTRY"


@pytest.mark.parametrize("mode", ["401", "422", "500", "hang"])
async def test_a_provider_failure_leaves_the_step_and_no_cooldown_behind(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn, mode: str
) -> None:
    # given
    await at_phone_number_entry(browser, make_user)
    messagebird.mode = mode
    # when
    data = await browser.execute(doc.SEND_SMS_CODE, send())
    # then
    result = data["sendSmsCode"]
    assert result["__typename"] == "SmsDeliveryFailedError"
    assert result["code"] == "SMS_DELIVERY_FAILED"
    assert messagebird.requests >= 1
    assert messagebird.messages == []
    status = await enrollment(browser)
    assert status["step"] == "PHONE_NUMBER_ENTRY"
    assert status["codeExpiresAt"] is None
    assert status["resendAvailableAt"] is None
    # and an immediate retry, with the clock standing still, goes through
    messagebird.mode = "ok"
    retried = await browser.execute(doc.SEND_SMS_CODE, send())
    assert retried["sendSmsCode"]["__typename"] == "SmsCodeSent"
    assert len(messagebird.messages) == 1
    assert (await enrollment(browser))["step"] == "CODE_VERIFICATION"


async def test_sending_again_inside_the_cooldown_is_refused(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    await make_user(PAYEE_EMAIL, PayRole.PAYEE)
    await reach_code_verification(browser, PAYEE_EMAIL)
    # when
    data = await browser.execute(doc.SEND_SMS_CODE, send("+1", "201 555 0188"))
    # then
    result = data["sendSmsCode"]
    assert result["__typename"] == "ResendNotAvailableError"
    assert result["code"] == "RESEND_NOT_AVAILABLE"
    assert 1 <= result["retryAfterSeconds"] <= 30
    assert messagebird.requests == 1
    assert len(messagebird.messages) == 1


async def test_the_cooldown_counts_down_with_the_clock(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given
    await make_user(PAYEE_EMAIL, PayRole.PAYEE)
    await reach_code_verification(browser, PAYEE_EMAIL)
    clock.advance(timedelta(seconds=10))
    # when
    data = await browser.execute(doc.SEND_SMS_CODE, send())
    # then
    assert data["sendSmsCode"]["__typename"] == "ResendNotAvailableError"
    assert data["sendSmsCode"]["retryAfterSeconds"] == 20


async def test_a_corrected_number_after_the_cooldown_replaces_the_old_code(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn, clock: ManualClock
) -> None:
    # given: the first code went to a mistyped number
    await make_user(PAYEE_EMAIL, PayRole.PAYEE)
    await reach_code_verification(browser, PAYEE_EMAIL, phone_number="201 555 0188")
    first_code = messagebird.last_code(OTHER_PHONE)
    clock.advance(timedelta(seconds=31))
    # when
    data = await browser.execute(doc.SEND_SMS_CODE, send("+1", "201 555 0123"))
    # then
    assert data["sendSmsCode"]["__typename"] == "SmsCodeSent"
    assert data["sendSmsCode"]["maskedPhoneNumber"] == "+*********23"
    assert (await enrollment(browser))["maskedPhoneNumber"] == "+*********23"
    stale = await browser.execute(doc.VERIFY_SMS_CODE, {"input": {"code": first_code}})
    assert stale["verifySmsCode"]["__typename"] == "InvalidCodeError"
    fresh = await browser.execute(
        doc.VERIFY_SMS_CODE, {"input": {"code": messagebird.last_code(PHONE)}}
    )
    assert fresh["verifySmsCode"]["__typename"] == "RecoveryCodeIssued"


async def test_a_mistyped_correction_keeps_the_outstanding_code(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn, clock: ManualClock
) -> None:
    # given
    await make_user(PAYEE_EMAIL, PayRole.PAYEE)
    await reach_code_verification(browser, PAYEE_EMAIL)
    clock.advance(timedelta(seconds=31))
    # when
    data = await browser.execute(doc.SEND_SMS_CODE, send("+1", "201 555"))
    # then
    assert data["sendSmsCode"]["__typename"] == "InvalidPhoneNumberError"
    assert messagebird.requests == 1
    status = await enrollment(browser)
    assert (status["step"], status["maskedPhoneNumber"]) == ("CODE_VERIFICATION", "+*********23")
    verified = await browser.execute(
        doc.VERIFY_SMS_CODE, {"input": {"code": messagebird.last_code(PHONE)}}
    )
    assert verified["verifySmsCode"]["__typename"] == "RecoveryCodeIssued"


async def test_a_failed_send_to_a_corrected_number_keeps_the_first_number_and_code(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn, clock: ManualClock
) -> None:
    # given
    await make_user(PAYEE_EMAIL, PayRole.PAYEE)
    await reach_code_verification(browser, PAYEE_EMAIL)
    first_code = messagebird.last_code(PHONE)
    clock.advance(timedelta(seconds=31))
    messagebird.mode = "500"
    # when
    data = await browser.execute(doc.SEND_SMS_CODE, send("+1", "201 555 0188"))
    # then
    assert data["sendSmsCode"]["__typename"] == "SmsDeliveryFailedError"
    status = await enrollment(browser)
    assert (status["step"], status["maskedPhoneNumber"]) == ("CODE_VERIFICATION", "+*********23")
    verified = await browser.execute(doc.VERIFY_SMS_CODE, {"input": {"code": first_code}})
    assert verified["verifySmsCode"]["__typename"] == "RecoveryCodeIssued"


async def test_parallel_sends_text_only_once(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    await at_phone_number_entry(browser, make_user)
    # when: a double-clicked button, five times over
    results = await asyncio.gather(*(browser.execute(doc.SEND_SMS_CODE, send()) for _ in range(5)))
    # then
    typenames = sorted(r["sendSmsCode"]["__typename"] for r in results)
    assert typenames.count("SmsCodeSent") == 1
    assert set(typenames) <= {"SmsCodeSent", "ResendNotAvailableError", "WrongStepError"}
    assert messagebird.requests == 1


async def test_going_back_to_the_method_list_does_not_reset_the_cooldown(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given: a code was just sent, then the user went back and chose SMS again
    await make_user(PAYEE_EMAIL, PayRole.PAYEE)
    await reach_code_verification(browser, PAYEE_EMAIL)
    await browser.execute(doc.START_MFA_SETUP)
    await browser.execute(doc.CHOOSE_MFA_METHOD, {"input": {"method": "SMS"}})
    # when
    data = await browser.execute(doc.SEND_SMS_CODE, send())
    # then
    assert data["sendSmsCode"]["__typename"] == "ResendNotAvailableError"
    assert 1 <= data["sendSmsCode"]["retryAfterSeconds"] <= 30
    assert messagebird.requests == 1


async def test_at_most_five_texts_per_phone_number_per_hour(
    new_http: HttpFactory, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    async with new_http() as http:
        # given: five sign-ins had a code texted to the same number this hour
        for n in range(5):
            await make_user(f"payee{n}@example.com", PayRole.PAYEE)
            app = await native_at_phone_number_entry(http, f"payee{n}@example.com")
            sent = await app.execute(doc.SEND_SMS_CODE, send())
            assert sent["sendSmsCode"]["__typename"] == "SmsCodeSent"
        await make_user("payee5@example.com", PayRole.PAYEE)
        sixth = await native_at_phone_number_entry(http, "payee5@example.com")
        # when
        data = await sixth.execute(doc.SEND_SMS_CODE, send())
    # then
    result = data["sendSmsCode"]
    assert result["__typename"] == "RateLimitedError", result
    assert result["code"] == "RATE_LIMITED"
    assert 1 <= result["retryAfterSeconds"] <= 3600
    assert messagebird.requests == 5


async def test_at_most_ten_texts_per_user_per_day(
    new_http: HttpFactory, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    async with new_http() as http:
        # given: one user signed in ten times and had a code texted each time
        await make_user(PAYEE_EMAIL, PayRole.PAYEE)
        for n in range(10):
            app = await native_at_phone_number_entry(http, PAYEE_EMAIL)
            sent = await app.execute(doc.SEND_SMS_CODE, send("+1", us_number(n)))
            assert sent["sendSmsCode"]["__typename"] == "SmsCodeSent"
        eleventh = await native_at_phone_number_entry(http, PAYEE_EMAIL)
        # when
        data = await eleventh.execute(doc.SEND_SMS_CODE, send("+1", us_number(10)))
    # then
    result = data["sendSmsCode"]
    assert result["__typename"] == "RateLimitedError", result
    assert result["code"] == "RATE_LIMITED"
    assert 1 <= result["retryAfterSeconds"] <= 24 * 3600
    assert messagebird.requests == 10


@pytest.mark.parametrize("spoofed", [False, True], ids=["plain", "x-forwarded-for-spoofed"])
async def test_at_most_twenty_texts_per_client_ip_per_hour(
    new_http: HttpFactory, make_user: MakeUser, messagebird: MessageBirdStandIn, spoofed: bool
) -> None:
    async def send_from(app: GraphQLClient, n: int) -> dict:
        # A client that is not a trusted proxy cannot pick its own address with this header.
        headers = {"X-Forwarded-For": f"198.51.100.{n}"} if spoofed else {}
        response = await app.http.post(
            "/graphql",
            json={"query": doc.SEND_SMS_CODE, "variables": send("+1", us_number(n))},
            headers={"Authorization": f"Bearer {app.bearer}", **headers},
        )
        assert response.status_code == 200, response.text
        return response.json()["data"]["sendSmsCode"]

    async with new_http() as http:
        # given: twenty users behind one IP address each had a code texted to their own number
        for n in range(20):
            await make_user(f"payee{n}@example.com", PayRole.PAYEE)
            app = await native_at_phone_number_entry(http, f"payee{n}@example.com")
            assert (await send_from(app, n))["__typename"] == "SmsCodeSent"
        await make_user("payee20@example.com", PayRole.PAYEE)
        twenty_first = await native_at_phone_number_entry(http, "payee20@example.com")
        # when
        result = await send_from(twenty_first, 20)
    # then
    assert result["__typename"] == "RateLimitedError", result
    assert result["code"] == "RATE_LIMITED"
    assert 1 <= result["retryAfterSeconds"] <= 3600
    assert messagebird.requests == 20


async def test_before_choosing_sms_it_is_the_wrong_step(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    await make_user(PAYEE_EMAIL, PayRole.PAYEE)
    await log_in(browser, PAYEE_EMAIL)
    await browser.execute(doc.START_MFA_SETUP)
    # when
    data = await browser.execute(doc.SEND_SMS_CODE, send())
    # then
    result = data["sendSmsCode"]
    assert result["__typename"] == "WrongStepError"
    assert result["code"] == "WRONG_STEP"
    assert result["currentStep"] == "METHOD_SELECTION"
    assert messagebird.requests == 0


async def test_before_start_mfa_setup_it_is_the_wrong_step(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    await make_user(PAYEE_EMAIL, PayRole.PAYEE)
    await log_in(browser, PAYEE_EMAIL)
    # when
    data = await browser.execute(doc.SEND_SMS_CODE, send())
    # then
    assert data["sendSmsCode"]["__typename"] == "WrongStepError"
    assert data["sendSmsCode"]["currentStep"] == "SETUP_REQUIRED"
    assert messagebird.requests == 0


async def test_a_full_session_is_the_wrong_step(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    await make_user("staff@example.com", PayRole.NONE)
    assert (await log_in(browser, "staff@example.com"))["__typename"] == "LoggedIn"
    # when
    data = await browser.execute(doc.SEND_SMS_CODE, send())
    # then
    assert data["sendSmsCode"]["__typename"] == "WrongStepError"
    assert data["sendSmsCode"]["currentStep"] == "COMPLETE"
    assert messagebird.requests == 0


async def test_without_a_session_it_is_unauthenticated(
    browser: GraphQLClient, messagebird: MessageBirdStandIn
) -> None:
    # when
    errors = await browser.errors(doc.SEND_SMS_CODE, send())
    # then
    assert [e["extensions"]["code"] for e in errors] == ["UNAUTHENTICATED"]
    assert messagebird.requests == 0
