"""removeMfaMethod: a signed-in user drops a factor, never the last usable one of a Pay user."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from models.enums import PayRole
from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.clients import HttpFactory
from tests.support.constants import PASSWORD
from tests.support.flows import app_code, enroll_with_app, enroll_with_sms
from tests.support.graphql import GraphQLClient
from tests.support.mailbox import Mailbox
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.users import MakeUser

EMAIL = "payee@example.com"
PAST_THE_WINDOW = timedelta(minutes=16)
ONE_TIME_STEP = timedelta(seconds=30)

REMOVE_MFA_METHOD = """
mutation Remove($input: MfaMethodInput!) { removeMfaMethod(input: $input) {
  __typename
  ... on MfaMethodRemoved { user { email mfa { enrolled methods preferredMethod maskedPhoneNumber authenticatorAppAddedAt } } }
  ... on ReauthenticationRequiredError { code methods }
  ... on MethodNotAllowedError { code allowedMethods }
  ... on UserError { code }
} }
"""


def remove_input(method: str) -> dict:
    return {"input": {"method": method}}


async def remove(client: GraphQLClient, method: str) -> dict:
    return (await client.execute(REMOVE_MFA_METHOD, remove_input(method)))["removeMfaMethod"]


async def viewer_mfa(client: GraphQLClient) -> dict:
    return (await client.execute(doc.VIEWER_FACTORS))["viewer"]["mfa"]


async def log_in(client: GraphQLClient) -> dict:
    return (
        await client.execute(
            doc.LOG_IN_CHALLENGE, {"input": {"email": EMAIL, "password": PASSWORD}}
        )
    )["logIn"]


async def add_app(client: GraphQLClient, clock: ManualClock) -> str:
    """Add an authenticator app to the signed-in user; returns its secret."""
    chosen = (await client.execute(doc.ADD_AUTHENTICATOR_APP))["addAuthenticatorApp"]
    assert chosen["__typename"] == "AuthenticatorAppMethodChosen", chosen
    secret = str(chosen["secret"]).replace(" ", "")
    added = await client.execute(
        doc.VERIFY_AUTHENTICATOR_CODE, {"input": {"code": app_code(secret, clock.now())}}
    )
    assert added["verifyAuthenticatorCode"]["__typename"] == "AuthenticatorAppAdded", added
    clock.advance(ONE_TIME_STEP)  # the accepted time step can never be used again
    return secret


async def payee_with_both(
    client: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> str:
    """A payee signed in moments ago who holds SMS and the app; returns the app secret."""
    await make_user(EMAIL)
    await enroll_with_sms(client, messagebird, EMAIL)
    return await add_app(client, clock)


def removal_messages(mailbox: Mailbox) -> list[str]:
    """Bodies of the emails to the account that tell of a removed factor."""
    return mailbox.bodies_mentioning(EMAIL, "removed")


# Within 15 minutes of the second factor


async def test_a_payee_with_both_removes_sms(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    await payee_with_both(browser, make_user, messagebird, clock)

    # when
    result = await remove(browser, "SMS")

    # then
    assert result["__typename"] == "MfaMethodRemoved"
    mfa = result["user"]["mfa"]
    assert mfa["enrolled"] is True
    assert mfa["methods"] == ["AUTHENTICATOR_APP"]
    assert mfa["preferredMethod"] == "AUTHENTICATOR_APP"
    assert mfa["maskedPhoneNumber"] is None
    assert (await viewer_mfa(browser))["methods"] == ["AUTHENTICATOR_APP"]


async def test_a_removed_phone_is_no_longer_offered_at_sign_in(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    await payee_with_both(browser, make_user, messagebird, clock)
    await remove(browser, "SMS")
    await browser.execute(doc.LOG_OUT)
    requests_before = messagebird.requests

    # when
    challenge = await log_in(browser)

    # then
    assert challenge == {
        "__typename": "MfaChallengeRequired",
        "methods": ["AUTHENTICATOR_APP"],
        "preferredMethod": "AUTHENTICATOR_APP",
        "maskedPhoneNumber": None,
    }
    sent = (await browser.execute(doc.SEND_LOGIN_CODE))["sendLoginCode"]
    assert sent["__typename"] == "MethodNotAllowedError"
    assert messagebird.requests == requests_before


async def test_a_payee_with_both_removes_the_app(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    await payee_with_both(browser, make_user, messagebird, clock)

    # when
    result = await remove(browser, "AUTHENTICATOR_APP")

    # then
    assert result["__typename"] == "MfaMethodRemoved"
    assert result["user"]["mfa"]["methods"] == ["SMS"]
    assert result["user"]["mfa"]["authenticatorAppAddedAt"] is None
    assert result["user"]["mfa"]["maskedPhoneNumber"] == "+*********23"


async def test_the_last_factor_of_a_payee_stays(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    await payee_with_both(browser, make_user, messagebird, clock)
    await remove(browser, "SMS")

    # when
    result = await remove(browser, "AUTHENTICATOR_APP")

    # then
    assert result == {"__typename": "LastFactorError", "code": "LAST_FACTOR"}
    assert (await viewer_mfa(browser))["methods"] == ["AUTHENTICATOR_APP"]


async def test_a_payor_cannot_remove_the_only_app(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given
    await make_user(EMAIL, PayRole.PAYOR)
    await enroll_with_app(browser, EMAIL, clock)

    # when
    result = await remove(browser, "AUTHENTICATOR_APP")

    # then
    assert result == {"__typename": "LastFactorError", "code": "LAST_FACTOR"}
    mfa = await viewer_mfa(browser)
    assert mfa["methods"] == ["AUTHENTICATOR_APP"]
    assert mfa["authenticatorAppAddedAt"] is not None


async def test_an_sms_payee_cannot_remove_the_only_phone(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    await make_user(EMAIL)
    await enroll_with_sms(browser, messagebird, EMAIL)

    # when
    result = await remove(browser, "SMS")

    # then
    assert result["__typename"] == "LastFactorError"
    assert (await viewer_mfa(browser))["maskedPhoneNumber"] == "+*********23"


async def test_a_factor_not_held_cannot_be_removed(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    await make_user(EMAIL)
    await enroll_with_sms(browser, messagebird, EMAIL)

    # when
    result = await remove(browser, "AUTHENTICATOR_APP")

    # then
    assert result == {
        "__typename": "MethodNotAllowedError",
        "code": "METHOD_NOT_ALLOWED",
        "allowedMethods": ["SMS"],
    }
    assert (await viewer_mfa(browser))["methods"] == ["SMS"]


async def test_a_user_outside_payments_may_remove_their_only_factor(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given: a NONE-role user who added an app and signed in with it just now
    await make_user(EMAIL, PayRole.NONE)
    assert (await log_in(browser))["__typename"] == "LoggedIn"
    secret = await add_app(browser, clock)
    await browser.execute(doc.LOG_OUT)
    assert (await log_in(browser))["__typename"] == "MfaChallengeRequired"
    signed_in = await browser.execute(
        doc.VERIFY_LOGIN_CODE, {"input": {"code": app_code(secret, clock.now())}}
    )
    assert signed_in["verifyLoginCode"]["__typename"] == "LoggedIn"

    # when
    result = await remove(browser, "AUTHENTICATOR_APP")

    # then
    assert result["__typename"] == "MfaMethodRemoved"
    assert result["user"]["mfa"]["enrolled"] is False
    assert result["user"]["mfa"]["methods"] == []
    await browser.execute(doc.LOG_OUT)
    assert (await log_in(browser))["__typename"] == "LoggedIn"


async def test_the_account_email_hears_of_the_removal(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
    mailbox: Mailbox,
) -> None:
    # given
    await payee_with_both(browser, make_user, messagebird, clock)
    assert removal_messages(mailbox) == []

    # when
    await remove(browser, "SMS")

    # then
    bodies = removal_messages(mailbox)
    assert len(bodies) == 1
    assert "SMS" in bodies[0]
    assert f"{clock.now():%Y-%m-%d}" in bodies[0]


async def test_a_refused_removal_sends_no_email(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock, mailbox: Mailbox
) -> None:
    # given
    await make_user(EMAIL, PayRole.PAYOR)
    await enroll_with_app(browser, EMAIL, clock)

    # when
    await remove(browser, "AUTHENTICATOR_APP")

    # then
    assert removal_messages(mailbox) == []


@pytest.mark.parametrize("attempt", range(3))
async def test_parallel_removals_of_both_factors_leave_one(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
    attempt: int,
) -> None:
    # given
    await payee_with_both(browser, make_user, messagebird, clock)

    # when
    results = await asyncio.gather(remove(browser, "SMS"), remove(browser, "AUTHENTICATOR_APP"))

    # then
    kinds = sorted(r["__typename"] for r in results)
    assert kinds == ["LastFactorError", "MfaMethodRemoved"]
    mfa = await viewer_mfa(browser)
    assert mfa["enrolled"] is True
    assert len(mfa["methods"]) == 1
    removed = next(r for r in results if r["__typename"] == "MfaMethodRemoved")
    assert removed["user"]["mfa"]["methods"] == mfa["methods"]


# After 15 minutes


async def test_after_fifteen_minutes_removing_needs_reauthentication(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
    mailbox: Mailbox,
) -> None:
    # given
    await payee_with_both(browser, make_user, messagebird, clock)
    clock.advance(PAST_THE_WINDOW)
    before = await viewer_mfa(browser)

    # when
    result = await remove(browser, "SMS")

    # then
    assert result == {
        "__typename": "ReauthenticationRequiredError",
        "code": "REAUTHENTICATION_REQUIRED",
        "methods": ["AUTHENTICATOR_APP", "SMS"],
    }
    assert await viewer_mfa(browser) == before
    assert before["methods"] == ["AUTHENTICATOR_APP", "SMS"]
    assert removal_messages(mailbox) == []


async def test_after_reauthenticating_a_factor_can_be_removed(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    secret = await payee_with_both(browser, make_user, messagebird, clock)
    clock.advance(PAST_THE_WINDOW)
    reauthenticated = await browser.execute(
        doc.REAUTHENTICATE,
        {"input": {"code": app_code(secret, clock.now()), "method": "AUTHENTICATOR_APP"}},
    )
    assert reauthenticated["reauthenticate"]["__typename"] == "Reauthenticated"

    # when
    result = await remove(browser, "SMS")

    # then
    assert result["__typename"] == "MfaMethodRemoved"
    assert result["user"]["mfa"]["methods"] == ["AUTHENTICATOR_APP"]


# Without a signed-in session


async def test_no_session_cannot_remove_a_factor(
    new_http: HttpFactory,
) -> None:
    # given
    async with new_http() as http:
        stranger = GraphQLClient(http)

        # when
        errors = await stranger.errors(REMOVE_MFA_METHOD, remove_input("SMS"))

    # then
    assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"
