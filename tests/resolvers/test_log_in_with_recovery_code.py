"""logInWithRecoveryCode: a user without their phone passes the sign-in challenge."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from contextlib import AsyncExitStack
from datetime import timedelta

import pytest

from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.clients import HttpFactory
from tests.support.flows import app_code, enroll_with_app, enroll_with_sms, log_in
from tests.support.graphql import GraphQLClient, outcome
from tests.support.mailbox import Mailbox
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.users import MakeUser

EMAIL = "payee@example.com"
OTHER_EMAIL = "other.payee@example.com"
RECOVERY_CODE = re.compile(r"^[A-Z2-7]{4}(-[A-Z2-7]{4}){5}$")
USED_SUBJECT = "Your recovery code was used"


def recover(code: str) -> dict:
    return {"input": {"recoveryCode": code}}


def as_typed(code: str) -> str:
    """Lower case without the dashes, as someone copying it from paper might type it."""
    return code.replace("-", "").lower()


def wrong_recovery_code(right: str, n: int = 0) -> str:
    """A well-formed recovery code that is certainly not `right`."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    first = letters[(letters.index(right[0]) + 1 + n) % len(letters)]
    second = letters[(letters.index(right[1]) + 1) % len(letters)]
    return first + second + right[2:]


async def submit(client: GraphQLClient, code: str) -> dict:
    data = await client.execute(doc.LOG_IN_WITH_RECOVERY_CODE, recover(code))
    return data["logInWithRecoveryCode"]


async def confirm(client: GraphQLClient) -> dict:
    return (await client.execute(doc.CONFIRM_RECOVERY_CODE_SAVED, doc.SAVED))[
        "confirmRecoveryCodeSaved"
    ]


def used_emails(mailbox: Mailbox, address: str = EMAIL) -> list:
    return [m for m in mailbox.to(address) if USED_SUBJECT in m["Subject"]]


async def enrolled(
    client: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
    method: str = "SMS",
    email: str = EMAIL,
) -> str:
    """A payee enrolled with `method` and signed out; returns the saved recovery code."""
    await make_user(email)
    if method == "SMS":
        code = await enroll_with_sms(client, messagebird, email)
    else:
        _, code = await enroll_with_app(client, email, clock)
    await client.execute(doc.LOG_OUT)
    return code


async def challenged(client: GraphQLClient, email: str = EMAIL) -> None:
    assert (await log_in(client, email))["__typename"] == "MfaChallengeRequired"


@pytest.mark.parametrize("method", ["SMS", "AUTHENTICATOR_APP"])
async def test_the_saved_code_as_typed_issues_a_new_one(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
    method: str,
) -> None:
    # given
    saved = await enrolled(browser, make_user, messagebird, clock, method)
    await challenged(browser)

    # when
    result = await submit(browser, as_typed(saved))

    # then
    assert result["__typename"] == "RecoveryCodeIssued"
    assert RECOVERY_CODE.match(result["recoveryCode"]), result
    assert result["recoveryCode"] != saved
    assert (await browser.execute(doc.ENROLLMENT_STEP))["mfaEnrollment"]["step"] == (
        "RECOVERY_CODE_SAVE"
    )
    assert (await browser.execute(doc.VIEWER))["viewer"] is None


@pytest.mark.parametrize(
    "typing",
    [
        lambda code: code,
        lambda code: code.lower(),
        lambda code: code.replace("-", ""),
        lambda code: code.replace("-", " ").lower(),
        lambda code: f"  {code}  ",
    ],
    ids=["as-shown", "lower-case", "no-dashes", "spaces", "padded"],
)
async def test_any_case_and_separators_are_accepted(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
    typing: Callable[[str], str],
) -> None:
    # given
    saved = await enrolled(browser, make_user, messagebird, clock)
    await challenged(browser)

    # when
    result = await submit(browser, typing(saved))

    # then
    assert result["__typename"] == "RecoveryCodeIssued"


@pytest.mark.parametrize("method", ["SMS", "AUTHENTICATOR_APP"])
async def test_confirming_the_new_code_signs_in(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
    method: str,
) -> None:
    # given
    saved = await enrolled(browser, make_user, messagebird, clock, method)
    await challenged(browser)
    assert (await submit(browser, as_typed(saved)))["__typename"] == "RecoveryCodeIssued"

    # when
    done = await confirm(browser)

    # then
    assert done["__typename"] == "LoggedIn"
    assert done["user"]["email"] == EMAIL
    assert done["user"]["mfa"]["methods"] == [method]
    assert (await browser.execute(doc.VIEWER))["viewer"]["email"] == EMAIL


async def test_not_ticking_saved_keeps_the_sign_in_waiting(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn, clock: ManualClock
) -> None:
    # given
    saved = await enrolled(browser, make_user, messagebird, clock)
    await challenged(browser)
    await submit(browser, saved)

    # when
    refused = (await browser.execute(doc.CONFIRM_RECOVERY_CODE_SAVED, {"input": {"saved": False}}))[
        "confirmRecoveryCodeSaved"
    ]

    # then
    assert refused["__typename"] == "RecoveryCodeNotSavedError"
    assert refused["code"] == "RECOVERY_CODE_NOT_SAVED"
    assert (await browser.execute(doc.VIEWER))["viewer"] is None
    assert (await confirm(browser))["__typename"] == "LoggedIn"


async def test_an_email_tells_the_account_the_code_was_used(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
    mailbox: Mailbox,
) -> None:
    # given
    saved = await enrolled(browser, make_user, messagebird, clock)
    await challenged(browser)
    assert used_emails(mailbox) == []

    # when
    issued = await submit(browser, as_typed(saved))

    # then
    [message] = used_emails(mailbox)
    assert message["To"] == EMAIL
    body = message.get_content()
    assert "If this was not you" in body
    for code in (saved, issued["recoveryCode"]):
        assert code not in body
        assert code.replace("-", "") not in body


async def test_next_sign_in_refuses_the_old_code_and_takes_the_new_one(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn, clock: ManualClock
) -> None:
    # given
    old = await enrolled(browser, make_user, messagebird, clock)
    await challenged(browser)
    new = (await submit(browser, as_typed(old)))["recoveryCode"]
    await confirm(browser)
    await browser.execute(doc.LOG_OUT)
    await challenged(browser)

    # when
    with_old = await submit(browser, old)
    with_new = await submit(browser, new)

    # then
    assert with_old["__typename"] == "InvalidCodeError"
    assert with_old["code"] == "INVALID_CODE"
    assert with_new["__typename"] == "RecoveryCodeIssued"


async def test_the_new_code_is_active_even_if_the_sign_in_is_abandoned(
    new_http: HttpFactory,
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given: the new code was shown, but the browser went away without confirming
    old = await enrolled(browser, make_user, messagebird, clock)
    await challenged(browser)
    new = (await submit(browser, old))["recoveryCode"]

    async with new_http() as http:
        later = GraphQLClient(http)
        await challenged(later)

        # when
        with_old = await submit(later, old)
        with_new = await submit(later, new)

        # then
        assert with_old["__typename"] == "InvalidCodeError"
        assert with_new["__typename"] == "RecoveryCodeIssued"


async def test_another_users_code_is_refused(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn, clock: ManualClock
) -> None:
    # given
    others = await enrolled(
        browser, make_user, messagebird, clock, "AUTHENTICATOR_APP", OTHER_EMAIL
    )
    clock.advance(timedelta(minutes=1))
    await enrolled(browser, make_user, messagebird, clock)
    await challenged(browser)

    # when
    result = await submit(browser, others)

    # then
    assert result["__typename"] == "InvalidCodeError"
    await browser.execute(doc.LOG_OUT)
    await challenged(browser, OTHER_EMAIL)
    assert (await submit(browser, others))["__typename"] == "RecoveryCodeIssued"


async def test_wrong_codes_count_toward_the_ten_failure_limit(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn, clock: ManualClock
) -> None:
    # given
    saved = await enrolled(browser, make_user, messagebird, clock)
    await challenged(browser)

    # when
    answers = [await submit(browser, wrong_recovery_code(saved, n)) for n in range(10)]

    # then
    assert [a["__typename"] for a in answers[:9]] == ["InvalidCodeError"] * 9
    assert [a["attemptsRemaining"] for a in answers[:9]] == [9, 8, 7, 6, 5, 4, 3, 2, 1]
    assert answers[9]["__typename"] == "TooManyAttemptsError"
    assert answers[9]["code"] == "TOO_MANY_ATTEMPTS"
    assert answers[9]["signInEnded"] is True
    errors = await browser.errors(doc.LOG_IN_WITH_RECOVERY_CODE, recover(saved))
    assert [e["extensions"]["code"] for e in errors] == ["UNAUTHENTICATED"]
    # and the right code was not spent: it works in a new sign-in
    await challenged(browser)
    assert (await submit(browser, saved))["__typename"] == "RecoveryCodeIssued"


async def test_wrong_app_and_recovery_codes_share_the_limit(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn, clock: ManualClock
) -> None:
    # given: five wrong app codes
    await make_user(EMAIL)
    secret, saved = await enroll_with_app(browser, EMAIL, clock)
    await browser.execute(doc.LOG_OUT)
    clock.advance(timedelta(minutes=10))
    await challenged(browser)
    window = {app_code(secret, clock.now(), s) for s in (-1, 0, 1)}
    wrong_app = [c for c in (f"{n:06d}" for n in range(20)) if c not in window][:5]
    for code in wrong_app:
        await browser.execute(doc.VERIFY_LOGIN_CODE, {"input": {"code": code}})

    # when
    answers = [await submit(browser, wrong_recovery_code(saved, n)) for n in range(5)]

    # then
    assert [a["attemptsRemaining"] for a in answers[:4]] == [4, 3, 2, 1]
    assert answers[4]["__typename"] == "TooManyAttemptsError"
    assert answers[4]["signInEnded"] is True


async def test_the_recovery_code_works_after_the_app_code_died(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given: five wrong app codes kill the app for this sign-in
    await make_user(EMAIL)
    secret, saved = await enroll_with_app(browser, EMAIL, clock)
    await browser.execute(doc.LOG_OUT)
    clock.advance(timedelta(minutes=10))
    await challenged(browser)
    window = {app_code(secret, clock.now(), s) for s in (-1, 0, 1)}
    for code in [c for c in (f"{n:06d}" for n in range(20)) if c not in window][:5]:
        await browser.execute(doc.VERIFY_LOGIN_CODE, {"input": {"code": code}})

    # when
    result = await submit(browser, saved)

    # then
    assert result["__typename"] == "RecoveryCodeIssued"
    assert (await confirm(browser))["__typename"] == "LoggedIn"


async def test_one_code_in_twenty_parallel_sign_ins_is_spent_once(
    new_http: HttpFactory,
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
    mailbox: Mailbox,
) -> None:
    # given: 20 browsers at their own sign-in challenge, all holding the same code
    saved = await enrolled(browser, make_user, messagebird, clock)
    async with AsyncExitStack() as stack:
        clients = [GraphQLClient(await stack.enter_async_context(new_http())) for _ in range(20)]
        for client in clients:
            await challenged(client)

        # when
        responses = await asyncio.gather(
            *(c.post(doc.LOG_IN_WITH_RECOVERY_CODE, recover(saved)) for c in clients)
        )

        # then
        outcomes = [outcome(r, "logInWithRecoveryCode") for r in responses]
        assert outcomes.count("RecoveryCodeIssued") == 1, outcomes
        assert set(outcomes) <= {"RecoveryCodeIssued", "InvalidCodeError"}, outcomes
        winner = clients[outcomes.index("RecoveryCodeIssued")]
        assert (await confirm(winner))["__typename"] == "LoggedIn"
        assert len(used_emails(mailbox)) == 1


async def test_one_code_sent_twenty_times_in_one_sign_in_is_spent_once(
    new_http: HttpFactory,
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
    mailbox: Mailbox,
) -> None:
    # given
    saved = await enrolled(browser, make_user, messagebird, clock)
    await challenged(browser)

    # when
    responses = await asyncio.gather(
        *(browser.post(doc.LOG_IN_WITH_RECOVERY_CODE, recover(saved)) for _ in range(20))
    )

    # then
    outcomes = [outcome(r, "logInWithRecoveryCode") for r in responses]
    assert outcomes.count("RecoveryCodeIssued") == 1, outcomes
    assert set(outcomes) <= {
        "RecoveryCodeIssued",
        "InvalidCodeError",
        "TooManyAttemptsError",
        "WrongStepError",
    }, outcomes
    assert len(used_emails(mailbox)) == 1
    # and the one new code shown is the one that works from now on
    [issued] = [
        r.json()["data"]["logInWithRecoveryCode"]["recoveryCode"]
        for r, o in zip(responses, outcomes, strict=True)
        if o == "RecoveryCodeIssued"
    ]
    async with new_http() as http:
        later = GraphQLClient(http)
        await challenged(later)
        assert (await submit(later, saved))["__typename"] == "InvalidCodeError"
        assert (await submit(later, issued))["__typename"] == "RecoveryCodeIssued"


async def test_during_enrollment_it_is_out_of_step(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    await make_user(EMAIL)
    assert (await log_in(browser, EMAIL))["__typename"] == "MfaSetupRequired"

    # when
    result = await submit(browser, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF")

    # then
    assert result["__typename"] == "WrongStepError"
    assert result["code"] == "WRONG_STEP"
    assert result["currentStep"] == "SETUP_REQUIRED"


async def test_at_recovery_code_save_of_enrollment_it_is_out_of_step(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock, mailbox: Mailbox
) -> None:
    # given: the code just shown at enrollment, not yet confirmed
    await make_user(EMAIL)
    await log_in(browser, EMAIL)
    await browser.execute(doc.START_MFA_SETUP)
    chosen = (await browser.execute(doc.CHOOSE_AUTHENTICATOR_APP))["chooseMfaMethod"]
    secret = chosen["secret"].replace(" ", "")
    verified = await browser.execute(
        doc.VERIFY_AUTHENTICATOR_CODE, {"input": {"code": app_code(secret, clock.now())}}
    )
    shown = verified["verifyAuthenticatorCode"]["recoveryCode"]

    # when
    result = await submit(browser, shown)

    # then
    assert result["__typename"] == "WrongStepError"
    assert result["currentStep"] == "RECOVERY_CODE_SAVE"
    assert used_emails(mailbox) == []


async def test_when_signed_in_it_is_out_of_step(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn, mailbox: Mailbox
) -> None:
    # given
    await make_user(EMAIL)
    saved = await enroll_with_sms(browser, messagebird, EMAIL)

    # when
    result = await submit(browser, saved)

    # then
    assert result["__typename"] == "WrongStepError"
    assert result["currentStep"] == "COMPLETE"
    assert used_emails(mailbox) == []


async def test_signed_out_caller_is_unauthenticated(browser: GraphQLClient) -> None:
    # when
    errors = await browser.errors(doc.LOG_IN_WITH_RECOVERY_CODE, recover("AAAA-BBBB"))
    # then
    assert [e["extensions"]["code"] for e in errors] == ["UNAUTHENTICATED"]


async def test_a_native_app_gets_a_session_token_after_confirming(
    new_http: HttpFactory,
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    saved = await enrolled(browser, make_user, messagebird, clock)
    async with new_http() as http:
        pending = await log_in(GraphQLClient(http), EMAIL, native=True)
        app = GraphQLClient(http, bearer=pending["pendingToken"])
        assert (await submit(app, saved))["__typename"] == "RecoveryCodeIssued"

        # when
        done = await confirm(app)

        # then
        assert done["__typename"] == "LoggedIn"
        assert done["sessionToken"]
        signed_in = GraphQLClient(http, bearer=done["sessionToken"])
        assert (await signed_in.execute(doc.VIEWER))["viewer"]["email"] == EMAIL
