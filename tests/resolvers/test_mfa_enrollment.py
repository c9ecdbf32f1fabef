"""mfaEnrollment: where a pending or full session stands, so a client can resume its screens."""

from __future__ import annotations

from datetime import datetime, timedelta

from models.enums import PayRole
from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.clients import HttpFactory
from tests.support.constants import PHONE
from tests.support.flows import enroll_with_sms, log_in, reach_code_verification
from tests.support.graphql import GraphQLClient
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.users import MakeUser

EMAIL = "payee@example.com"
MASKED_PHONE = "+*********23"
NO_CODE = {"codeExpiresAt": None, "resendAvailableAt": None, "attemptsRemaining": None}


async def enrollment(client: GraphQLClient) -> dict | None:
    return (await client.execute(doc.MFA_ENROLLMENT))["mfaEnrollment"]


def at(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def code_fields(status: dict) -> dict:
    return {key: status[key] for key in NO_CODE}


async def test_null_without_a_session(browser: GraphQLClient) -> None:
    # when
    result = await enrollment(browser)

    # then
    assert result is None


async def test_null_with_an_unknown_bearer_token(
    new_http: HttpFactory,
) -> None:
    # given
    async with new_http() as http:
        # when
        result = await enrollment(GraphQLClient(http, bearer="not-a-real-token"))

        # then
        assert result is None


async def test_steps_follow_the_enrollment_screens(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    await make_user(EMAIL)

    # when / then: 'Two-Factor Authentication Required'
    assert (await log_in(browser, EMAIL))["__typename"] == "MfaSetupRequired"
    status = await enrollment(browser)
    assert status is not None
    assert status["step"] == "SETUP_REQUIRED"
    assert status["method"] is None
    assert "SMS" in status["allowedMethods"]
    assert status["recommendedMethod"] in status["allowedMethods"]
    assert status["maskedPhoneNumber"] is None
    assert code_fields(status) == NO_CODE

    # when / then: 'Select an Authentication Method'
    await browser.execute(doc.START_MFA_SETUP)
    status = await enrollment(browser)
    assert status is not None
    assert status["step"] == "METHOD_SELECTION"
    assert status["method"] is None
    assert code_fields(status) == NO_CODE

    # when / then: 'Set Up SMS Verification'
    await browser.execute(doc.CHOOSE_MFA_METHOD, {"input": {"method": "SMS"}})
    status = await enrollment(browser)
    assert status is not None
    assert status["step"] == "PHONE_NUMBER_ENTRY"
    assert status["method"] == "SMS"
    assert code_fields(status) == NO_CODE

    # when / then: 'Enter the 6-Digit Verification Code'
    sent = await browser.execute(
        doc.SEND_SMS_CODE, {"input": {"countryCode": "+1", "phoneNumber": "201 555 0123"}}
    )
    sent_at = clock.now()
    status = await enrollment(browser)
    assert status is not None
    assert status["step"] == "CODE_VERIFICATION"
    assert status["method"] == "SMS"
    assert status["maskedPhoneNumber"] == MASKED_PHONE
    assert at(status["codeExpiresAt"]) == sent_at + timedelta(minutes=30)
    assert at(status["codeExpiresAt"]) == at(sent["sendSmsCode"]["expiresAt"])
    assert at(status["resendAvailableAt"]) == sent_at + timedelta(seconds=30)
    assert status["attemptsRemaining"] == 5

    # when / then: a wrong code spends one attempt
    right = messagebird.last_code(PHONE)
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    await browser.execute(doc.VERIFY_SMS_CODE, {"input": {"code": wrong}})
    status = await enrollment(browser)
    assert status is not None
    assert status["step"] == "CODE_VERIFICATION"
    assert status["attemptsRemaining"] == 4

    # when / then: 'Save Your Recovery Code'
    await browser.execute(doc.VERIFY_SMS_CODE, {"input": {"code": right}})
    status = await enrollment(browser)
    assert status is not None
    assert status["step"] == "RECOVERY_CODE_SAVE"
    assert status["method"] == "SMS"
    assert status["maskedPhoneNumber"] == MASKED_PHONE
    assert status["codeExpiresAt"] is None
    assert status["attemptsRemaining"] is None

    # when / then: enrolled and signed in
    await browser.execute(doc.CONFIRM_RECOVERY_CODE_SAVED, doc.SAVED)
    status = await enrollment(browser)
    assert status is not None
    assert status["step"] == "COMPLETE"
    assert status["method"] == "SMS"
    assert status["maskedPhoneNumber"] == MASKED_PHONE
    assert code_fields(status) == NO_CODE


async def test_code_fields_are_null_after_expiry(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given: 30 minutes pass while the user stays active (an idle session would end first)
    await make_user(EMAIL)
    await reach_code_verification(browser, EMAIL)
    for _ in range(2):
        clock.advance(timedelta(minutes=10))
        status = await enrollment(browser)
        assert status is not None
        assert status["codeExpiresAt"] is not None
    clock.advance(timedelta(minutes=10))

    # when
    status = await enrollment(browser)

    # then
    assert status is not None
    assert status["step"] == "CODE_VERIFICATION"
    assert status["codeExpiresAt"] is None
    assert status["attemptsRemaining"] is None
    assert status["maskedPhoneNumber"] == MASKED_PHONE


async def test_resend_time_is_null_once_resending_is_allowed(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given
    await make_user(EMAIL)
    await reach_code_verification(browser, EMAIL)
    clock.advance(timedelta(seconds=31))

    # when
    status = await enrollment(browser)

    # then
    assert status is not None
    assert status["resendAvailableAt"] is None
    assert status["codeExpiresAt"] is not None


async def test_attempts_run_out_with_the_code(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    await make_user(EMAIL)
    await reach_code_verification(browser, EMAIL)
    right = messagebird.last_code(PHONE)
    for n in range(1, 6):
        wrong = f"{(int(right) + n) % 10**6:06d}"
        await browser.execute(doc.VERIFY_SMS_CODE, {"input": {"code": wrong}})

    # when
    status = await enrollment(browser)

    # then
    assert status is not None
    assert status["step"] == "CODE_VERIFICATION"
    assert status["attemptsRemaining"] == 0


async def test_native_app_reads_its_pending_enrollment(
    new_http: HttpFactory, make_user: MakeUser
) -> None:
    # given
    await make_user(EMAIL)
    async with new_http() as http:
        started = await log_in(GraphQLClient(http), EMAIL, native=True)
        app = GraphQLClient(http, bearer=started["pendingToken"])
        await app.execute(doc.START_MFA_SETUP)

        # when
        status = await enrollment(app)

        # then
        assert status is not None
        assert status["step"] == "METHOD_SELECTION"
        assert await enrollment(GraphQLClient(http)) is None


async def test_a_sign_in_challenge_is_its_own_step(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    await make_user(EMAIL)
    await enroll_with_sms(browser, messagebird, EMAIL)
    await browser.execute(doc.LOG_OUT)
    assert (await log_in(browser, EMAIL))["__typename"] == "MfaChallengeRequired"
    before_send = await enrollment(browser)
    await browser.execute(doc.SEND_LOGIN_CODE)

    # when
    status = await enrollment(browser)

    # then
    assert before_send is not None
    assert before_send["step"] == "CHALLENGE"
    assert code_fields(before_send) == NO_CODE
    assert status is not None
    assert status["step"] == "CHALLENGE"
    assert status["method"] == "SMS"
    assert status["maskedPhoneNumber"] == MASKED_PHONE
    assert at(status["codeExpiresAt"]) == clock.now() + timedelta(minutes=30)
    assert status["attemptsRemaining"] == 5


async def test_user_who_needs_no_second_factor_is_complete(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    await make_user("staff@example.com", PayRole.NONE)
    assert (await log_in(browser, "staff@example.com"))["__typename"] == "LoggedIn"

    # when
    status = await enrollment(browser)

    # then
    assert status is not None
    assert status["step"] == "COMPLETE"
    assert status["method"] is None
    assert status["maskedPhoneNumber"] is None
    assert code_fields(status) == NO_CODE


async def test_null_after_the_pending_session_idles_out(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given
    await make_user(EMAIL)
    await reach_code_verification(browser, EMAIL)
    clock.advance(timedelta(minutes=31))

    # when
    status = await enrollment(browser)

    # then
    assert status is None
