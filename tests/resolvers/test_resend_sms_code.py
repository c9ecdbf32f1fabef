"""resendSmsCode ('Resend New Code'): a fresh code to the same number; the old one stops working."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest

from models.enums import PayRole
from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.constants import PHONE
from tests.support.flows import enroll_with_sms, log_in, reach_code_verification
from tests.support.graphql import GraphQLClient
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.users import MakeUser

PAYEE_EMAIL = "payee@example.com"
COOLDOWN = timedelta(seconds=30)


async def at_code_verification(client: GraphQLClient, make_user: MakeUser) -> dict:
    await make_user(PAYEE_EMAIL, PayRole.PAYEE)
    return await reach_code_verification(client, PAYEE_EMAIL)


async def verify(client: GraphQLClient, code: str) -> dict:
    return (await client.execute(doc.VERIFY_SMS_CODE, {"input": {"code": code}}))["verifySmsCode"]


def seconds_until(timestamp: str, clock: ManualClock) -> float:
    return (datetime.fromisoformat(timestamp) - clock.now()).total_seconds()


def other_than(code: str) -> str:
    """A well-formed 6-digit code that is not `code`."""
    return f"{(int(code) + 1) % 1_000_000:06d}"


async def enrollment(client: GraphQLClient) -> dict:
    return (await client.execute(doc.MFA_ENROLLMENT))["mfaEnrollment"]


@pytest.mark.parametrize("waited", [timedelta(0), timedelta(seconds=29)], ids=["at-once", "29s"])
async def test_inside_the_cooldown_no_new_code_is_sent(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
    waited: timedelta,
) -> None:
    # given
    await at_code_verification(browser, make_user)
    clock.advance(waited)
    # when
    data = await browser.execute(doc.RESEND_SMS_CODE)
    # then
    result = data["resendSmsCode"]
    assert result["__typename"] == "ResendNotAvailableError"
    assert result["code"] == "RESEND_NOT_AVAILABLE"
    assert result["retryAfterSeconds"] == (COOLDOWN - waited).seconds
    assert messagebird.requests == 1
    assert len(messagebird.messages) == 1


async def test_after_the_cooldown_a_new_code_is_texted_to_the_same_number(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn, clock: ManualClock
) -> None:
    # given
    await at_code_verification(browser, make_user)
    clock.advance(timedelta(seconds=31))
    # when
    data = await browser.execute(doc.RESEND_SMS_CODE)
    # then
    sent = data["resendSmsCode"]
    assert sent["__typename"] == "SmsCodeSent"
    assert sent["maskedPhoneNumber"] == "+*********23"
    assert datetime.fromisoformat(sent["expiresAt"]) == clock.now() + timedelta(minutes=30)
    assert datetime.fromisoformat(sent["resendAvailableAt"]) > clock.now()
    assert len(messagebird.messages) == 2
    assert messagebird.messages[1].recipients == ["12015550123"]
    assert messagebird.messages[1].originator == "Twofold"


async def test_each_resend_doubles_the_cooldown(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given
    sent = await at_code_verification(browser, make_user)
    waits = [seconds_until(sent["resendAvailableAt"], clock)]
    # when: each resend is asked for the moment it becomes available
    for _ in range(3):
        clock.advance(timedelta(seconds=waits[-1]))
        result = (await browser.execute(doc.RESEND_SMS_CODE))["resendSmsCode"]
        assert result["__typename"] == "SmsCodeSent", result
        waits.append(seconds_until(result["resendAvailableAt"], clock))
    # then
    assert waits == [30, 60, 120, 240]


async def test_resends_count_toward_the_hourly_limit_per_number(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn, clock: ManualClock
) -> None:
    # given: the first text and four resends, each as soon as it was allowed
    sent = await at_code_verification(browser, make_user)
    wait = seconds_until(sent["resendAvailableAt"], clock)
    for _ in range(4):
        clock.advance(timedelta(seconds=wait))
        result = (await browser.execute(doc.RESEND_SMS_CODE))["resendSmsCode"]
        assert result["__typename"] == "SmsCodeSent", result
        wait = seconds_until(result["resendAvailableAt"], clock)
    clock.advance(timedelta(seconds=wait))
    # when: the sixth text to the number inside the hour
    data = await browser.execute(doc.RESEND_SMS_CODE)
    # then
    result = data["resendSmsCode"]
    assert result["__typename"] == "RateLimitedError", result
    assert result["code"] == "RATE_LIMITED"
    assert 1 <= result["retryAfterSeconds"] <= 3600
    assert len(messagebird.messages) == 5


async def test_after_a_resend_the_old_code_fails_and_the_new_one_works(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn, clock: ManualClock
) -> None:
    # given
    await at_code_verification(browser, make_user)
    old_code = messagebird.last_code(PHONE)
    clock.advance(timedelta(seconds=31))
    assert (await browser.execute(doc.RESEND_SMS_CODE))["resendSmsCode"]["__typename"] == (
        "SmsCodeSent"
    )
    new_code = messagebird.last_code(PHONE)
    # when
    with_old = await verify(browser, old_code)
    with_new = await verify(browser, new_code)
    # then
    assert with_old["__typename"] == "InvalidCodeError"
    assert with_old["code"] == "INVALID_CODE"
    assert with_old["attemptsRemaining"] == 4
    assert with_new["__typename"] == "RecoveryCodeIssued"


async def test_a_resend_does_not_reset_the_sign_in_failure_count(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn, clock: ManualClock
) -> None:
    # given: five wrong guesses killed the first code
    await at_code_verification(browser, make_user)
    first_wrong = other_than(messagebird.last_code(PHONE))
    answers = [await verify(browser, first_wrong) for _ in range(5)]
    assert answers[-1]["__typename"] == "TooManyAttemptsError"
    assert answers[-1]["signInEnded"] is False
    clock.advance(timedelta(seconds=31))
    assert (await browser.execute(doc.RESEND_SMS_CODE))["resendSmsCode"]["__typename"] == (
        "SmsCodeSent"
    )
    second_wrong = other_than(messagebird.last_code(PHONE))
    # when: four more wrong guesses at the new code, then the tenth of this sign-in
    more = [await verify(browser, second_wrong) for _ in range(4)]
    tenth = await verify(browser, second_wrong)
    # then
    assert [a["__typename"] for a in more] == ["InvalidCodeError"] * 4
    assert tenth["__typename"] == "TooManyAttemptsError"
    assert tenth["signInEnded"] is True
    assert (await browser.execute(doc.MFA_ENROLLMENT))["mfaEnrollment"] is None


async def test_a_resend_after_the_code_expired_gives_a_working_code(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn, clock: ManualClock
) -> None:
    # given
    await at_code_verification(browser, make_user)
    # The user stays active on the screen, so only the code (not the session) goes stale.
    clock.advance(timedelta(minutes=20))
    assert (await enrollment(browser))["codeExpiresAt"] is not None
    clock.advance(timedelta(minutes=11))
    assert (await enrollment(browser))["codeExpiresAt"] is None
    # when
    data = await browser.execute(doc.RESEND_SMS_CODE)
    # then
    assert data["resendSmsCode"]["__typename"] == "SmsCodeSent"
    assert (await verify(browser, messagebird.last_code(PHONE)))["__typename"] == (
        "RecoveryCodeIssued"
    )


@pytest.mark.parametrize("mode", ["401", "422", "500", "hang"])
async def test_a_provider_failure_on_resend_keeps_the_old_code_working(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
    mode: str,
) -> None:
    # given
    sent = await at_code_verification(browser, make_user)
    old_code = messagebird.last_code(PHONE)
    clock.advance(timedelta(seconds=31))
    messagebird.mode = mode
    # when
    data = await browser.execute(doc.RESEND_SMS_CODE)
    # then
    result = data["resendSmsCode"]
    assert result["__typename"] == "SmsDeliveryFailedError"
    assert result["code"] == "SMS_DELIVERY_FAILED"
    assert len(messagebird.messages) == 1
    status = await enrollment(browser)
    assert status["step"] == "CODE_VERIFICATION"
    assert datetime.fromisoformat(status["codeExpiresAt"]) == datetime.fromisoformat(
        sent["expiresAt"]
    )
    assert status["attemptsRemaining"] == 5
    assert (await verify(browser, old_code))["__typename"] == "RecoveryCodeIssued"


async def test_a_provider_failure_on_resend_leaves_no_cooldown_behind(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn, clock: ManualClock
) -> None:
    # given
    await at_code_verification(browser, make_user)
    clock.advance(timedelta(seconds=31))
    messagebird.mode = "500"
    failed = await browser.execute(doc.RESEND_SMS_CODE)
    assert failed["resendSmsCode"]["__typename"] == "SmsDeliveryFailedError"
    messagebird.mode = "ok"
    # when
    data = await browser.execute(doc.RESEND_SMS_CODE)
    # then
    assert data["resendSmsCode"]["__typename"] == "SmsCodeSent"
    assert len(messagebird.messages) == 2


async def test_parallel_resends_text_only_once(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn, clock: ManualClock
) -> None:
    # given
    await at_code_verification(browser, make_user)
    clock.advance(timedelta(seconds=31))
    # when
    results = await asyncio.gather(*(browser.execute(doc.RESEND_SMS_CODE) for _ in range(5)))
    # then
    typenames = sorted(r["resendSmsCode"]["__typename"] for r in results)
    assert typenames == ["ResendNotAvailableError"] * 4 + ["SmsCodeSent"]
    assert messagebird.requests == 2
    assert (await verify(browser, messagebird.last_code(PHONE)))["__typename"] == (
        "RecoveryCodeIssued"
    )


async def test_before_any_code_was_sent_it_is_the_wrong_step(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    await make_user(PAYEE_EMAIL, PayRole.PAYEE)
    await log_in(browser, PAYEE_EMAIL)
    await browser.execute(doc.START_MFA_SETUP)
    await browser.execute(doc.CHOOSE_MFA_METHOD, {"input": {"method": "SMS"}})
    # when
    data = await browser.execute(doc.RESEND_SMS_CODE)
    # then
    result = data["resendSmsCode"]
    assert result["__typename"] == "WrongStepError"
    assert result["code"] == "WRONG_STEP"
    assert result["currentStep"] == "PHONE_NUMBER_ENTRY"
    assert messagebird.requests == 0


async def test_after_the_code_was_verified_it_is_the_wrong_step(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn, clock: ManualClock
) -> None:
    # given
    await at_code_verification(browser, make_user)
    assert (await verify(browser, messagebird.last_code(PHONE)))["__typename"] == (
        "RecoveryCodeIssued"
    )
    clock.advance(timedelta(seconds=31))
    # when
    data = await browser.execute(doc.RESEND_SMS_CODE)
    # then
    assert data["resendSmsCode"]["__typename"] == "WrongStepError"
    assert data["resendSmsCode"]["currentStep"] == "RECOVERY_CODE_SAVE"
    assert len(messagebird.messages) == 1


async def test_a_sign_in_challenge_is_not_enrollment(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given: sign-in codes are resent with sendLoginCode, not resendSmsCode
    await make_user(PAYEE_EMAIL, PayRole.PAYEE)
    await enroll_with_sms(browser, messagebird, PAYEE_EMAIL)
    await browser.execute(doc.LOG_OUT)
    assert (await log_in(browser, PAYEE_EMAIL))["__typename"] == "MfaChallengeRequired"
    requests_before = messagebird.requests
    # when
    data = await browser.execute(doc.RESEND_SMS_CODE)
    # then
    assert data["resendSmsCode"]["__typename"] == "WrongStepError"
    assert data["resendSmsCode"]["currentStep"] == "CHALLENGE"
    assert messagebird.requests == requests_before


async def test_a_full_session_is_the_wrong_step(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    await make_user("staff@example.com", PayRole.NONE)
    assert (await log_in(browser, "staff@example.com"))["__typename"] == "LoggedIn"
    # when
    data = await browser.execute(doc.RESEND_SMS_CODE)
    # then
    assert data["resendSmsCode"]["__typename"] == "WrongStepError"
    assert data["resendSmsCode"]["currentStep"] == "COMPLETE"
    assert messagebird.requests == 0


async def test_without_a_session_it_is_unauthenticated(
    browser: GraphQLClient, messagebird: MessageBirdStandIn
) -> None:
    # when
    errors = await browser.errors(doc.RESEND_SMS_CODE)
    # then
    assert [e["extensions"]["code"] for e in errors] == ["UNAUTHENTICATED"]
    assert messagebird.requests == 0
