"""chooseMfaMethod ('Select an Authentication Method' -> Continue)."""

from __future__ import annotations

import pytest

from models.enums import PayRole
from tests.support import documents as doc
from tests.support.flows import log_in
from tests.support.graphql import GraphQLClient
from tests.support.users import MakeUser

PAYEE_EMAIL = "payee@example.com"


def choose(method: str) -> dict:
    return {"input": {"method": method}}


async def at_method_selection(
    client: GraphQLClient, make_user: MakeUser, email: str, role: PayRole
) -> None:
    await make_user(email, role)
    assert (await log_in(client, email))["__typename"] == "MfaSetupRequired"
    started = await client.execute(doc.START_MFA_SETUP)
    assert started["startMfaSetup"]["__typename"] == "MfaMethodSelection"


async def enrollment(client: GraphQLClient) -> dict:
    return (await client.execute(doc.MFA_ENROLLMENT))["mfaEnrollment"]


async def test_sms_leads_to_phone_number_entry_with_the_allowed_countries(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    await at_method_selection(browser, make_user, PAYEE_EMAIL, PayRole.PAYEE)
    # when
    data = await browser.execute(doc.CHOOSE_MFA_METHOD, choose("SMS"))
    # then
    assert data["chooseMfaMethod"] == {
        "__typename": "SmsMethodChosen",
        "allowedCountries": [{"regionCode": "US", "callingCode": "+1"}],
    }
    status = await enrollment(browser)
    assert (status["step"], status["method"]) == ("PHONE_NUMBER_ENTRY", "SMS")


@pytest.mark.parametrize(
    ("email", "role"),
    [(PAYEE_EMAIL, PayRole.PAYEE), ("payor@example.com", PayRole.PAYOR)],
    ids=["payee", "payor"],
)
async def test_the_authenticator_app_leads_to_the_scan_with_a_fresh_secret(
    browser: GraphQLClient, make_user: MakeUser, email: str, role: PayRole
) -> None:
    # given
    await at_method_selection(browser, make_user, email, role)
    # when
    data = await browser.execute(doc.CHOOSE_MFA_METHOD, choose("AUTHENTICATOR_APP"))
    # then
    result = data["chooseMfaMethod"]
    assert result["__typename"] == "AuthenticatorAppMethodChosen"
    assert result["secret"]
    assert result["otpauthUri"].startswith("otpauth://totp/")
    assert "issuer=Twofold" in result["otpauthUri"]
    assert "<svg" in result["qrCodeSvg"]
    status = await enrollment(browser)
    assert (status["step"], status["method"]) == ("AUTHENTICATOR_APP_SCAN", "AUTHENTICATOR_APP")


async def test_payor_may_not_choose_sms(browser: GraphQLClient, make_user: MakeUser) -> None:
    # given
    await at_method_selection(browser, make_user, "payor@example.com", PayRole.PAYOR)
    # when
    data = await browser.execute(doc.CHOOSE_MFA_METHOD, choose("SMS"))
    # then
    result = data["chooseMfaMethod"]
    assert result["__typename"] == "MethodNotAllowedError"
    assert result["code"] == "METHOD_NOT_ALLOWED"
    assert result["allowedMethods"] == ["AUTHENTICATOR_APP", "SECURITY_KEY"]
    status = await enrollment(browser)
    assert (status["step"], status["method"]) == ("METHOD_SELECTION", None)


async def test_before_start_mfa_setup_it_is_the_wrong_step(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    await make_user(PAYEE_EMAIL, PayRole.PAYEE)
    await log_in(browser, PAYEE_EMAIL)
    # when
    data = await browser.execute(doc.CHOOSE_MFA_METHOD, choose("SMS"))
    # then
    result = data["chooseMfaMethod"]
    assert result["__typename"] == "WrongStepError"
    assert result["code"] == "WRONG_STEP"
    assert result["currentStep"] == "SETUP_REQUIRED"
    assert (await enrollment(browser))["step"] == "SETUP_REQUIRED"


async def test_choosing_twice_is_the_wrong_step(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    await at_method_selection(browser, make_user, PAYEE_EMAIL, PayRole.PAYEE)
    await browser.execute(doc.CHOOSE_MFA_METHOD, choose("SMS"))
    # when
    data = await browser.execute(doc.CHOOSE_MFA_METHOD, choose("SMS"))
    # then
    assert data["chooseMfaMethod"]["__typename"] == "WrongStepError"
    assert data["chooseMfaMethod"]["currentStep"] == "PHONE_NUMBER_ENTRY"


async def test_a_full_session_has_no_method_to_choose(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    await make_user("staff@example.com", PayRole.NONE)
    assert (await log_in(browser, "staff@example.com"))["__typename"] == "LoggedIn"
    # when
    data = await browser.execute(doc.CHOOSE_MFA_METHOD, choose("SMS"))
    # then
    assert data["chooseMfaMethod"]["__typename"] == "WrongStepError"
    assert data["chooseMfaMethod"]["currentStep"] == "COMPLETE"


async def test_without_a_session_it_is_unauthenticated(browser: GraphQLClient) -> None:
    # when
    errors = await browser.errors(doc.CHOOSE_MFA_METHOD, choose("SMS"))
    # then
    assert [e["extensions"]["code"] for e in errors] == ["UNAUTHENTICATED"]
