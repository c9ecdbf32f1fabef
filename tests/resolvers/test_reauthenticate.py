"""Step-up: sendReauthenticationCode and reauthenticate, before a change to the second factors.

A sign-in proves the second factor; for 15 minutes afterwards the user may change their
factors. Later, a change answers ReauthenticationRequiredError until reauthenticate succeeds.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx
import pytest

from models.enums import PayRole
from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.clients import HttpFactory
from tests.support.codes import other_code, wrong_app_code
from tests.support.constants import PHONE
from tests.support.flows import app_code, enroll_with_app, enroll_with_sms, log_in
from tests.support.graphql import GraphQLClient
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.users import MakeUser

EMAIL = "payee@example.com"
PAST_THE_WINDOW = timedelta(minutes=16)
ONE_TIME_STEP = timedelta(seconds=30)

REAUTHENTICATE = """
mutation Reauthenticate($input: ReauthenticateInput!) { reauthenticate(input: $input) {
  __typename
  ... on Reauthenticated { validUntil }
  ... on InvalidCodeError { code attemptsRemaining }
  ... on TooManyAttemptsError { code signInEnded }
  ... on MethodNotAllowedError { code allowedMethods }
  ... on UserError { code }
} }
"""

VIEWER = """
{ viewer { email mfa { methods preferredMethod maskedPhoneNumber recoveryCodeCreatedAt } } }
"""


def reauth_input(code: str, method: str | None = None) -> dict:
    return {"input": {"code": code, "method": method}}


async def reauthenticate(client: GraphQLClient, code: str, method: str | None = None) -> dict:
    return (await client.execute(REAUTHENTICATE, reauth_input(code, method)))["reauthenticate"]


async def send_reauthentication_code(client: GraphQLClient) -> dict:
    return (await client.execute(doc.SEND_REAUTHENTICATION_CODE))["sendReauthenticationCode"]


def top_level_code(response: httpx.Response) -> str:
    assert response.status_code == 200, response.text
    body = response.json()
    assert body.get("errors"), body
    return str(body["errors"][0]["extensions"]["code"])


async def sms_payee_past_the_window(
    client: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    """A payee signed in with SMS whose second factor is older than the 15-minute window."""
    await make_user(EMAIL)
    await enroll_with_sms(client, messagebird, EMAIL)
    clock.advance(PAST_THE_WINDOW)


async def app_user_past_the_window(
    client: GraphQLClient, make_user: MakeUser, clock: ManualClock, role: PayRole = PayRole.PAYEE
) -> str:
    """A user signed in with the app, past the window; returns the app secret."""
    await make_user(EMAIL, role)
    secret, _ = await enroll_with_app(client, EMAIL, clock)
    clock.advance(PAST_THE_WINDOW)
    return secret


# Asking to reauthenticate


async def test_a_fresh_sign_in_may_change_factors_without_reauthenticating(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    await make_user(EMAIL)
    await enroll_with_sms(browser, messagebird, EMAIL)

    # when
    result = (await browser.execute(doc.ADD_AUTHENTICATOR_APP))["addAuthenticatorApp"]

    # then
    assert result["__typename"] == "AuthenticatorAppMethodChosen"


async def test_a_change_after_fifteen_minutes_asks_to_reauthenticate(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    await sms_payee_past_the_window(browser, make_user, messagebird, clock)
    before = (await browser.execute(VIEWER))["viewer"]

    # when
    result = (await browser.execute(doc.REGENERATE_RECOVERY_CODE))["regenerateRecoveryCode"]

    # then
    assert result == {
        "__typename": "ReauthenticationRequiredError",
        "code": "REAUTHENTICATION_REQUIRED",
        "methods": ["SMS"],
    }
    assert (await browser.execute(VIEWER))["viewer"] == before


# SMS


async def test_send_reauthentication_code_texts_the_enrolled_phone(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    await sms_payee_past_the_window(browser, make_user, messagebird, clock)
    texts_before = len(messagebird.codes_for(PHONE))

    # when
    result = await send_reauthentication_code(browser)

    # then
    assert result["__typename"] == "SmsCodeSent"
    assert result["maskedPhoneNumber"] == "+*********23"
    assert datetime.fromisoformat(result["expiresAt"]) == clock.now() + timedelta(minutes=30)
    assert len(messagebird.codes_for(PHONE)) == texts_before + 1


async def test_the_texted_code_reauthenticates_for_fifteen_minutes(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    await sms_payee_past_the_window(browser, make_user, messagebird, clock)
    await send_reauthentication_code(browser)

    # when
    result = await reauthenticate(browser, messagebird.last_code(PHONE), "SMS")

    # then
    assert result["__typename"] == "Reauthenticated"
    assert datetime.fromisoformat(result["validUntil"]) == clock.now() + timedelta(minutes=15)


async def test_without_a_method_the_preferred_sms_is_checked(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    await sms_payee_past_the_window(browser, make_user, messagebird, clock)
    await send_reauthentication_code(browser)

    # when
    result = await reauthenticate(browser, messagebird.last_code(PHONE))

    # then
    assert result["__typename"] == "Reauthenticated"


async def test_after_reauthenticating_the_refused_change_goes_through(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    await sms_payee_past_the_window(browser, make_user, messagebird, clock)
    refused = (await browser.execute(doc.ADD_AUTHENTICATOR_APP))["addAuthenticatorApp"]
    assert refused["__typename"] == "ReauthenticationRequiredError"
    await send_reauthentication_code(browser)
    await reauthenticate(browser, messagebird.last_code(PHONE), "SMS")

    # when
    result = (await browser.execute(doc.ADD_AUTHENTICATOR_APP))["addAuthenticatorApp"]

    # then
    assert result["__typename"] == "AuthenticatorAppMethodChosen"


async def test_the_reauthentication_window_closes_after_fifteen_minutes(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    await sms_payee_past_the_window(browser, make_user, messagebird, clock)
    await send_reauthentication_code(browser)
    await reauthenticate(browser, messagebird.last_code(PHONE), "SMS")
    clock.advance(PAST_THE_WINDOW)

    # when
    result = (await browser.execute(doc.REGENERATE_RECOVERY_CODE))["regenerateRecoveryCode"]

    # then
    assert result["__typename"] == "ReauthenticationRequiredError"


async def test_a_wrong_texted_code_is_refused_and_the_change_stays_refused(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    await sms_payee_past_the_window(browser, make_user, messagebird, clock)
    await send_reauthentication_code(browser)

    # when
    result = await reauthenticate(browser, other_code(messagebird.last_code(PHONE)), "SMS")

    # then
    assert result == {
        "__typename": "InvalidCodeError",
        "code": "INVALID_CODE",
        "attemptsRemaining": 4,
    }
    refused = (await browser.execute(doc.REGENERATE_RECOVERY_CODE))["regenerateRecoveryCode"]
    assert refused["__typename"] == "ReauthenticationRequiredError"


async def test_sms_before_any_code_was_sent_has_expired(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given: the code that signed in is not a step-up code
    await sms_payee_past_the_window(browser, make_user, messagebird, clock)

    # when
    result = await reauthenticate(browser, messagebird.last_code(PHONE), "SMS")

    # then
    assert result == {"__typename": "CodeExpiredError", "code": "CODE_EXPIRED"}
    refused = (await browser.execute(doc.REGENERATE_RECOVERY_CODE))["regenerateRecoveryCode"]
    assert refused["__typename"] == "ReauthenticationRequiredError"


async def test_a_step_up_code_works_once(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    await sms_payee_past_the_window(browser, make_user, messagebird, clock)
    await send_reauthentication_code(browser)
    code = messagebird.last_code(PHONE)
    await reauthenticate(browser, code, "SMS")

    # when
    again = await reauthenticate(browser, code, "SMS")

    # then
    assert again["__typename"] == "CodeExpiredError"


async def test_ten_wrong_texted_codes_end_the_session(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given: five wrong guesses kill a code; a new one allows five more
    await sms_payee_past_the_window(browser, make_user, messagebird, clock)
    await send_reauthentication_code(browser)
    first = [
        await reauthenticate(browser, other_code(messagebird.last_code(PHONE), n), "SMS")
        for n in range(1, 6)
    ]
    clock.advance(ONE_TIME_STEP)
    assert (await send_reauthentication_code(browser))["__typename"] == "SmsCodeSent"

    # when
    second = [
        await reauthenticate(browser, other_code(messagebird.last_code(PHONE), n), "SMS")
        for n in range(1, 6)
    ]

    # then
    assert [a["__typename"] for a in first] == ["InvalidCodeError"] * 4 + ["TooManyAttemptsError"]
    assert first[4]["signInEnded"] is False
    assert [a["__typename"] for a in second[:4]] == ["InvalidCodeError"] * 4
    assert second[4] == {
        "__typename": "TooManyAttemptsError",
        "code": "TOO_MANY_ATTEMPTS",
        "signInEnded": True,
    }
    assert (await browser.execute(VIEWER))["viewer"] is None


async def test_ten_wrong_app_codes_end_the_session(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given: a payor, whose only factor is the app
    secret = await app_user_past_the_window(browser, make_user, clock, PayRole.PAYOR)

    # when
    answers = [
        await reauthenticate(browser, wrong_app_code(secret, clock.now(), n), "AUTHENTICATOR_APP")
        for n in range(10)
    ]

    # then: the product signs users out after ten failed transactional challenges
    assert [a["__typename"] for a in answers[:4]] == ["InvalidCodeError"] * 4
    assert answers[9]["__typename"] == "TooManyAttemptsError"
    assert answers[9]["signInEnded"] is True
    assert (await browser.execute(VIEWER))["viewer"] is None


# The authenticator app


@pytest.mark.parametrize("method", [None, "AUTHENTICATOR_APP"])
async def test_an_app_code_reauthenticates(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock, method: str | None
) -> None:
    # given
    secret = await app_user_past_the_window(browser, make_user, clock)

    # when
    result = await reauthenticate(browser, app_code(secret, clock.now()), method)

    # then
    assert result["__typename"] == "Reauthenticated"
    assert datetime.fromisoformat(result["validUntil"]) == clock.now() + timedelta(minutes=15)
    regenerated = (await browser.execute(doc.REGENERATE_RECOVERY_CODE))["regenerateRecoveryCode"]
    assert regenerated["__typename"] == "RecoveryCodeIssued"


async def test_a_wrong_app_code_is_refused(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given
    secret = await app_user_past_the_window(browser, make_user, clock)

    # when
    result = await reauthenticate(browser, wrong_app_code(secret, clock.now()), "AUTHENTICATOR_APP")

    # then
    assert result == {
        "__typename": "InvalidCodeError",
        "code": "INVALID_CODE",
        "attemptsRemaining": 4,
    }
    refused = (await browser.execute(doc.REGENERATE_RECOVERY_CODE))["regenerateRecoveryCode"]
    assert refused == {
        "__typename": "ReauthenticationRequiredError",
        "code": "REAUTHENTICATION_REQUIRED",
        "methods": ["AUTHENTICATOR_APP"],
    }


async def test_an_app_time_step_accepted_once_is_refused_at_the_next_step_up(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given
    secret = await app_user_past_the_window(browser, make_user, clock)
    code = app_code(secret, clock.now())
    assert (await reauthenticate(browser, code, "AUTHENTICATOR_APP"))["__typename"] == (
        "Reauthenticated"
    )

    # when
    again = await reauthenticate(browser, code, "AUTHENTICATOR_APP")

    # then
    assert again["__typename"] == "InvalidCodeError"


async def test_an_app_user_gets_no_texted_step_up_code(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    await app_user_past_the_window(browser, make_user, clock)

    # when
    result = await send_reauthentication_code(browser)

    # then
    assert result == {
        "__typename": "MethodNotAllowedError",
        "code": "METHOD_NOT_ALLOWED",
        "allowedMethods": ["AUTHENTICATOR_APP"],
    }
    assert messagebird.requests == 0


# Factors the user does not hold


async def test_an_sms_user_cannot_reauthenticate_with_an_app(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    await sms_payee_past_the_window(browser, make_user, messagebird, clock)

    # when
    result = await reauthenticate(browser, "123456", "AUTHENTICATOR_APP")

    # then
    assert result == {
        "__typename": "MethodNotAllowedError",
        "code": "METHOD_NOT_ALLOWED",
        "allowedMethods": ["SMS"],
    }


async def test_an_app_user_cannot_reauthenticate_with_sms(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given
    secret = await app_user_past_the_window(browser, make_user, clock)

    # when
    result = await reauthenticate(browser, app_code(secret, clock.now()), "SMS")

    # then
    assert result == {
        "__typename": "MethodNotAllowedError",
        "code": "METHOD_NOT_ALLOWED",
        "allowedMethods": ["AUTHENTICATOR_APP"],
    }


# Without a signed-in session


@pytest.mark.parametrize(
    ("document", "variables"),
    [
        (REAUTHENTICATE, reauth_input("123456", "SMS")),
        (doc.SEND_REAUTHENTICATION_CODE, None),
    ],
    ids=["reauthenticate", "sendReauthenticationCode"],
)
async def test_a_pending_sign_in_cannot_step_up(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    document: str,
    variables: dict | None,
) -> None:
    # given: the password is right, the second factor not yet proven
    await make_user(EMAIL)
    await enroll_with_sms(browser, messagebird, EMAIL)
    await browser.execute(doc.LOG_OUT)
    assert (await log_in(browser, EMAIL))["__typename"] == "MfaChallengeRequired"
    requests_before = messagebird.requests

    # when
    response = await browser.post(document, variables)

    # then
    assert top_level_code(response) == "UNAUTHENTICATED"
    assert messagebird.requests == requests_before


@pytest.mark.parametrize(
    ("document", "variables"),
    [
        (REAUTHENTICATE, reauth_input("123456", "SMS")),
        (doc.SEND_REAUTHENTICATION_CODE, None),
    ],
    ids=["reauthenticate", "sendReauthenticationCode"],
)
async def test_no_session_cannot_step_up(
    new_http: HttpFactory, document: str, variables: dict | None
) -> None:
    # given
    async with new_http() as http:
        stranger = GraphQLClient(http)

        # when
        response = await stranger.post(document, variables)

    # then
    assert top_level_code(response) == "UNAUTHENTICATED"
