"""Signing in with the authenticator app: logIn, then verifyLoginCode with an app code.

Also users who hold both factors (the app and SMS) and pick one, or get the preferred one.
"""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack
from datetime import timedelta

import pytest

from models.enums import MfaMethod
from models.stored_phone import stored_phone
from models.user import User
from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.clients import HttpFactory
from tests.support.codes import wrong_app_code
from tests.support.constants import PASSWORD, PHONE, SECRET_KEY
from tests.support.flows import app_code, enroll_with_app, log_in
from tests.support.graphql import GraphQLClient, outcome
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.users import MakeUser

EMAIL = "payee@example.com"


def verify(code: str, method: str | None = None) -> dict:
    return {"input": {"code": code, "method": method}}


async def challenge(client: GraphQLClient, native: bool = False) -> dict:
    variables = {
        "input": {
            "email": EMAIL,
            "password": PASSWORD,
            "client": "NATIVE" if native else "BROWSER",
        }
    }
    return (await client.execute(doc.LOG_IN, variables))["logIn"]


async def submit(client: GraphQLClient, code: str, method: str | None = None) -> dict:
    data = await client.execute(doc.VERIFY_LOGIN_CODE_WITH_METHOD, verify(code, method))
    return data["verifyLoginCode"]


async def enrolled_with_app(client: GraphQLClient, make_user: MakeUser, clock: ManualClock) -> str:
    """A payee enrolled with the app and signed out, minutes later; returns the app secret."""
    await make_user(EMAIL)
    secret, _ = await enroll_with_app(client, EMAIL, clock)
    await client.execute(doc.LOG_OUT)
    # Far from the step accepted at enrollment, so every step of the window is unused.
    clock.advance(timedelta(minutes=10))
    return secret


async def holding_both(client: GraphQLClient, make_user: MakeUser, clock: ManualClock) -> str:
    """A payee holding the app and a verified phone, signed out; returns the app secret."""
    secret = await enrolled_with_app(client, make_user, clock)
    await User.filter(email=EMAIL).update(
        **stored_phone(SECRET_KEY, PHONE), phone_verified_at=clock.now()
    )
    return secret


# The authenticator app alone


async def test_log_in_asks_an_app_user_for_the_app(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given
    await enrolled_with_app(browser, make_user, clock)

    # when
    result = await challenge(browser)

    # then
    assert result == {
        "__typename": "MfaChallengeRequired",
        "pendingToken": None,
        "methods": ["AUTHENTICATOR_APP"],
        "preferredMethod": "AUTHENTICATOR_APP",
        "maskedPhoneNumber": None,
    }


@pytest.mark.parametrize("method", [None, "AUTHENTICATOR_APP"])
async def test_the_current_app_code_signs_in(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock, method: str | None
) -> None:
    # given
    secret = await enrolled_with_app(browser, make_user, clock)
    await challenge(browser)

    # when
    result = await submit(browser, app_code(secret, clock.now()), method)

    # then
    assert result["__typename"] == "LoggedIn"
    assert result["user"]["email"] == EMAIL
    assert result["user"]["mfa"] == {
        "enrolled": True,
        "methods": ["AUTHENTICATOR_APP"],
        "preferredMethod": "AUTHENTICATOR_APP",
    }
    assert (await browser.execute(doc.VIEWER_FACTORS))["viewer"]["email"] == EMAIL


@pytest.mark.parametrize("drift", [-1, 1])
async def test_an_app_code_one_step_off_signs_in(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock, drift: int
) -> None:
    # given
    secret = await enrolled_with_app(browser, make_user, clock)
    await challenge(browser)

    # when
    result = await submit(browser, app_code(secret, clock.now(), drift))

    # then
    assert result["__typename"] == "LoggedIn"


@pytest.mark.parametrize("drift", [-2, 2])
async def test_an_app_code_two_steps_off_is_refused(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock, drift: int
) -> None:
    # given
    secret = await enrolled_with_app(browser, make_user, clock)
    await challenge(browser)
    far = app_code(secret, clock.now(), drift)
    assert far not in {app_code(secret, clock.now(), s) for s in (-1, 0, 1)}

    # when
    result = await submit(browser, far)

    # then
    assert result["__typename"] == "InvalidCodeError"
    assert result["code"] == "INVALID_CODE"
    assert result["attemptsRemaining"] == 4
    assert (await browser.execute(doc.VIEWER_FACTORS))["viewer"] is None


async def test_a_native_app_gets_a_session_token(
    new_http: HttpFactory,
    browser: GraphQLClient,
    make_user: MakeUser,
    clock: ManualClock,
) -> None:
    # given
    secret = await enrolled_with_app(browser, make_user, clock)
    async with new_http() as http:
        pending = await challenge(GraphQLClient(http), native=True)
        assert pending["pendingToken"]
        app = GraphQLClient(http, bearer=pending["pendingToken"])

        # when
        result = await submit(app, app_code(secret, clock.now()))

        # then
        assert result["__typename"] == "LoggedIn"
        assert result["sessionToken"]
        signed_in = GraphQLClient(http, bearer=result["sessionToken"])
        assert (await signed_in.execute(doc.VIEWER_FACTORS))["viewer"]["email"] == EMAIL


async def test_a_code_accepted_once_is_refused_in_a_new_sign_in(
    new_http: HttpFactory,
    browser: GraphQLClient,
    make_user: MakeUser,
    clock: ManualClock,
) -> None:
    # given: signed in with this step's code in one browser
    secret = await enrolled_with_app(browser, make_user, clock)
    code = app_code(secret, clock.now())
    await challenge(browser)
    assert (await submit(browser, code))["__typename"] == "LoggedIn"

    async with new_http() as http:
        other = GraphQLClient(http)
        await challenge(other)

        # when: the same code, same time step, in another sign-in of the same user
        replayed = await submit(other, code)

        # then
        assert replayed["__typename"] == "InvalidCodeError"
        assert replayed["code"] == "INVALID_CODE"
        assert (await other.execute(doc.VIEWER_FACTORS))["viewer"] is None
        # and the next step's code still works there
        clock.advance(timedelta(seconds=30))
        assert (await submit(other, app_code(secret, clock.now())))["__typename"] == "LoggedIn"


async def test_an_older_step_than_the_last_accepted_one_is_refused(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given: the code of the step after now was accepted (a fast phone clock)
    secret = await enrolled_with_app(browser, make_user, clock)
    await challenge(browser)
    assert (await submit(browser, app_code(secret, clock.now(), 1)))["__typename"] == "LoggedIn"
    await browser.execute(doc.LOG_OUT)
    await challenge(browser)

    # when: the current step's code, still inside the drift window
    result = await submit(browser, app_code(secret, clock.now()))

    # then
    assert result["__typename"] == "InvalidCodeError"


async def test_the_code_that_enrolled_the_app_cannot_sign_in(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given: enrolled with this step's code, clock not moved on
    await make_user(EMAIL)
    await log_in(browser, EMAIL)
    await browser.execute(doc.START_MFA_SETUP)
    chosen = (await browser.execute(doc.CHOOSE_AUTHENTICATOR_APP))["chooseMfaMethod"]
    secret = chosen["secret"].replace(" ", "")
    code = app_code(secret, clock.now())
    await browser.execute(doc.VERIFY_AUTHENTICATOR_CODE, {"input": {"code": code}})
    await browser.execute(doc.CONFIRM_RECOVERY_CODE_SAVED, doc.SAVED)
    await browser.execute(doc.LOG_OUT)
    await challenge(browser)

    # when
    result = await submit(browser, code)

    # then
    assert result["__typename"] == "InvalidCodeError"


async def test_wrong_app_codes_count_down_then_kill_the_app_for_this_sign_in(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given
    secret = await enrolled_with_app(browser, make_user, clock)
    await challenge(browser)

    # when
    answers = [await submit(browser, wrong_app_code(secret, clock.now(), n)) for n in range(5)]

    # then
    assert [a["__typename"] for a in answers[:4]] == ["InvalidCodeError"] * 4
    assert [a["attemptsRemaining"] for a in answers[:4]] == [4, 3, 2, 1]
    assert answers[4]["__typename"] == "TooManyAttemptsError"
    assert answers[4]["signInEnded"] is False
    refused = await submit(browser, app_code(secret, clock.now()))
    assert refused["__typename"] == "TooManyAttemptsError"
    assert (await browser.execute(doc.VIEWER_FACTORS))["viewer"] is None


async def test_sms_is_not_allowed_for_an_app_only_user(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given
    secret = await enrolled_with_app(browser, make_user, clock)
    await challenge(browser)

    # when
    result = await submit(browser, app_code(secret, clock.now()), "SMS")

    # then
    assert result["__typename"] == "MethodNotAllowedError"
    assert result["code"] == "METHOD_NOT_ALLOWED"
    assert result["allowedMethods"] == ["AUTHENTICATOR_APP"]
    assert (await browser.execute(doc.VIEWER_FACTORS))["viewer"] is None
    # and the refusal spent no attempt: the app code still works
    assert (await submit(browser, app_code(secret, clock.now())))["__typename"] == "LoggedIn"


async def test_send_login_code_is_not_allowed_for_an_app_only_user(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock, messagebird: MessageBirdStandIn
) -> None:
    # given
    await enrolled_with_app(browser, make_user, clock)
    await challenge(browser)

    # when
    data = await browser.execute(
        "mutation { sendLoginCode { __typename"
        " ... on MethodNotAllowedError { code allowedMethods } } }"
    )

    # then
    assert data["sendLoginCode"] == {
        "__typename": "MethodNotAllowedError",
        "code": "METHOD_NOT_ALLOWED",
        "allowedMethods": ["AUTHENTICATOR_APP"],
    }
    assert messagebird.messages == []


async def test_concurrent_submissions_in_one_sign_in_sign_in_once(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given
    secret = await enrolled_with_app(browser, make_user, clock)
    await challenge(browser)
    code = app_code(secret, clock.now())

    # when
    responses = await asyncio.gather(
        *(browser.post(doc.VERIFY_LOGIN_CODE_WITH_METHOD, verify(code)) for _ in range(20))
    )

    # then
    outcomes = [outcome(r, "verifyLoginCode") for r in responses]
    assert outcomes.count("LoggedIn") == 1, outcomes
    assert set(outcomes) <= {
        "LoggedIn",
        "InvalidCodeError",
        "TooManyAttemptsError",
        "WrongStepError",
        "UNAUTHENTICATED",
    }, outcomes


async def test_one_code_in_twenty_parallel_sign_ins_signs_in_once(
    new_http: HttpFactory,
    browser: GraphQLClient,
    make_user: MakeUser,
    clock: ManualClock,
) -> None:
    # given: 20 browsers of the same user, each at its own sign-in challenge
    secret = await enrolled_with_app(browser, make_user, clock)
    code = app_code(secret, clock.now())
    async with AsyncExitStack() as stack:
        clients = [GraphQLClient(await stack.enter_async_context(new_http())) for _ in range(20)]
        for client in clients:
            assert (await challenge(client))["__typename"] == "MfaChallengeRequired"

        # when
        responses = await asyncio.gather(
            *(c.post(doc.VERIFY_LOGIN_CODE_WITH_METHOD, verify(code)) for c in clients)
        )

        # then
        outcomes = [outcome(r, "verifyLoginCode") for r in responses]
        assert outcomes.count("LoggedIn") == 1, outcomes
        assert set(outcomes) <= {"LoggedIn", "InvalidCodeError"}, outcomes
        viewers = [(await c.execute(doc.VIEWER_FACTORS))["viewer"] for c in clients]
        assert sum(v is not None for v in viewers) == 1


# Both factors


async def test_log_in_offers_both_factors_app_first(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given
    await holding_both(browser, make_user, clock)

    # when
    result = await challenge(browser)

    # then
    assert result["__typename"] == "MfaChallengeRequired"
    assert result["methods"] == ["AUTHENTICATOR_APP", "SMS"]
    assert result["preferredMethod"] == "AUTHENTICATOR_APP"
    masked = result["maskedPhoneNumber"]
    assert masked.endswith("23")
    assert "555" not in masked


async def test_a_texted_code_signs_in_when_sms_is_named(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock, messagebird: MessageBirdStandIn
) -> None:
    # given
    await holding_both(browser, make_user, clock)
    await challenge(browser)
    sent = (await browser.execute(doc.SEND_LOGIN_CODE))["sendLoginCode"]
    assert sent["__typename"] == "SmsCodeSent", sent

    # when
    result = await submit(browser, messagebird.last_code(PHONE), "SMS")

    # then
    assert result["__typename"] == "LoggedIn"
    assert result["user"]["mfa"]["methods"] == ["AUTHENTICATOR_APP", "SMS"]


async def test_without_a_method_the_preferred_app_is_checked(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock, messagebird: MessageBirdStandIn
) -> None:
    # given
    secret = await holding_both(browser, make_user, clock)
    await challenge(browser)
    await browser.execute(doc.SEND_LOGIN_CODE)
    texted = messagebird.last_code(PHONE)
    assert texted not in {app_code(secret, clock.now(), s) for s in (-1, 0, 1)}

    # when
    texted_result = await submit(browser, texted)
    app_result = await submit(browser, app_code(secret, clock.now()))

    # then
    assert texted_result["__typename"] == "InvalidCodeError"
    assert app_result["__typename"] == "LoggedIn"


async def test_preferring_sms_makes_it_the_default(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock, messagebird: MessageBirdStandIn
) -> None:
    # given
    secret = await holding_both(browser, make_user, clock)
    await User.filter(email=EMAIL).update(preferred_method=MfaMethod.SMS)

    # when
    result = await challenge(browser)

    # then
    assert result["methods"] == ["AUTHENTICATOR_APP", "SMS"]
    assert result["preferredMethod"] == "SMS"
    await browser.execute(doc.SEND_LOGIN_CODE)
    texted = messagebird.last_code(PHONE)
    app_now = app_code(secret, clock.now())
    if app_now != texted:
        assert (await submit(browser, app_now))["__typename"] == "InvalidCodeError"
    signed_in = await submit(browser, texted)
    assert signed_in["__typename"] == "LoggedIn"
    assert signed_in["user"]["mfa"]["preferredMethod"] == "SMS"


async def test_the_app_can_be_named_when_sms_is_preferred(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given
    secret = await holding_both(browser, make_user, clock)
    await User.filter(email=EMAIL).update(preferred_method=MfaMethod.SMS)
    await challenge(browser)

    # when
    result = await submit(browser, app_code(secret, clock.now()), "AUTHENTICATOR_APP")

    # then
    assert result["__typename"] == "LoggedIn"


async def test_wrong_app_and_sms_codes_share_the_ten_failure_limit(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock, messagebird: MessageBirdStandIn
) -> None:
    # given: five wrong app codes kill the app for this sign-in
    secret = await holding_both(browser, make_user, clock)
    await challenge(browser)
    for n in range(5):
        await submit(browser, wrong_app_code(secret, clock.now(), n))
    await browser.execute(doc.SEND_LOGIN_CODE)
    texted = messagebird.last_code(PHONE)
    wrong_texts = [f"{(int(texted) + n) % 10**6:06d}" for n in range(1, 6)]

    # when
    answers = [await submit(browser, code, "SMS") for code in wrong_texts]

    # then
    assert [a["__typename"] for a in answers[:4]] == ["InvalidCodeError"] * 4
    assert answers[4]["__typename"] == "TooManyAttemptsError"
    assert answers[4]["signInEnded"] is True
    assert (await browser.execute(doc.VIEWER_FACTORS))["viewer"] is None
    assert (await browser.execute(doc.MFA_ENROLLMENT))["mfaEnrollment"] is None
