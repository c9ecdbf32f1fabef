"""startPhoneNumberChange, then confirmPhoneNumberChange: a new number replaces (or adds) the
SMS factor once the code texted to it is typed back."""

from __future__ import annotations

from datetime import timedelta

import pytest

from models.enums import PayRole
from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.clients import HttpFactory
from tests.support.codes import other_code
from tests.support.constants import PASSWORD, PHONE
from tests.support.flows import enroll_with_app, enroll_with_sms
from tests.support.graphql import GraphQLClient
from tests.support.mailbox import Mailbox
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.users import MakeUser

EMAIL = "payee@example.com"
NEW_PHONE = "+12015550145"
NEW_PHONE_RECIPIENT = "12015550145"
OLD_PHONE_RECIPIENT = PHONE.lstrip("+")
PAST_THE_WINDOW = timedelta(minutes=16)
COOLDOWN = timedelta(seconds=30)
NEW_NUMBER = {"input": {"countryCode": "+1", "phoneNumber": "201 555 0145"}}

VIEWER = "{ viewer { email mfa { methods preferredMethod maskedPhoneNumber } } }"


def confirm_input(code: str) -> dict:
    return {"input": {"code": code}}


async def start(client: GraphQLClient, variables: dict = NEW_NUMBER) -> dict:
    return (await client.execute(doc.START_PHONE_NUMBER_CHANGE, variables))[
        "startPhoneNumberChange"
    ]


async def confirm(client: GraphQLClient, code: str) -> dict:
    return (await client.execute(doc.CONFIRM_PHONE_NUMBER_CHANGE, confirm_input(code)))[
        "confirmPhoneNumberChange"
    ]


async def viewer_mfa(client: GraphQLClient) -> dict:
    return (await client.execute(VIEWER))["viewer"]["mfa"]


async def sms_payee(
    client: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    """A payee just signed in after enrolling +1 201 555 0123 for SMS."""
    await make_user(EMAIL)
    await enroll_with_sms(client, messagebird, EMAIL)


def texts_to(messagebird: MessageBirdStandIn, recipient: str) -> int:
    return sum(recipient in m.recipients for m in messagebird.messages)


def phone_messages(mailbox: Mailbox) -> list[str]:
    """Bodies of the emails to the account that mention a phone number."""
    return mailbox.bodies_mentioning(EMAIL, "phone number")


# Within 15 minutes of the second factor


async def test_the_code_goes_to_the_new_number_and_the_old_one_stays_until_confirmed(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    await sms_payee(browser, make_user, messagebird)
    texts_to_old = texts_to(messagebird, OLD_PHONE_RECIPIENT)

    # when
    result = await start(browser)

    # then
    assert result["__typename"] == "SmsCodeSent"
    assert result["maskedPhoneNumber"] == "+*********45"
    assert [m.recipients for m in messagebird.messages][-1] == [NEW_PHONE_RECIPIENT]
    assert texts_to(messagebird, OLD_PHONE_RECIPIENT) == texts_to_old
    assert await viewer_mfa(browser) == {
        "methods": ["SMS"],
        "preferredMethod": "SMS",
        "maskedPhoneNumber": "+*********23",
    }


async def test_the_code_from_the_new_number_makes_it_the_factor(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    await sms_payee(browser, make_user, messagebird)
    await start(browser)

    # when
    result = await confirm(browser, messagebird.last_code(NEW_PHONE))

    # then
    assert result["__typename"] == "PhoneNumberChanged"
    assert result["user"]["mfa"]["maskedPhoneNumber"].endswith("45")
    assert result["user"]["mfa"]["methods"] == ["SMS"]
    assert (await viewer_mfa(browser))["maskedPhoneNumber"] == "+*********45"


async def test_the_next_sign_in_code_goes_to_the_new_number(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    await sms_payee(browser, make_user, messagebird)
    await start(browser)
    await confirm(browser, messagebird.last_code(NEW_PHONE))
    await browser.execute(doc.LOG_OUT)
    texts_to_old = texts_to(messagebird, OLD_PHONE_RECIPIENT)
    texts_to_new = texts_to(messagebird, NEW_PHONE_RECIPIENT)
    clock.advance(timedelta(minutes=1))

    # when
    challenge = (
        await browser.execute(
            doc.LOG_IN_CHALLENGE, {"input": {"email": EMAIL, "password": PASSWORD}}
        )
    )["logIn"]
    sent = (await browser.execute(doc.SEND_LOGIN_CODE))["sendLoginCode"]

    # then
    assert challenge["__typename"] == "MfaChallengeRequired"
    assert challenge["maskedPhoneNumber"] == "+*********45"
    assert sent["__typename"] == "SmsCodeSent"
    assert sent["maskedPhoneNumber"] == "+*********45"
    assert texts_to(messagebird, NEW_PHONE_RECIPIENT) == texts_to_new + 1
    assert texts_to(messagebird, OLD_PHONE_RECIPIENT) == texts_to_old
    signed_in = await browser.execute(
        doc.VERIFY_LOGIN_CODE, {"input": {"code": messagebird.last_code(NEW_PHONE)}}
    )
    assert signed_in["verifyLoginCode"]["__typename"] == "LoggedIn"


async def test_a_wrong_code_leaves_the_old_number(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    await sms_payee(browser, make_user, messagebird)
    await start(browser)

    # when
    result = await confirm(browser, other_code(messagebird.last_code(NEW_PHONE)))

    # then
    assert result == {
        "__typename": "InvalidCodeError",
        "code": "INVALID_CODE",
        "attemptsRemaining": 4,
    }
    assert (await viewer_mfa(browser))["maskedPhoneNumber"] == "+*********23"


async def test_a_code_texted_to_the_old_number_does_not_confirm(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    new_http: HttpFactory,
) -> None:
    # given: a sign-in elsewhere has a live code texted to the old number
    await sms_payee(browser, make_user, messagebird)
    await start(browser)
    new_number_code = messagebird.last_code(NEW_PHONE)
    async with new_http() as http:
        elsewhere = GraphQLClient(http)
        await elsewhere.execute(
            doc.LOG_IN_CHALLENGE, {"input": {"email": EMAIL, "password": PASSWORD}}
        )
        sent = (await elsewhere.execute(doc.SEND_LOGIN_CODE))["sendLoginCode"]
        assert sent["__typename"] == "SmsCodeSent"
    old_number_code = messagebird.last_code(PHONE)
    assert old_number_code != new_number_code

    # when
    result = await confirm(browser, old_number_code)

    # then
    assert result["__typename"] == "InvalidCodeError"
    assert (await viewer_mfa(browser))["maskedPhoneNumber"] == "+*********23"


async def test_the_account_email_hears_about_the_change(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    mailbox: Mailbox,
    clock: ManualClock,
) -> None:
    # given
    await sms_payee(browser, make_user, messagebird)
    await start(browser)
    assert phone_messages(mailbox) == []

    # when
    await confirm(browser, messagebird.last_code(NEW_PHONE))

    # then
    bodies = phone_messages(mailbox)
    assert len(bodies) == 1
    assert "changed" in bodies[0]
    assert f"{clock.now():%Y-%m-%d}" in bodies[0]
    assert all(m["To"] == EMAIL for m in mailbox.messages)


async def test_an_app_payee_adds_a_phone_as_a_second_factor(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
    mailbox: Mailbox,
) -> None:
    # given
    await make_user(EMAIL)
    await enroll_with_app(browser, EMAIL, clock)
    assert (await start(browser))["__typename"] == "SmsCodeSent"

    # when
    result = await confirm(browser, messagebird.last_code(NEW_PHONE))

    # then
    assert result["__typename"] == "PhoneNumberChanged"
    assert result["user"]["mfa"] == {
        "methods": ["AUTHENTICATOR_APP", "SMS"],
        "preferredMethod": "AUTHENTICATOR_APP",
        "maskedPhoneNumber": "+*********45",
    }
    assert len(phone_messages(mailbox)) == 1


async def test_a_payor_may_not_have_a_phone_factor(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    await make_user(EMAIL, PayRole.PAYOR)
    await enroll_with_app(browser, EMAIL, clock)

    # when
    result = await start(browser)

    # then
    assert result == {
        "__typename": "MethodNotAllowedError",
        "code": "METHOD_NOT_ALLOWED",
        "allowedMethods": ["AUTHENTICATOR_APP", "SECURITY_KEY"],
    }
    assert messagebird.requests == 0
    assert await viewer_mfa(browser) == {
        "methods": ["AUTHENTICATOR_APP"],
        "preferredMethod": "AUTHENTICATOR_APP",
        "maskedPhoneNumber": None,
    }


@pytest.mark.parametrize(
    ("country_code", "phone_number"),
    [
        ("+1", "555 0145"),
        ("+1", "12"),
        ("+1", "not a number"),
        ("+1", "201 555 0145 0145 0145"),
        ("1x", "201 555 0145"),
    ],
)
async def test_an_invalid_number_texts_nothing(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    country_code: str,
    phone_number: str,
) -> None:
    # given
    await sms_payee(browser, make_user, messagebird)
    requests_before = messagebird.requests

    # when
    result = await start(
        browser, {"input": {"countryCode": country_code, "phoneNumber": phone_number}}
    )

    # then
    assert result == {"__typename": "InvalidPhoneNumberError", "code": "INVALID_PHONE_NUMBER"}
    assert messagebird.requests == requests_before
    assert (await viewer_mfa(browser))["maskedPhoneNumber"] == "+*********23"


@pytest.mark.parametrize(
    ("country_code", "phone_number"),
    [("+49", "1512 3456789"), ("+33", "6 12 34 56 78"), ("+1", "+49 1512 3456789")],
)
async def test_a_number_outside_the_allowed_countries_texts_nothing(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    country_code: str,
    phone_number: str,
) -> None:
    # given
    await sms_payee(browser, make_user, messagebird)
    requests_before = messagebird.requests

    # when
    result = await start(
        browser, {"input": {"countryCode": country_code, "phoneNumber": phone_number}}
    )

    # then
    assert result == {
        "__typename": "UnsupportedCountryError",
        "code": "UNSUPPORTED_COUNTRY",
        "allowedCountries": [{"regionCode": "US", "callingCode": "+1"}],
    }
    assert messagebird.requests == requests_before
    assert (await viewer_mfa(browser))["maskedPhoneNumber"] == "+*********23"


async def test_a_second_start_within_thirty_seconds_is_refused(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    await sms_payee(browser, make_user, messagebird)
    await start(browser)
    requests_before = messagebird.requests
    clock.advance(timedelta(seconds=10))

    # when
    result = await start(browser)

    # then
    assert result == {
        "__typename": "ResendNotAvailableError",
        "code": "RESEND_NOT_AVAILABLE",
        "retryAfterSeconds": 20,
    }
    assert messagebird.requests == requests_before


async def test_resend_after_the_cooldown_texts_the_new_number_a_code_that_confirms(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    await sms_payee(browser, make_user, messagebird)
    await start(browser)
    clock.advance(COOLDOWN)

    # when
    resent = (await browser.execute(doc.RESEND_SMS_CODE))["resendSmsCode"]

    # then
    assert resent["__typename"] == "SmsCodeSent"
    assert resent["maskedPhoneNumber"] == "+*********45"
    assert len(messagebird.codes_for(NEW_PHONE)) == 2
    result = await confirm(browser, messagebird.last_code(NEW_PHONE))
    assert result["__typename"] == "PhoneNumberChanged"
    assert result["user"]["mfa"]["maskedPhoneNumber"] == "+*********45"


async def test_resend_inside_the_cooldown_is_refused(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    await sms_payee(browser, make_user, messagebird)
    await start(browser)
    requests_before = messagebird.requests

    # when
    resent = (await browser.execute(doc.RESEND_SMS_CODE))["resendSmsCode"]

    # then
    assert resent["__typename"] == "ResendNotAvailableError"
    assert messagebird.requests == requests_before


async def test_verify_sms_code_in_a_phone_change_is_the_wrong_step(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    await sms_payee(browser, make_user, messagebird)
    await start(browser)
    code = messagebird.last_code(NEW_PHONE)

    # when
    result = (await browser.execute(doc.VERIFY_SMS_CODE, {"input": {"code": code}}))[
        "verifySmsCode"
    ]

    # then: never a recovery code, and the phone is unchanged
    assert result["__typename"] == "WrongStepError"
    assert result["code"] == "WRONG_STEP"
    assert result["currentStep"] == "CODE_VERIFICATION"
    assert (await viewer_mfa(browser))["maskedPhoneNumber"] == "+*********23"
    assert (await confirm(browser, code))["__typename"] == "PhoneNumberChanged"


async def test_confirm_without_a_change_in_progress_is_the_wrong_step(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    await sms_payee(browser, make_user, messagebird)

    # when
    result = await confirm(browser, messagebird.last_code(PHONE))

    # then
    assert result["__typename"] == "WrongStepError"
    assert (await viewer_mfa(browser))["maskedPhoneNumber"] == "+*********23"


# After 15 minutes


async def test_after_fifteen_minutes_a_change_needs_reauthentication(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    await sms_payee(browser, make_user, messagebird)
    clock.advance(PAST_THE_WINDOW)
    requests_before = messagebird.requests

    # when
    result = await start(browser)

    # then
    assert result == {
        "__typename": "ReauthenticationRequiredError",
        "code": "REAUTHENTICATION_REQUIRED",
        "methods": ["SMS"],
    }
    assert messagebird.requests == requests_before
    assert await viewer_mfa(browser) == {
        "methods": ["SMS"],
        "preferredMethod": "SMS",
        "maskedPhoneNumber": "+*********23",
    }


async def test_after_reauthenticating_the_number_can_be_changed(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given
    await sms_payee(browser, make_user, messagebird)
    clock.advance(PAST_THE_WINDOW)
    await browser.execute("mutation { sendReauthenticationCode { __typename } }")
    reauthenticated = await browser.execute(
        "mutation R($input: ReauthenticateInput!) { reauthenticate(input: $input) { __typename } }",
        {"input": {"code": messagebird.last_code(PHONE), "method": "SMS"}},
    )
    assert reauthenticated["reauthenticate"]["__typename"] == "Reauthenticated"

    # when
    sent = await start(browser)
    result = await confirm(browser, messagebird.last_code(NEW_PHONE))

    # then
    assert sent["__typename"] == "SmsCodeSent"
    assert result["__typename"] == "PhoneNumberChanged"
    assert (await viewer_mfa(browser))["maskedPhoneNumber"] == "+*********45"


# Without a signed-in session


async def test_no_session_cannot_change_the_number(
    new_http: HttpFactory, messagebird: MessageBirdStandIn
) -> None:
    # given
    async with new_http() as http:
        stranger = GraphQLClient(http)

        # when
        errors = await stranger.errors(doc.START_PHONE_NUMBER_CHANGE, NEW_NUMBER)

    # then
    assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert messagebird.requests == 0
