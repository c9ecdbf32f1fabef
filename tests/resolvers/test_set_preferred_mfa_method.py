"""setPreferredMfaMethod: which of the factors a user holds sign-in asks for first."""

from __future__ import annotations

from datetime import timedelta

from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.clients import HttpFactory
from tests.support.constants import PASSWORD, PHONE
from tests.support.flows import app_code, enroll_with_app, enroll_with_sms
from tests.support.graphql import GraphQLClient
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.users import MakeUser

EMAIL = "payee@example.com"
NEW_PHONE = "+12015550145"
PAST_THE_WINDOW = timedelta(minutes=16)
ONE_TIME_STEP = timedelta(seconds=30)

SET_PREFERRED_MFA_METHOD = """
mutation Prefer($input: MfaMethodInput!) { setPreferredMfaMethod(input: $input) {
  __typename
  ... on PreferredMfaMethodSet { user { email mfa { methods preferredMethod } } }
  ... on ReauthenticationRequiredError { code methods }
  ... on MethodNotAllowedError { code allowedMethods }
  ... on UserError { code }
} }
"""

VIEWER = "{ viewer { email mfa { methods preferredMethod } } }"


def prefer_input(method: str) -> dict:
    return {"input": {"method": method}}


async def prefer(client: GraphQLClient, method: str) -> dict:
    data = await client.execute(SET_PREFERRED_MFA_METHOD, prefer_input(method))
    return data["setPreferredMfaMethod"]


async def viewer_mfa(client: GraphQLClient) -> dict:
    return (await client.execute(VIEWER))["viewer"]["mfa"]


async def log_in(client: GraphQLClient) -> dict:
    return (
        await client.execute(
            doc.LOG_IN_CHALLENGE, {"input": {"email": EMAIL, "password": PASSWORD}}
        )
    )["logIn"]


async def verify_login_code(client: GraphQLClient, code: str, method: str | None = None) -> dict:
    data = await client.execute(
        doc.VERIFY_LOGIN_CODE_WITH_METHOD, {"input": {"code": code, "method": method}}
    )
    return data["verifyLoginCode"]


async def app_payee_with_a_phone(
    client: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> str:
    """A payee enrolled with the app (preferred) who added a phone; returns the app secret."""
    await make_user(EMAIL)
    secret, _ = await enroll_with_app(client, EMAIL, clock)
    await client.execute(
        doc.START_PHONE_NUMBER_CHANGE,
        {"input": {"countryCode": "+1", "phoneNumber": "201 555 0145"}},
    )
    confirmed = await client.execute(
        doc.CONFIRM_PHONE_NUMBER_CHANGE, {"input": {"code": messagebird.last_code(NEW_PHONE)}}
    )
    assert confirmed["confirmPhoneNumberChange"]["__typename"] == "PhoneNumberChanged"
    return secret


async def sms_payee_with_an_app(
    client: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> str:
    """A payee enrolled with SMS (preferred) who added the app; returns the app secret."""
    await make_user(EMAIL)
    await enroll_with_sms(client, messagebird, EMAIL)
    chosen = (await client.execute(doc.ADD_AUTHENTICATOR_APP))["addAuthenticatorApp"]
    secret = str(chosen["secret"]).replace(" ", "")
    added = await client.execute(
        doc.VERIFY_AUTHENTICATOR_CODE, {"input": {"code": app_code(secret, clock.now())}}
    )
    assert added["verifyAuthenticatorCode"]["__typename"] == "AuthenticatorAppAdded"
    clock.advance(ONE_TIME_STEP)  # the accepted time step can never be used again
    return secret


# Within 15 minutes of the second factor


async def test_a_payee_with_both_prefers_sms(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    await app_payee_with_a_phone(browser, make_user, messagebird, clock)
    assert (await viewer_mfa(browser))["preferredMethod"] == "AUTHENTICATOR_APP"

    # when
    result = await prefer(browser, "SMS")

    # then
    assert result == {
        "__typename": "PreferredMfaMethodSet",
        "user": {
            "email": EMAIL,
            "mfa": {"methods": ["AUTHENTICATOR_APP", "SMS"], "preferredMethod": "SMS"},
        },
    }
    assert (await viewer_mfa(browser))["preferredMethod"] == "SMS"


async def test_the_next_sign_in_asks_for_the_preferred_sms_first(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    secret = await app_payee_with_a_phone(browser, make_user, messagebird, clock)
    await prefer(browser, "SMS")
    await browser.execute(doc.LOG_OUT)
    clock.advance(timedelta(minutes=1))

    # when
    challenge = await log_in(browser)

    # then
    assert challenge == {
        "__typename": "MfaChallengeRequired",
        "methods": ["AUTHENTICATOR_APP", "SMS"],
        "preferredMethod": "SMS",
        "maskedPhoneNumber": "+*********45",
    }
    await browser.execute(doc.SEND_LOGIN_CODE)
    texted = messagebird.last_code(NEW_PHONE)
    app_now = app_code(secret, clock.now())
    if app_now != texted:
        assert (await verify_login_code(browser, app_now))["__typename"] == "InvalidCodeError"
    signed_in = await verify_login_code(browser, texted)
    assert signed_in["__typename"] == "LoggedIn"
    assert signed_in["user"]["mfa"]["preferredMethod"] == "SMS"


async def test_a_payee_with_both_prefers_the_app(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    secret = await sms_payee_with_an_app(browser, make_user, messagebird, clock)
    assert (await viewer_mfa(browser))["preferredMethod"] == "SMS"

    # when
    result = await prefer(browser, "AUTHENTICATOR_APP")

    # then
    assert result["__typename"] == "PreferredMfaMethodSet"
    assert result["user"]["mfa"]["preferredMethod"] == "AUTHENTICATOR_APP"
    await browser.execute(doc.LOG_OUT)
    challenge = await log_in(browser)
    assert challenge["preferredMethod"] == "AUTHENTICATOR_APP"
    signed_in = await verify_login_code(browser, app_code(secret, clock.now()))
    assert signed_in["__typename"] == "LoggedIn"


async def test_a_factor_not_held_cannot_be_preferred(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    await make_user(EMAIL)
    await enroll_with_sms(browser, messagebird, EMAIL)

    # when
    result = await prefer(browser, "AUTHENTICATOR_APP")

    # then
    assert result == {
        "__typename": "MethodNotAllowedError",
        "code": "METHOD_NOT_ALLOWED",
        "allowedMethods": ["SMS"],
    }
    assert await viewer_mfa(browser) == {"methods": ["SMS"], "preferredMethod": "SMS"}


async def test_an_app_user_cannot_prefer_sms(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given
    await make_user(EMAIL)
    await enroll_with_app(browser, EMAIL, clock)

    # when
    result = await prefer(browser, "SMS")

    # then
    assert result["__typename"] == "MethodNotAllowedError"
    assert result["allowedMethods"] == ["AUTHENTICATOR_APP"]
    assert (await viewer_mfa(browser))["preferredMethod"] == "AUTHENTICATOR_APP"


# After 15 minutes


async def test_after_fifteen_minutes_the_preference_needs_reauthentication(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    await app_payee_with_a_phone(browser, make_user, messagebird, clock)
    clock.advance(PAST_THE_WINDOW)

    # when
    result = await prefer(browser, "SMS")

    # then
    assert result == {
        "__typename": "ReauthenticationRequiredError",
        "code": "REAUTHENTICATION_REQUIRED",
        "methods": ["AUTHENTICATOR_APP", "SMS"],
    }
    assert await viewer_mfa(browser) == {
        "methods": ["AUTHENTICATOR_APP", "SMS"],
        "preferredMethod": "AUTHENTICATOR_APP",
    }
    await browser.execute(doc.LOG_OUT)
    assert (await log_in(browser))["preferredMethod"] == "AUTHENTICATOR_APP"


async def test_after_reauthenticating_the_preference_can_be_set(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    await sms_payee_with_an_app(browser, make_user, messagebird, clock)
    clock.advance(PAST_THE_WINDOW)
    await browser.execute("mutation { sendReauthenticationCode { __typename } }")
    reauthenticated = await browser.execute(
        doc.REAUTHENTICATE, {"input": {"code": messagebird.last_code(PHONE), "method": "SMS"}}
    )
    assert reauthenticated["reauthenticate"]["__typename"] == "Reauthenticated"

    # when
    result = await prefer(browser, "AUTHENTICATOR_APP")

    # then
    assert result["__typename"] == "PreferredMfaMethodSet"
    assert result["user"]["mfa"]["preferredMethod"] == "AUTHENTICATOR_APP"


# Without a signed-in session


async def test_no_session_cannot_set_a_preference(
    new_http: HttpFactory,
) -> None:
    # given
    async with new_http() as http:
        stranger = GraphQLClient(http)

        # when
        errors = await stranger.errors(SET_PREFERRED_MFA_METHOD, prefer_input("SMS"))

    # then
    assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"
