"""verifySmsCode: the texted enrollment code, its limits, and what a right code hands out."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from datetime import timedelta

import pytest

from graph.context import SESSION_COOKIE
from models.enums import PayRole
from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.clients import HttpFactory
from tests.support.codes import other_code
from tests.support.constants import PHONE
from tests.support.flows import log_in, reach_code_verification
from tests.support.graphql import ORIGIN, GraphQLClient, error_codes, outcome
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.users import MakeUser

EMAIL = "payee@example.com"
OTHER_EMAIL = "other.payee@example.com"
OTHER_PHONE = "+12015550145"
RECOVERY_CODE_SHAPE = re.compile(r"^[A-Z2-7]{4}(-[A-Z2-7]{4}){5}$")


def verify(code: str) -> dict:
    return {"input": {"code": code}}


async def submit(client: GraphQLClient, code: str) -> dict:
    return (await client.execute(doc.VERIFY_SMS_CODE, verify(code)))["verifySmsCode"]


async def test_right_code_issues_a_recovery_code(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    await make_user(EMAIL)
    await reach_code_verification(browser, EMAIL)

    # when
    result = await submit(browser, messagebird.last_code(PHONE))

    # then
    assert result["__typename"] == "RecoveryCodeIssued"
    assert RECOVERY_CODE_SHAPE.fullmatch(result["recoveryCode"])
    enrollment = (await browser.execute(doc.MFA_ENROLLMENT))["mfaEnrollment"]
    assert enrollment["step"] == "RECOVERY_CODE_SAVE"


async def test_wrong_codes_count_down_then_kill_the_code(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    await make_user(EMAIL)
    await reach_code_verification(browser, EMAIL)
    right = messagebird.last_code(PHONE)

    # when
    answers = [await submit(browser, other_code(right, n)) for n in range(1, 6)]

    # then
    assert [a["__typename"] for a in answers[:4]] == ["InvalidCodeError"] * 4
    assert [a["code"] for a in answers[:4]] == ["INVALID_CODE"] * 4
    assert [a["attemptsRemaining"] for a in answers[:4]] == [4, 3, 2, 1]
    assert answers[4]["__typename"] == "TooManyAttemptsError"
    assert answers[4]["code"] == "TOO_MANY_ATTEMPTS"
    assert answers[4]["signInEnded"] is False
    refused = await submit(browser, right)
    assert refused["__typename"] == "TooManyAttemptsError"
    assert refused["signInEnded"] is False
    assert (await browser.execute(doc.MFA_ENROLLMENT))["mfaEnrollment"][
        "step"
    ] == "CODE_VERIFICATION"


@pytest.mark.parametrize("typed", ["abc", "12345", "1234567", "", "12345a", "١٢٣٤٥٦"])
async def test_malformed_code_spends_no_attempt(
    typed: str,
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
) -> None:
    # given
    await make_user(EMAIL)
    await reach_code_verification(browser, EMAIL)

    # when: more malformed submissions than both the per-code and the per-sign-in limit
    answers = [await submit(browser, typed) for _ in range(11)]

    # then
    assert {a["__typename"] for a in answers} == {"InvalidCodeError"}
    assert {a["attemptsRemaining"] for a in answers} == {5}
    assert (await browser.execute(doc.MFA_ENROLLMENT))["mfaEnrollment"]["attemptsRemaining"] == 5
    assert (await submit(browser, messagebird.last_code(PHONE)))["__typename"] == (
        "RecoveryCodeIssued"
    )


@pytest.mark.parametrize(
    "layout",
    [
        lambda c: f"{c[:3]} {c[3:]}",
        lambda c: f"{c[:3]}-{c[3:]}",
        lambda c: f"  {c}  ",
        lambda c: " ".join(c),
        lambda c: f"{c[:2]}-{c[2:4]} {c[4:]}",
    ],
    ids=["space", "dash", "padded", "spaced-digits", "mixed"],
)
async def test_code_typed_with_spaces_or_dashes_is_accepted(
    layout: Callable[[str], str],
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
) -> None:
    # given
    await make_user(EMAIL)
    await reach_code_verification(browser, EMAIL)

    # when
    result = await submit(browser, layout(messagebird.last_code(PHONE)))

    # then
    assert result["__typename"] == "RecoveryCodeIssued"


async def test_expired_code_is_refused(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given: 30 minutes pass while the user stays active (an idle session would end first)
    await make_user(EMAIL)
    await reach_code_verification(browser, EMAIL)
    for _ in range(3):
        clock.advance(timedelta(minutes=10))
        assert (await browser.execute(doc.MFA_ENROLLMENT))["mfaEnrollment"] is not None

    # when
    result = await submit(browser, messagebird.last_code(PHONE))

    # then
    assert result["__typename"] == "CodeExpiredError"
    assert result["code"] == "CODE_EXPIRED"


async def test_code_just_before_expiry_still_works(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    await make_user(EMAIL)
    await reach_code_verification(browser, EMAIL)
    clock.advance(timedelta(minutes=20))
    assert (await browser.execute(doc.MFA_ENROLLMENT))["mfaEnrollment"] is not None
    clock.advance(timedelta(minutes=9, seconds=59))

    # when
    result = await submit(browser, messagebird.last_code(PHONE))

    # then
    assert result["__typename"] == "RecoveryCodeIssued"


async def test_code_reused_after_success_is_out_of_step(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    await make_user(EMAIL)
    await reach_code_verification(browser, EMAIL)
    code = messagebird.last_code(PHONE)
    assert (await submit(browser, code))["__typename"] == "RecoveryCodeIssued"

    # when
    again = await submit(browser, code)

    # then
    assert again["__typename"] == "WrongStepError"
    assert again["code"] == "WRONG_STEP"
    assert again["currentStep"] == "RECOVERY_CODE_SAVE"


async def test_code_of_another_users_flow_does_not_work(
    new_http: HttpFactory,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
) -> None:
    # given: two users enrolling two different phones at the same time
    await make_user(EMAIL)
    await make_user(OTHER_EMAIL)
    async with new_http() as first_http, new_http() as second_http:
        first, second = GraphQLClient(first_http), GraphQLClient(second_http)
        await reach_code_verification(first, EMAIL, "201 555 0123")
        await reach_code_verification(second, OTHER_EMAIL, "201 555 0145")
        first_code, second_code = messagebird.last_code(PHONE), messagebird.last_code(OTHER_PHONE)
        assert first_code != second_code

        # when
        crossed_into_first = await submit(first, second_code)
        crossed_into_second = await submit(second, first_code)

        # then
        assert crossed_into_first["__typename"] == "InvalidCodeError"
        assert crossed_into_first["attemptsRemaining"] == 4
        assert crossed_into_second["__typename"] == "InvalidCodeError"
        assert crossed_into_second["attemptsRemaining"] == 4
        assert (await submit(first, first_code))["__typename"] == "RecoveryCodeIssued"
        assert (await submit(second, second_code))["__typename"] == "RecoveryCodeIssued"


async def test_code_of_the_same_users_other_enrollment_does_not_work(
    new_http: HttpFactory,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
) -> None:
    # given: one user enrolling the same phone from two browsers
    await make_user(EMAIL)
    async with new_http() as first_http, new_http() as second_http:
        first, second = GraphQLClient(first_http), GraphQLClient(second_http)
        await reach_code_verification(first, EMAIL)
        first_code = messagebird.last_code(PHONE)
        await reach_code_verification(second, EMAIL)
        second_code = messagebird.last_code(PHONE)
        assert first_code != second_code

        # when
        crossed = await submit(second, first_code)

        # then
        assert crossed["__typename"] == "InvalidCodeError"
        assert (await submit(first, first_code))["__typename"] == "RecoveryCodeIssued"
        assert (await submit(second, second_code))["__typename"] == "RecoveryCodeIssued"


async def test_concurrent_right_codes_succeed_exactly_once(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    await make_user(EMAIL)
    await reach_code_verification(browser, EMAIL)
    code = messagebird.last_code(PHONE)

    # when
    responses = await asyncio.gather(
        *(browser.post(doc.VERIFY_SMS_CODE, verify(code)) for _ in range(20))
    )

    # then
    outcomes = [outcome(r, "verifySmsCode") for r in responses]
    assert outcomes.count("RecoveryCodeIssued") == 1, outcomes
    assert set(outcomes) <= {"RecoveryCodeIssued", "WrongStepError", "TooManyAttemptsError"}
    assert (await browser.execute(doc.MFA_ENROLLMENT))["mfaEnrollment"][
        "step"
    ] == "RECOVERY_CODE_SAVE"


async def test_concurrent_wrong_codes_get_no_more_than_five_guesses(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    await make_user(EMAIL)
    await reach_code_verification(browser, EMAIL)
    right = messagebird.last_code(PHONE)

    # when
    responses = await asyncio.gather(
        *(browser.post(doc.VERIFY_SMS_CODE, verify(other_code(right, n))) for n in range(1, 21))
    )

    # then: at most 4 "try again" answers, and the code is dead even for the right digits
    outcomes = [outcome(r, "verifySmsCode") for r in responses]
    assert set(outcomes) <= {"InvalidCodeError", "TooManyAttemptsError"}, outcomes
    assert outcomes.count("InvalidCodeError") <= 4, outcomes
    assert (await browser.execute(doc.MFA_ENROLLMENT))["mfaEnrollment"]["attemptsRemaining"] == 0
    refused = await submit(browser, right)
    assert refused["__typename"] == "TooManyAttemptsError"
    assert refused["signInEnded"] is False
    # and exactly 5 failures were counted toward the sign-in's limit of 10
    clock.advance(timedelta(seconds=31))
    assert (await browser.execute(doc.RESEND_SMS_CODE))["resendSmsCode"]["__typename"] == (
        "SmsCodeSent"
    )
    fresh = messagebird.last_code(PHONE)
    later = [await submit(browser, other_code(fresh, n)) for n in range(1, 6)]
    assert [a.get("attemptsRemaining") for a in later[:4]] == [4, 3, 2, 1]
    assert later[4]["__typename"] == "TooManyAttemptsError"
    assert later[4]["signInEnded"] is True


async def test_ten_wrong_codes_across_resends_end_the_sign_in(
    browser: GraphQLClient,
    new_http: HttpFactory,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given: the first code was killed by 5 wrong guesses, and a new one was sent
    await make_user(EMAIL)
    await reach_code_verification(browser, EMAIL)
    pending_cookie = browser.http.cookies.get(SESSION_COOKIE)
    assert pending_cookie
    first = messagebird.last_code(PHONE)
    first_round = [await submit(browser, other_code(first, n)) for n in range(1, 6)]
    assert first_round[4]["__typename"] == "TooManyAttemptsError"
    assert first_round[4]["signInEnded"] is False
    clock.advance(timedelta(seconds=31))
    resent = (await browser.execute(doc.RESEND_SMS_CODE))["resendSmsCode"]
    assert resent["__typename"] == "SmsCodeSent"
    second = messagebird.last_code(PHONE)

    # when
    second_round = [await submit(browser, other_code(second, n)) for n in range(1, 6)]

    # then: the resend did not reset the sign-in's failure count
    assert [a["__typename"] for a in second_round[:4]] == ["InvalidCodeError"] * 4
    assert [a["attemptsRemaining"] for a in second_round[:4]] == [4, 3, 2, 1]
    assert second_round[4]["__typename"] == "TooManyAttemptsError"
    assert second_round[4]["code"] == "TOO_MANY_ATTEMPTS"
    assert second_round[4]["signInEnded"] is True
    assert browser.http.cookies.get(SESSION_COOKIE) is None
    assert await error_codes(browser, doc.VERIFY_SMS_CODE, verify(second)) == ["UNAUTHENTICATED"]
    # the pending session is revoked on the server, not only forgotten by the browser
    async with new_http() as http:
        replayed = await http.post(
            "/graphql",
            json={"query": doc.VERIFY_SMS_CODE, "variables": verify(second)},
            headers={"Origin": ORIGIN, "Cookie": f"{SESSION_COOKIE}={pending_cookie}"},
        )
        assert outcome(replayed, "verifySmsCode") == "UNAUTHENTICATED"


async def test_ten_wrong_codes_end_a_native_sign_in(
    new_http: HttpFactory,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given: a native client keeps presenting its pending token
    await make_user(EMAIL)
    async with new_http() as http:
        started = await log_in(GraphQLClient(http), EMAIL, native=True)
        app = GraphQLClient(http, bearer=started["pendingToken"])
        await app.execute(doc.START_MFA_SETUP)
        await app.execute(doc.CHOOSE_MFA_METHOD, {"input": {"method": "SMS"}})
        await app.execute(
            doc.SEND_SMS_CODE, {"input": {"countryCode": "+1", "phoneNumber": "201 555 0123"}}
        )
        for _ in range(5):
            await submit(app, other_code(messagebird.last_code(PHONE)))
        clock.advance(timedelta(seconds=31))
        await app.execute(doc.RESEND_SMS_CODE)
        right = messagebird.last_code(PHONE)
        for _ in range(4):
            await submit(app, other_code(right))

        # when
        last = await submit(app, other_code(right))

        # then
        assert last["__typename"] == "TooManyAttemptsError"
        assert last["signInEnded"] is True
        assert await error_codes(app, doc.VERIFY_SMS_CODE, verify(right)) == ["UNAUTHENTICATED"]
        assert (await app.execute(doc.MFA_ENROLLMENT))["mfaEnrollment"] is None


@pytest.mark.parametrize(
    ("steps_taken", "expected_step"),
    [(0, "SETUP_REQUIRED"), (1, "METHOD_SELECTION"), (2, "PHONE_NUMBER_ENTRY")],
)
async def test_code_before_one_was_sent_is_out_of_step(
    steps_taken: int,
    expected_step: str,
    browser: GraphQLClient,
    make_user: MakeUser,
) -> None:
    # given
    await make_user(EMAIL)
    assert (await log_in(browser, EMAIL))["__typename"] == "MfaSetupRequired"
    if steps_taken >= 1:
        await browser.execute(doc.START_MFA_SETUP)
    if steps_taken >= 2:
        await browser.execute(doc.CHOOSE_MFA_METHOD, {"input": {"method": "SMS"}})

    # when
    result = await submit(browser, "123456")

    # then
    assert result["__typename"] == "WrongStepError"
    assert result["code"] == "WRONG_STEP"
    assert result["currentStep"] == expected_step


async def test_full_session_is_out_of_step(browser: GraphQLClient, make_user: MakeUser) -> None:
    # given: a user without payments needs no second factor and is signed in at once
    await make_user("staff@example.com", PayRole.NONE)
    assert (await log_in(browser, "staff@example.com"))["__typename"] == "LoggedIn"

    # when
    result = await submit(browser, "123456")

    # then
    assert result["__typename"] == "WrongStepError"
    assert result["currentStep"] == "COMPLETE"


async def test_without_a_session_is_unauthenticated(browser: GraphQLClient) -> None:
    # when
    codes = await error_codes(browser, doc.VERIFY_SMS_CODE, verify("123456"))

    # then
    assert codes == ["UNAUTHENTICATED"]
