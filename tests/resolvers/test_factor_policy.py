"""Which second factors a user may enroll and use: their pay role and their company's setting."""

from __future__ import annotations

from datetime import timedelta

import pytest

from models.company import Company
from models.enums import PayRole
from models.stored_phone import stored_phone
from models.user import User
from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.constants import PASSWORD, PHONE, SECRET_KEY
from tests.support.flows import app_code, enroll_with_app, enroll_with_sms, log_in
from tests.support.graphql import GraphQLClient
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.users import MakeUser

EMAIL = "user@example.com"


SELECTION = "{ mfaEnrollment { step allowedMethods recommendedMethod } }"

VIEWER = "{ viewer { payRole mfa { enrolled methods preferredMethod } } }"


def choose(method: str) -> dict:
    return {"input": {"method": method}}


async def sign_in(client: GraphQLClient) -> dict:
    variables = {"input": {"email": EMAIL, "password": PASSWORD}}
    return (await client.execute(doc.LOG_IN, variables))["logIn"]


async def start_setup(client: GraphQLClient) -> dict:
    return (await client.execute(doc.START_MFA_SETUP))["startMfaSetup"]


async def of_company_requiring_the_app(user: User) -> None:
    company = await Company.create(name="Requires the app", require_authenticator_app=True)
    user.company = company
    await user.save()


async def enroll_app_at_selection(client: GraphQLClient, clock: ManualClock) -> dict:
    """From 'Select an Authentication Method', enroll the app; returns the LoggedIn payload."""
    chosen = (await client.execute(doc.CHOOSE_AUTHENTICATOR_APP))["chooseMfaMethod"]
    assert chosen["__typename"] == "AuthenticatorAppMethodChosen", chosen
    secret = chosen["secret"].replace(" ", "")
    verified = await client.execute(
        doc.VERIFY_AUTHENTICATOR_CODE, {"input": {"code": app_code(secret, clock.now())}}
    )
    assert verified["verifyAuthenticatorCode"]["__typename"] == "RecoveryCodeIssued", verified
    done = (await client.execute(doc.CONFIRM_RECOVERY_CODE_SAVED, doc.SAVED))[
        "confirmRecoveryCodeSaved"
    ]
    assert done["__typename"] == "LoggedIn", done
    return done


async def test_a_payor_is_offered_the_app_and_security_keys(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    await make_user(EMAIL, PayRole.PAYOR)
    assert (await log_in(browser, EMAIL))["__typename"] == "MfaSetupRequired"

    # when
    selection = await start_setup(browser)

    # then
    assert selection == {
        "__typename": "MfaMethodSelection",
        "allowedMethods": ["AUTHENTICATOR_APP", "SECURITY_KEY"],
        "recommendedMethod": "AUTHENTICATOR_APP",
    }
    assert (await browser.execute(SELECTION))["mfaEnrollment"] == {
        "step": "METHOD_SELECTION",
        "allowedMethods": ["AUTHENTICATOR_APP", "SECURITY_KEY"],
        "recommendedMethod": "AUTHENTICATOR_APP",
    }


async def test_a_payor_choosing_sms_is_refused(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    await make_user(EMAIL, PayRole.PAYOR)
    await log_in(browser, EMAIL)
    await start_setup(browser)

    # when
    result = (await browser.execute(doc.CHOOSE_MFA_METHOD, choose("SMS")))["chooseMfaMethod"]

    # then
    assert result == {
        "__typename": "MethodNotAllowedError",
        "code": "METHOD_NOT_ALLOWED",
        "allowedMethods": ["AUTHENTICATOR_APP", "SECURITY_KEY"],
    }
    assert (await browser.execute(SELECTION))["mfaEnrollment"]["step"] == "METHOD_SELECTION"
    sent = await browser.execute(
        doc.SEND_SMS_CODE, {"input": {"countryCode": "+1", "phoneNumber": "201 555 0123"}}
    )
    assert sent["sendSmsCode"]["__typename"] == "WrongStepError"
    assert messagebird.messages == []


async def test_a_payor_enrolls_the_app(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given
    await make_user(EMAIL, PayRole.PAYOR)
    await log_in(browser, EMAIL)
    await start_setup(browser)

    # when
    done = await enroll_app_at_selection(browser, clock)

    # then
    assert done["user"]["payRole"] == "PAYOR"
    assert done["user"]["mfa"]["methods"] == ["AUTHENTICATOR_APP"]


async def test_a_payee_is_offered_both_with_the_app_recommended(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    await make_user(EMAIL, PayRole.PAYEE)
    await log_in(browser, EMAIL)

    # when
    selection = await start_setup(browser)

    # then
    assert selection == {
        "__typename": "MfaMethodSelection",
        "allowedMethods": ["AUTHENTICATOR_APP", "SMS", "SECURITY_KEY"],
        "recommendedMethod": "AUTHENTICATOR_APP",
    }


@pytest.mark.parametrize("method", ["AUTHENTICATOR_APP", "SMS"])
async def test_a_payee_may_choose_either(
    browser: GraphQLClient, make_user: MakeUser, method: str
) -> None:
    # given
    await make_user(EMAIL, PayRole.PAYEE)
    await log_in(browser, EMAIL)
    await start_setup(browser)

    # when
    result = (await browser.execute(doc.CHOOSE_MFA_METHOD, choose(method)))["chooseMfaMethod"]

    # then
    assert result["__typename"] in {"AuthenticatorAppMethodChosen", "SmsMethodChosen"}
    expected = {"AUTHENTICATOR_APP": "AUTHENTICATOR_APP_SCAN", "SMS": "PHONE_NUMBER_ENTRY"}
    assert (await browser.execute(SELECTION))["mfaEnrollment"]["step"] == expected[method]


async def test_a_payee_of_a_company_requiring_the_app_is_offered_only_the_app(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    user = await make_user(EMAIL, PayRole.PAYEE)
    await of_company_requiring_the_app(user)
    await log_in(browser, EMAIL)

    # when
    selection = await start_setup(browser)
    refused = (await browser.execute(doc.CHOOSE_MFA_METHOD, choose("SMS")))["chooseMfaMethod"]

    # then
    assert selection["allowedMethods"] == ["AUTHENTICATOR_APP"]
    assert selection["recommendedMethod"] == "AUTHENTICATOR_APP"
    assert refused["__typename"] == "MethodNotAllowedError"
    assert refused["allowedMethods"] == ["AUTHENTICATOR_APP"]


async def test_a_company_not_requiring_the_app_leaves_payees_both(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    user = await make_user(EMAIL, PayRole.PAYEE)
    user.company = await Company.create(name="Either is fine")
    await user.save()
    await log_in(browser, EMAIL)

    # when
    selection = await start_setup(browser)

    # then
    assert selection["allowedMethods"] == ["AUTHENTICATOR_APP", "SMS", "SECURITY_KEY"]


async def test_a_payee_of_a_company_requiring_the_app_enrolls_it(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given
    user = await make_user(EMAIL, PayRole.PAYEE)
    await of_company_requiring_the_app(user)
    await log_in(browser, EMAIL)
    await start_setup(browser)

    # when
    done = await enroll_app_at_selection(browser, clock)

    # then
    assert done["user"]["mfa"]["methods"] == ["AUTHENTICATOR_APP"]


async def test_an_sms_user_turned_payor_must_enroll_the_app(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    user = await make_user(EMAIL, PayRole.PAYEE)
    await enroll_with_sms(browser, messagebird, EMAIL)
    await browser.execute(doc.LOG_OUT)
    await User.filter(id=user.id).update(pay_role=PayRole.PAYOR)
    texts_before = len(messagebird.messages)

    # when
    result = await sign_in(browser)

    # then
    assert result == {"__typename": "MfaSetupRequired", "pendingToken": None}
    assert (await browser.execute(doc.VIEWER))["viewer"] is None
    selection = await start_setup(browser)
    assert selection["allowedMethods"] == ["AUTHENTICATOR_APP", "SECURITY_KEY"]
    refused = (await browser.execute(doc.CHOOSE_MFA_METHOD, choose("SMS")))["chooseMfaMethod"]
    assert refused["__typename"] == "MethodNotAllowedError"
    assert len(messagebird.messages) == texts_before


async def test_an_sms_user_turned_payor_can_enroll_the_app_and_sign_in_with_it(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn, clock: ManualClock
) -> None:
    # given
    user = await make_user(EMAIL, PayRole.PAYEE)
    await enroll_with_sms(browser, messagebird, EMAIL)
    await browser.execute(doc.LOG_OUT)
    await User.filter(id=user.id).update(pay_role=PayRole.PAYOR)
    await sign_in(browser)
    await start_setup(browser)

    # when
    done = await enroll_app_at_selection(browser, clock)

    # then
    assert done["user"]["payRole"] == "PAYOR"
    assert "AUTHENTICATOR_APP" in done["user"]["mfa"]["methods"]
    await browser.execute(doc.LOG_OUT)
    clock.advance(timedelta(minutes=1))
    challenge = await sign_in(browser)
    assert challenge == {
        "__typename": "MfaChallengeRequired",
        "pendingToken": None,
        "methods": ["AUTHENTICATOR_APP"],
        "preferredMethod": "AUTHENTICATOR_APP",
        "maskedPhoneNumber": None,
    }
    sent = (await browser.execute(doc.SEND_LOGIN_CODE))["sendLoginCode"]
    assert sent["__typename"] == "MethodNotAllowedError"


async def test_an_sms_user_turned_payor_is_told_the_app_comes_first_once_signed_in(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn, clock: ManualClock
) -> None:
    # given: re-enrolled with the app after SMS stopped being allowed
    user = await make_user(EMAIL, PayRole.PAYEE)
    await enroll_with_sms(browser, messagebird, EMAIL)
    await browser.execute(doc.LOG_OUT)
    await User.filter(id=user.id).update(pay_role=PayRole.PAYOR)
    await sign_in(browser)
    await start_setup(browser)
    await enroll_app_at_selection(browser, clock)

    # when
    viewer = (await browser.execute(VIEWER))["viewer"]

    # then: MfaStatus.preferredMethod is "the factor asked for first at sign-in", and the
    # next sign-in asks for the app (SMS is not allowed for payors)
    await browser.execute(doc.LOG_OUT)
    clock.advance(timedelta(minutes=1))
    challenge = await sign_in(browser)
    assert challenge["preferredMethod"] == "AUTHENTICATOR_APP"
    assert viewer["mfa"]["preferredMethod"] == challenge["preferredMethod"], viewer


async def test_an_sms_payee_whose_company_starts_requiring_the_app_must_enroll_it(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn, clock: ManualClock
) -> None:
    # given
    user = await make_user(EMAIL, PayRole.PAYEE)
    await enroll_with_sms(browser, messagebird, EMAIL)
    await browser.execute(doc.LOG_OUT)
    await of_company_requiring_the_app(await User.get(id=user.id))

    # when
    result = await sign_in(browser)

    # then
    assert result == {"__typename": "MfaSetupRequired", "pendingToken": None}
    selection = await start_setup(browser)
    assert selection["allowedMethods"] == ["AUTHENTICATOR_APP"]
    done = await enroll_app_at_selection(browser, clock)
    assert "AUTHENTICATOR_APP" in done["user"]["mfa"]["methods"]


async def test_a_payee_holding_both_turned_payor_is_challenged_for_the_app_only(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given
    user = await make_user(EMAIL, PayRole.PAYEE)
    secret, _ = await enroll_with_app(browser, EMAIL, clock)
    await browser.execute(doc.LOG_OUT)
    await User.filter(id=user.id).update(
        **stored_phone(SECRET_KEY, PHONE), phone_verified_at=clock.now(), pay_role=PayRole.PAYOR
    )

    # when
    challenge = await sign_in(browser)

    # then
    assert challenge["__typename"] == "MfaChallengeRequired"
    assert challenge["methods"] == ["AUTHENTICATOR_APP"]
    assert challenge["maskedPhoneNumber"] is None
    refused = await browser.execute(
        doc.VERIFY_LOGIN_CODE_WITH_METHOD, {"input": {"code": "123456", "method": "SMS"}}
    )
    assert refused["verifyLoginCode"]["__typename"] == "MethodNotAllowedError"
    assert refused["verifyLoginCode"]["allowedMethods"] == ["AUTHENTICATOR_APP"]
    signed_in = await browser.execute(
        doc.VERIFY_LOGIN_CODE_WITH_METHOD, {"input": {"code": app_code(secret, clock.now())}}
    )
    assert signed_in["verifyLoginCode"]["__typename"] == "LoggedIn"
