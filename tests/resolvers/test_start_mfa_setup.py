"""startMfaSetup ('Set Up Now'): the method list, and going back to it from later screens."""

from __future__ import annotations

from models.enums import PayRole
from tests.support import documents as doc
from tests.support.clients import HttpFactory
from tests.support.constants import PHONE
from tests.support.flows import enroll_with_sms, log_in, reach_code_verification
from tests.support.graphql import GraphQLClient
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.users import MakeUser

PAYEE_EMAIL = "payee@example.com"


async def enrollment(client: GraphQLClient) -> dict:
    return (await client.execute(doc.MFA_ENROLLMENT))["mfaEnrollment"]


async def test_payee_is_offered_both_methods_with_the_app_recommended(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    await make_user(PAYEE_EMAIL, PayRole.PAYEE)
    await log_in(browser, PAYEE_EMAIL)
    # when
    data = await browser.execute(doc.START_MFA_SETUP)
    # then: SMS is a restricted authenticator, so the app is always offered and comes first
    assert data["startMfaSetup"] == {
        "__typename": "MfaMethodSelection",
        "allowedMethods": ["AUTHENTICATOR_APP", "SMS", "SECURITY_KEY"],
        "recommendedMethod": "AUTHENTICATOR_APP",
    }
    status = await enrollment(browser)
    assert status["step"] == "METHOD_SELECTION"
    assert status["method"] is None


async def test_payor_is_offered_the_app_and_security_keys(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    await make_user("payor@example.com", PayRole.PAYOR)
    await log_in(browser, "payor@example.com")
    # when
    data = await browser.execute(doc.START_MFA_SETUP)
    # then
    assert data["startMfaSetup"] == {
        "__typename": "MfaMethodSelection",
        "allowedMethods": ["AUTHENTICATOR_APP", "SECURITY_KEY"],
        "recommendedMethod": "AUTHENTICATOR_APP",
    }


async def test_without_a_session_it_is_unauthenticated(browser: GraphQLClient) -> None:
    # when
    errors = await browser.errors(doc.START_MFA_SETUP)
    # then
    assert [e["extensions"]["code"] for e in errors] == ["UNAUTHENTICATED"]


async def test_an_unknown_bearer_token_is_unauthenticated(new_http: HttpFactory) -> None:
    async with new_http() as http:
        # given
        app = GraphQLClient(http, bearer="not-a-token-twofold-ever-issued")
        # when
        errors = await app.errors(doc.START_MFA_SETUP)
    # then
    assert [e["extensions"]["code"] for e in errors] == ["UNAUTHENTICATED"]


async def test_a_logged_out_pending_token_is_unauthenticated(
    new_http: HttpFactory, make_user: MakeUser
) -> None:
    # given
    await make_user(PAYEE_EMAIL, PayRole.PAYEE)
    async with new_http() as http:
        token = (await log_in(GraphQLClient(http), PAYEE_EMAIL, native=True))["pendingToken"]
        app = GraphQLClient(http, bearer=token)
        await app.execute(doc.LOG_OUT)
        # when
        errors = await app.errors(doc.START_MFA_SETUP)
    # then
    assert [e["extensions"]["code"] for e in errors] == ["UNAUTHENTICATED"]


async def test_a_full_session_has_nothing_to_set_up(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    await make_user("staff@example.com", PayRole.NONE)
    assert (await log_in(browser, "staff@example.com"))["__typename"] == "LoggedIn"
    # when
    data = await browser.execute(doc.START_MFA_SETUP)
    # then
    result = data["startMfaSetup"]
    assert result["__typename"] == "WrongStepError"
    assert result["code"] == "WRONG_STEP"
    assert result["currentStep"] == "COMPLETE"


async def test_an_enrolled_users_sign_in_challenge_is_not_enrollment(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    await make_user(PAYEE_EMAIL, PayRole.PAYEE)
    await enroll_with_sms(browser, messagebird, PAYEE_EMAIL)
    await browser.execute(doc.LOG_OUT)
    assert (await log_in(browser, PAYEE_EMAIL))["__typename"] == "MfaChallengeRequired"
    # when
    data = await browser.execute(doc.START_MFA_SETUP)
    # then
    assert data["startMfaSetup"]["__typename"] == "WrongStepError"
    assert data["startMfaSetup"]["currentStep"] == "CHALLENGE"


async def test_calling_it_again_at_method_selection_stays_there(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    await make_user(PAYEE_EMAIL, PayRole.PAYEE)
    await log_in(browser, PAYEE_EMAIL)
    await browser.execute(doc.START_MFA_SETUP)
    # when
    data = await browser.execute(doc.START_MFA_SETUP)
    # then
    assert data["startMfaSetup"]["__typename"] == "MfaMethodSelection"
    assert (await enrollment(browser))["step"] == "METHOD_SELECTION"


async def test_from_phone_number_entry_it_goes_back_to_method_selection(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    await make_user(PAYEE_EMAIL, PayRole.PAYEE)
    await log_in(browser, PAYEE_EMAIL)
    await browser.execute(doc.START_MFA_SETUP)
    await browser.execute(doc.CHOOSE_MFA_METHOD, {"input": {"method": "SMS"}})
    before = await enrollment(browser)
    assert (before["step"], before["method"]) == ("PHONE_NUMBER_ENTRY", "SMS")
    # when
    data = await browser.execute(doc.START_MFA_SETUP)
    # then
    assert data["startMfaSetup"]["__typename"] == "MfaMethodSelection"
    after = await enrollment(browser)
    assert after["step"] == "METHOD_SELECTION"
    assert after["method"] is None


async def test_from_the_app_scan_it_goes_back_to_method_selection(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    await make_user(PAYEE_EMAIL, PayRole.PAYEE)
    await log_in(browser, PAYEE_EMAIL)
    await browser.execute(doc.START_MFA_SETUP)
    await browser.execute(doc.CHOOSE_MFA_METHOD, {"input": {"method": "AUTHENTICATOR_APP"}})
    assert (await enrollment(browser))["step"] == "AUTHENTICATOR_APP_SCAN"
    # when
    data = await browser.execute(doc.START_MFA_SETUP)
    # then
    assert data["startMfaSetup"]["__typename"] == "MfaMethodSelection"
    after = await enrollment(browser)
    assert (after["step"], after["method"]) == ("METHOD_SELECTION", None)


async def test_from_code_verification_going_back_kills_the_outstanding_code(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    await make_user(PAYEE_EMAIL, PayRole.PAYEE)
    await reach_code_verification(browser, PAYEE_EMAIL)
    old_code = messagebird.last_code(PHONE)
    # when
    data = await browser.execute(doc.START_MFA_SETUP)
    # then
    assert data["startMfaSetup"]["__typename"] == "MfaMethodSelection"
    status = await enrollment(browser)
    assert status["step"] == "METHOD_SELECTION"
    assert status["method"] is None
    assert status["codeExpiresAt"] is None
    assert status["attemptsRemaining"] is None
    await browser.execute(doc.CHOOSE_MFA_METHOD, {"input": {"method": "SMS"}})
    verified = await browser.execute(doc.VERIFY_SMS_CODE, {"input": {"code": old_code}})
    assert verified["verifySmsCode"]["__typename"] == "WrongStepError"
    assert verified["verifySmsCode"]["currentStep"] == "PHONE_NUMBER_ENTRY"


async def test_at_recovery_code_save_it_is_too_late_to_go_back(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    await make_user(PAYEE_EMAIL, PayRole.PAYEE)
    await reach_code_verification(browser, PAYEE_EMAIL)
    verified = await browser.execute(
        doc.VERIFY_SMS_CODE, {"input": {"code": messagebird.last_code(PHONE)}}
    )
    assert verified["verifySmsCode"]["__typename"] == "RecoveryCodeIssued"
    # when
    data = await browser.execute(doc.START_MFA_SETUP)
    # then
    assert data["startMfaSetup"]["__typename"] == "WrongStepError"
    assert data["startMfaSetup"]["currentStep"] == "RECOVERY_CODE_SAVE"
    assert (await enrollment(browser))["step"] == "RECOVERY_CODE_SAVE"
