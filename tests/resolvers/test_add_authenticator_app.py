"""addAuthenticatorApp, then verifyAuthenticatorCode: a signed-in SMS payee adds an app."""

from __future__ import annotations

from datetime import datetime, timedelta

from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.clients import HttpFactory
from tests.support.codes import wrong_app_code
from tests.support.constants import PASSWORD, PHONE
from tests.support.flows import app_code, enroll_with_app, enroll_with_sms
from tests.support.graphql import GraphQLClient
from tests.support.mailbox import Mailbox
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.users import MakeUser

EMAIL = "payee@example.com"
PAST_THE_WINDOW = timedelta(minutes=16)


def verify(code: str) -> dict:
    return {"input": {"code": code}}


async def add_app(client: GraphQLClient) -> dict:
    return (await client.execute(doc.ADD_AUTHENTICATOR_APP))["addAuthenticatorApp"]


async def verify_app(client: GraphQLClient, code: str) -> dict:
    return (await client.execute(doc.VERIFY_AUTHENTICATOR_CODE, verify(code)))[
        "verifyAuthenticatorCode"
    ]


async def sms_payee(client: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn):
    """A payee just signed in after enrolling with SMS."""
    await make_user(EMAIL)
    await enroll_with_sms(client, messagebird, EMAIL)


async def scanned_secret(client: GraphQLClient) -> str:
    chosen = await add_app(client)
    assert chosen["__typename"] == "AuthenticatorAppMethodChosen", chosen
    return str(chosen["secret"]).replace(" ", "")


def app_messages(mailbox: Mailbox) -> list[str]:
    """Bodies of the emails to the account that mention an authenticator app."""
    return mailbox.bodies_mentioning(EMAIL, "authenticator app")


# Within 15 minutes of the second factor


async def test_add_authenticator_app_shows_a_secret_to_scan(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    await sms_payee(browser, make_user, messagebird)

    # when
    result = await add_app(browser)

    # then
    assert result["__typename"] == "AuthenticatorAppMethodChosen"
    assert len(result["secret"].replace(" ", "")) == 32
    assert result["otpauthUri"].startswith("otpauth://totp/")
    assert result["secret"].replace(" ", "") in result["otpauthUri"]
    assert "<svg" in result["qrCodeSvg"]


async def test_a_code_from_the_scanned_app_adds_it(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    await sms_payee(browser, make_user, messagebird)
    secret = await scanned_secret(browser)

    # when
    result = await verify_app(browser, app_code(secret, clock.now()))

    # then
    assert result["__typename"] == "AuthenticatorAppAdded"
    mfa = result["user"]["mfa"]
    assert mfa["enrolled"] is True
    assert mfa["methods"] == ["AUTHENTICATOR_APP", "SMS"]
    assert datetime.fromisoformat(mfa["authenticatorAppAddedAt"]) == clock.now()
    viewer = (await browser.execute(doc.VIEWER_FACTORS))["viewer"]
    assert viewer["mfa"]["methods"] == ["AUTHENTICATOR_APP", "SMS"]
    assert viewer["mfa"]["maskedPhoneNumber"] == "+*********23"
    assert viewer["mfa"]["authenticatorAppAddedAt"] is not None


async def test_the_next_sign_in_offers_both_factors_and_the_app_works(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    await sms_payee(browser, make_user, messagebird)
    secret = await scanned_secret(browser)
    await verify_app(browser, app_code(secret, clock.now()))
    await browser.execute(doc.LOG_OUT)
    clock.advance(timedelta(seconds=30))

    # when
    challenge = (
        await browser.execute(
            doc.LOG_IN_CHALLENGE, {"input": {"email": EMAIL, "password": PASSWORD}}
        )
    )["logIn"]

    # then
    assert challenge["__typename"] == "MfaChallengeRequired"
    assert challenge["methods"] == ["AUTHENTICATOR_APP", "SMS"]
    assert challenge["maskedPhoneNumber"] == "+*********23"
    signed_in = await browser.execute(
        doc.VERIFY_LOGIN_CODE_WITH_METHOD,
        {"input": {"code": app_code(secret, clock.now()), "method": "AUTHENTICATOR_APP"}},
    )
    assert signed_in["verifyLoginCode"]["__typename"] == "LoggedIn"


async def test_the_account_email_hears_that_an_app_was_added(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
    mailbox: Mailbox,
) -> None:
    # given
    await sms_payee(browser, make_user, messagebird)
    secret = await scanned_secret(browser)
    assert app_messages(mailbox) == []

    # when
    await verify_app(browser, app_code(secret, clock.now()))

    # then
    bodies = app_messages(mailbox)
    assert len(bodies) == 1
    assert "added" in bodies[0]
    assert f"{clock.now():%Y-%m-%d}" in bodies[0]


async def test_a_wrong_app_code_does_not_add_the_app(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
    mailbox: Mailbox,
) -> None:
    # given
    await sms_payee(browser, make_user, messagebird)
    secret = await scanned_secret(browser)

    # when
    result = await verify_app(browser, wrong_app_code(secret, clock.now()))

    # then
    assert result == {
        "__typename": "InvalidCodeError",
        "code": "INVALID_CODE",
        "attemptsRemaining": 4,
    }
    viewer = (await browser.execute(doc.VIEWER_FACTORS))["viewer"]
    assert viewer["mfa"]["methods"] == ["SMS"]
    assert viewer["mfa"]["authenticatorAppAddedAt"] is None
    assert app_messages(mailbox) == []


async def test_the_right_code_after_a_wrong_one_adds_the_app(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    await sms_payee(browser, make_user, messagebird)
    secret = await scanned_secret(browser)
    await verify_app(browser, wrong_app_code(secret, clock.now()))

    # when
    result = await verify_app(browser, app_code(secret, clock.now()))

    # then
    assert result["__typename"] == "AuthenticatorAppAdded"


async def test_a_user_holding_an_app_cannot_add_another(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given
    await make_user(EMAIL)
    await enroll_with_app(browser, EMAIL, clock)

    # when
    result = await add_app(browser)

    # then
    assert result == {"__typename": "FactorAlreadyEnrolledError", "code": "FACTOR_ALREADY_ENROLLED"}


async def test_an_added_app_cannot_be_added_twice(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    await sms_payee(browser, make_user, messagebird)
    secret = await scanned_secret(browser)
    await verify_app(browser, app_code(secret, clock.now()))
    added_at = (await browser.execute(doc.VIEWER_FACTORS))["viewer"]["mfa"][
        "authenticatorAppAddedAt"
    ]

    # when
    result = await add_app(browser)

    # then
    assert result["__typename"] == "FactorAlreadyEnrolledError"
    viewer = (await browser.execute(doc.VIEWER_FACTORS))["viewer"]
    assert viewer["mfa"]["authenticatorAppAddedAt"] == added_at


async def test_verify_without_adding_first_is_the_wrong_step(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
) -> None:
    # given
    await sms_payee(browser, make_user, messagebird)

    # when
    result = await verify_app(browser, "123456")

    # then
    assert result["__typename"] == "WrongStepError"
    assert result["code"] == "WRONG_STEP"
    assert (await browser.execute(doc.VIEWER_FACTORS))["viewer"]["mfa"]["methods"] == ["SMS"]


# After 15 minutes


async def test_after_fifteen_minutes_adding_needs_reauthentication(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    await sms_payee(browser, make_user, messagebird)
    clock.advance(PAST_THE_WINDOW)

    # when
    result = await add_app(browser)

    # then
    assert result == {
        "__typename": "ReauthenticationRequiredError",
        "code": "REAUTHENTICATION_REQUIRED",
        "methods": ["SMS"],
    }
    verified = await verify_app(browser, "123456")
    assert verified["__typename"] == "WrongStepError"
    viewer = (await browser.execute(doc.VIEWER_FACTORS))["viewer"]
    assert viewer["mfa"]["methods"] == ["SMS"]
    assert viewer["mfa"]["authenticatorAppAddedAt"] is None


async def test_after_reauthenticating_the_app_can_be_added(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    await sms_payee(browser, make_user, messagebird)
    clock.advance(PAST_THE_WINDOW)
    await browser.execute(doc.SEND_REAUTHENTICATION_CODE)
    reauthenticated = await browser.execute(
        doc.REAUTHENTICATE, {"input": {"code": messagebird.last_code(PHONE), "method": "SMS"}}
    )
    assert reauthenticated["reauthenticate"]["__typename"] == "Reauthenticated"

    # when
    secret = await scanned_secret(browser)
    result = await verify_app(browser, app_code(secret, clock.now()))

    # then
    assert result["__typename"] == "AuthenticatorAppAdded"
    assert result["user"]["mfa"]["methods"] == ["AUTHENTICATOR_APP", "SMS"]


# Without a signed-in session


async def test_a_pending_sign_in_cannot_add_an_app(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    await sms_payee(browser, make_user, messagebird)
    await browser.execute(doc.LOG_OUT)
    await browser.execute(doc.LOG_IN_CHALLENGE, {"input": {"email": EMAIL, "password": PASSWORD}})

    # when
    errors = await browser.errors(doc.ADD_AUTHENTICATOR_APP)

    # then
    assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_no_session_cannot_add_an_app(new_http: HttpFactory) -> None:
    # given
    async with new_http() as http:
        stranger = GraphQLClient(http)

        # when
        errors = await stranger.errors(doc.ADD_AUTHENTICATOR_APP)

    # then
    assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"
