"""verifyLoginCode: the second factor of an enrolled user's sign-in."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from graph.context import SESSION_COOKIE
from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.clients import HttpFactory
from tests.support.codes import other_code
from tests.support.constants import PHONE
from tests.support.flows import enroll_with_sms, log_in
from tests.support.graphql import GraphQLClient, error_codes, outcome
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.users import MakeUser

EMAIL = "payee@example.com"


def verify(code: str) -> dict:
    return {"input": {"code": code}}


async def submit(client: GraphQLClient, code: str) -> dict:
    return (await client.execute(doc.VERIFY_LOGIN_CODE, verify(code)))["verifyLoginCode"]


async def send(client: GraphQLClient) -> dict:
    sent = (await client.execute(doc.SEND_LOGIN_CODE))["sendLoginCode"]
    assert sent["__typename"] == "SmsCodeSent", sent
    return sent


async def challenged(client: GraphQLClient, messagebird: MessageBirdStandIn) -> str:
    """Enroll, sign out, sign in again; returns the recovery code from enrollment."""
    recovery_code = await enroll_with_sms(client, messagebird, EMAIL)
    await client.execute(doc.LOG_OUT)
    assert (await log_in(client, EMAIL))["__typename"] == "MfaChallengeRequired"
    return recovery_code


async def test_right_code_signs_the_browser_in(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    user = await make_user(EMAIL)
    await challenged(browser, messagebird)
    await send(browser)
    pending_cookie = browser.http.cookies.get(SESSION_COOKIE)

    # when
    result = await submit(browser, messagebird.last_code(PHONE))

    # then
    assert result["__typename"] == "LoggedIn"
    assert result["sessionToken"] is None
    assert result["user"]["email"] == EMAIL
    assert result["user"]["mfa"] == {"enrolled": True, "methods": ["SMS"]}
    assert browser.http.cookies.get(SESSION_COOKIE) not in (None, pending_cookie)
    viewer = (await browser.execute(doc.VIEWER))["viewer"]
    assert viewer["id"] == str(user.id)
    assert viewer["email"] == EMAIL


async def test_right_code_gives_a_native_app_a_session_token(
    new_http: HttpFactory,
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
) -> None:
    # given
    await make_user(EMAIL)
    await enroll_with_sms(browser, messagebird, EMAIL)
    async with new_http() as http:
        challenge = await log_in(GraphQLClient(http), EMAIL, native=True)
        pending_app = GraphQLClient(http, bearer=challenge["pendingToken"])
        await send(pending_app)

        # when
        result = await submit(pending_app, messagebird.last_code(PHONE))

        # then
        assert result["__typename"] == "LoggedIn"
        assert result["sessionToken"]
        assert result["sessionToken"] != pending_app.bearer
        assert await error_codes(pending_app, doc.SEND_LOGIN_CODE) == ["UNAUTHENTICATED"]
        signed_in = GraphQLClient(http, bearer=result["sessionToken"])
        assert (await signed_in.execute(doc.VIEWER))["viewer"]["email"] == EMAIL


async def test_wrong_code_is_refused(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    await make_user(EMAIL)
    await challenged(browser, messagebird)
    await send(browser)

    # when
    result = await submit(browser, other_code(messagebird.last_code(PHONE)))

    # then
    assert result["__typename"] == "InvalidCodeError"
    assert result["code"] == "INVALID_CODE"
    assert result["attemptsRemaining"] == 4
    assert (await browser.execute(doc.VIEWER))["viewer"] is None


async def test_five_wrong_codes_kill_the_code(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    await make_user(EMAIL)
    await challenged(browser, messagebird)
    await send(browser)
    right = messagebird.last_code(PHONE)

    # when
    answers = [await submit(browser, other_code(right, n)) for n in range(1, 6)]

    # then
    assert [a.get("attemptsRemaining") for a in answers[:4]] == [4, 3, 2, 1]
    assert answers[4]["__typename"] == "TooManyAttemptsError"
    assert answers[4]["signInEnded"] is False
    refused = await submit(browser, right)
    assert refused["__typename"] == "TooManyAttemptsError"
    assert (await browser.execute(doc.VIEWER))["viewer"] is None


async def test_ten_wrong_codes_across_resends_end_the_sign_in(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    await make_user(EMAIL)
    await challenged(browser, messagebird)
    await send(browser)
    for n in range(1, 6):
        await submit(browser, other_code(messagebird.last_code(PHONE), n))
    clock.advance(timedelta(seconds=31))
    await send(browser)
    right = messagebird.last_code(PHONE)
    for n in range(1, 5):
        assert (await submit(browser, other_code(right, n)))["attemptsRemaining"] == 5 - n

    # when
    last = await submit(browser, other_code(right, 5))

    # then
    assert last["__typename"] == "TooManyAttemptsError"
    assert last["signInEnded"] is True
    assert browser.http.cookies.get(SESSION_COOKIE) is None
    assert await error_codes(browser, doc.VERIFY_LOGIN_CODE, verify(right)) == ["UNAUTHENTICATED"]
    assert (await log_in(browser, EMAIL))["__typename"] == "MfaChallengeRequired"


async def test_enrollment_code_does_not_work_at_sign_in(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    await make_user(EMAIL)
    await challenged(browser, messagebird)
    enrollment_code = messagebird.last_code(PHONE)
    await send(browser)
    login_code = messagebird.last_code(PHONE)
    assert enrollment_code != login_code

    # when
    result = await submit(browser, enrollment_code)

    # then
    assert result["__typename"] == "InvalidCodeError"
    assert (await submit(browser, login_code))["__typename"] == "LoggedIn"


async def test_code_of_another_sign_in_does_not_work(
    new_http: HttpFactory,
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
) -> None:
    # given: the same user signs in on two devices, and each gets its own code
    await make_user(EMAIL)
    await enroll_with_sms(browser, messagebird, EMAIL)
    async with new_http() as first_http, new_http() as second_http:
        first, second = GraphQLClient(first_http), GraphQLClient(second_http)
        assert (await log_in(first, EMAIL))["__typename"] == "MfaChallengeRequired"
        assert (await log_in(second, EMAIL))["__typename"] == "MfaChallengeRequired"
        await send(first)
        first_code = messagebird.last_code(PHONE)
        await send(second)
        second_code = messagebird.last_code(PHONE)
        assert first_code != second_code

        # when
        crossed_into_first = await submit(first, second_code)
        crossed_into_second = await submit(second, first_code)

        # then
        assert crossed_into_first["__typename"] == "InvalidCodeError"
        assert crossed_into_second["__typename"] == "InvalidCodeError"
        assert (await submit(first, first_code))["__typename"] == "LoggedIn"
        assert (await submit(second, second_code))["__typename"] == "LoggedIn"
        first_cookie = first_http.cookies.get(SESSION_COOKIE)
        assert first_cookie != second_http.cookies.get(SESSION_COOKIE)


async def test_expired_code_is_refused(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given: 30 minutes pass while the user stays active (an idle session would end first)
    await make_user(EMAIL)
    await challenged(browser, messagebird)
    await send(browser)
    for _ in range(3):
        clock.advance(timedelta(minutes=10))
        assert (await browser.execute(doc.ENROLLMENT_STEP))["mfaEnrollment"] is not None

    # when
    result = await submit(browser, messagebird.last_code(PHONE))

    # then
    assert result["__typename"] == "CodeExpiredError"
    assert result["code"] == "CODE_EXPIRED"
    assert (await browser.execute(doc.VIEWER))["viewer"] is None


async def test_before_any_code_was_sent_is_expired(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    await make_user(EMAIL)
    await challenged(browser, messagebird)

    # when
    result = await submit(browser, "123456")

    # then
    assert result["__typename"] == "CodeExpiredError"
    assert result["code"] == "CODE_EXPIRED"


async def test_concurrent_right_codes_sign_in_exactly_once(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    await make_user(EMAIL)
    await challenged(browser, messagebird)
    await send(browser)
    code = messagebird.last_code(PHONE)

    # when
    responses = await asyncio.gather(
        *(browser.post(doc.VERIFY_LOGIN_CODE, verify(code)) for _ in range(20))
    )

    # then
    outcomes = [outcome(r, "verifyLoginCode") for r in responses]
    assert outcomes.count("LoggedIn") == 1, outcomes
    assert set(outcomes) <= {
        "LoggedIn",
        "WrongStepError",
        "TooManyAttemptsError",
        "UNAUTHENTICATED",
    }, outcomes
    assert sum("set-cookie" in r.headers for r in responses) == 1
    assert (await browser.execute(doc.VIEWER))["viewer"]["email"] == EMAIL


async def test_concurrent_right_codes_give_a_native_app_one_session(
    new_http: HttpFactory,
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
) -> None:
    # given
    await make_user(EMAIL)
    await enroll_with_sms(browser, messagebird, EMAIL)
    async with new_http() as http:
        challenge = await log_in(GraphQLClient(http), EMAIL, native=True)
        app = GraphQLClient(http, bearer=challenge["pendingToken"])
        await send(app)
        code = messagebird.last_code(PHONE)

        # when
        responses = await asyncio.gather(
            *(app.post(doc.VERIFY_LOGIN_CODE, verify(code)) for _ in range(20))
        )

        # then
        tokens = [
            r.json()["data"]["verifyLoginCode"].get("sessionToken")
            for r in responses
            if outcome(r, "verifyLoginCode") == "LoggedIn"
        ]
        assert len(tokens) == 1
        assert tokens[0]


@pytest.mark.parametrize(
    ("document", "variables", "field"),
    [
        (doc.START_MFA_SETUP, None, "startMfaSetup"),
        (doc.CHOOSE_MFA_METHOD, {"input": {"method": "SMS"}}, "chooseMfaMethod"),
        (
            doc.SEND_SMS_CODE,
            {"input": {"countryCode": "+1", "phoneNumber": "201 555 0145"}},
            "sendSmsCode",
        ),
        (doc.RESEND_SMS_CODE, None, "resendSmsCode"),
        (doc.VERIFY_SMS_CODE, {"input": {"code": "123456"}}, "verifySmsCode"),
        (doc.CONFIRM_RECOVERY_CODE_SAVED, doc.SAVED, "confirmRecoveryCodeSaved"),
    ],
)
async def test_enrollment_mutations_during_a_challenge_are_out_of_step(
    document: str,
    variables: dict | None,
    field: str,
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
) -> None:
    # given
    await make_user(EMAIL)
    await challenged(browser, messagebird)
    texts_before = len(messagebird.messages)

    # when
    result = (await browser.execute(document, variables))[field]

    # then
    assert result["__typename"] == "WrongStepError"
    assert result["code"] == "WRONG_STEP"
    assert result["currentStep"] == "CHALLENGE"
    assert len(messagebird.messages) == texts_before
    assert (await browser.execute(doc.VIEWER))["viewer"] is None


async def test_after_signing_in_is_out_of_step(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    await make_user(EMAIL)
    await challenged(browser, messagebird)
    await send(browser)
    code = messagebird.last_code(PHONE)
    assert (await submit(browser, code))["__typename"] == "LoggedIn"

    # when
    again = await submit(browser, code)

    # then
    assert again["__typename"] == "WrongStepError"
    assert again["currentStep"] == "COMPLETE"


async def test_during_enrollment_is_out_of_step(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    await make_user(EMAIL)
    assert (await log_in(browser, EMAIL))["__typename"] == "MfaSetupRequired"

    # when
    result = await submit(browser, "123456")

    # then
    assert result["__typename"] == "WrongStepError"
    assert result["currentStep"] == "SETUP_REQUIRED"


async def test_without_a_session_is_unauthenticated(browser: GraphQLClient) -> None:
    # when
    codes = await error_codes(browser, doc.VERIFY_LOGIN_CODE, verify("123456"))

    # then
    assert codes == ["UNAUTHENTICATED"]
