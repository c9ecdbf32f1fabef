"""Resume anywhere: after a reload, one query tells a client which screen to show and with what
data, in every state: signed out, each enrollment step, the sign-in challenge, signed in (with
or without a recent second factor), and a factor change in progress."""

from __future__ import annotations

from datetime import timedelta

import pyotp

from models.enums import PayRole
from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.clients import HttpFactory
from tests.support.constants import PASSWORD, PHONE
from tests.support.flows import app_code, enroll_with_app, enroll_with_sms, log_in, reach_app_scan
from tests.support.graphql import GraphQLClient
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.users import MakeUser

EMAIL = "resumer@example.com"
WHERE_AM_I = """
query WhereAmI {
  viewer { email }
  mfaEnrollment {
    step signedIn method methods preferredMethod allowedMethods maskedPhoneNumber
    codeExpiresAt attemptsRemaining reauthenticatedUntil
    authenticatorAppSetup { secret secretBase32 otpauthUri qrCodeSvg }
  }
}
"""
SEND_LOGIN_CODE = "mutation { sendLoginCode { __typename } }"
START_PHONE_NUMBER_CHANGE = """
mutation { startPhoneNumberChange(input: {countryCode: "+1", phoneNumber: "201 555 0145"}) {
  __typename
} }
"""


async def where(client: GraphQLClient) -> dict:
    return await client.execute(WHERE_AM_I)


async def test_signed_out_there_is_no_state_to_resume(browser: GraphQLClient) -> None:
    # when
    state = await where(browser)

    # then: the sign-in screen
    assert state == {"viewer": None, "mfaEnrollment": None}


async def test_each_enrollment_step_is_reported_with_its_data(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    await make_user(EMAIL)
    steps = []

    # when: the payee walks the SMS screens, reloading after each
    await log_in(browser, EMAIL)
    steps.append(await where(browser))
    await browser.execute(doc.START_MFA_SETUP)
    steps.append(await where(browser))
    await browser.execute(doc.CHOOSE_MFA_METHOD, {"input": {"method": "SMS"}})
    steps.append(await where(browser))
    await browser.execute(
        doc.SEND_SMS_CODE, {"input": {"countryCode": "+1", "phoneNumber": "201 555 0123"}}
    )
    steps.append(await where(browser))

    # then
    assert [s["mfaEnrollment"]["step"] for s in steps] == [
        "SETUP_REQUIRED",
        "METHOD_SELECTION",
        "PHONE_NUMBER_ENTRY",
        "CODE_VERIFICATION",
    ]
    assert {s["mfaEnrollment"]["signedIn"] for s in steps} == {False}
    assert {s["viewer"] for s in steps} == {None}
    assert steps[0]["mfaEnrollment"]["allowedMethods"] == [
        "AUTHENTICATOR_APP",
        "SMS",
        "SECURITY_KEY",
    ]
    texting = steps[3]["mfaEnrollment"]
    assert texting["maskedPhoneNumber"] == "+*********23"
    assert texting["attemptsRemaining"] == 5
    assert texting["codeExpiresAt"] is not None


async def test_the_app_scan_screen_can_be_shown_again_after_a_reload(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given: a payor at the scan screen, who reloads the page
    await make_user(EMAIL, PayRole.PAYOR)
    secret = await reach_app_scan(browser, EMAIL)

    # when
    setup = (await where(browser))["mfaEnrollment"]["authenticatorAppSetup"]

    # then: the same secret, usable as it is by a TOTP library, and a QR code to scan
    assert setup["secretBase32"] == secret
    assert setup["secret"].replace(" ", "") == secret
    assert setup["otpauthUri"].startswith("otpauth://totp/")
    assert setup["qrCodeSvg"].startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    code = pyotp.TOTP(setup["secretBase32"]).at(clock.now())
    verified = await browser.execute(doc.VERIFY_AUTHENTICATOR_CODE, {"input": {"code": code}})
    assert verified["verifyAuthenticatorCode"]["__typename"] == "RecoveryCodeIssued"
    assert (await where(browser))["mfaEnrollment"]["authenticatorAppSetup"] is None


async def test_a_recovery_code_lost_in_a_reload_is_replaced_and_only_the_new_one_works(
    browser: GraphQLClient, new_http: HttpFactory, make_user: MakeUser, clock: ManualClock
) -> None:
    # given: the code was shown, then the page reloaded before the user saved it
    await make_user(EMAIL, PayRole.PAYOR)
    secret = await reach_app_scan(browser, EMAIL)
    first = await browser.execute(
        doc.VERIFY_AUTHENTICATOR_CODE, {"input": {"code": app_code(secret, clock.now())}}
    )
    lost = first["verifyAuthenticatorCode"]["recoveryCode"]
    assert (await where(browser))["mfaEnrollment"]["step"] == "RECOVERY_CODE_SAVE"

    # when
    reissued = (await browser.execute(doc.REGENERATE_RECOVERY_CODE))["regenerateRecoveryCode"]
    done = await browser.execute(doc.CONFIRM_RECOVERY_CODE_SAVED, doc.SAVED)

    # then: signed in, and at the next sign-in the lost code is refused, the new one works
    assert reissued["__typename"] == "RecoveryCodeIssued"
    assert reissued["recoveryCode"] != lost
    assert done["confirmRecoveryCodeSaved"]["__typename"] == "LoggedIn"
    async with new_http() as http:
        again = GraphQLClient(http)
        assert (await log_in(again, EMAIL))["__typename"] == "MfaChallengeRequired"
        refused = await again.execute(
            doc.LOG_IN_WITH_RECOVERY_CODE, {"input": {"recoveryCode": lost}}
        )
        used = await again.execute(
            doc.LOG_IN_WITH_RECOVERY_CODE, {"input": {"recoveryCode": reissued["recoveryCode"]}}
        )
    assert refused["logInWithRecoveryCode"]["__typename"] == "InvalidCodeError"
    assert used["logInWithRecoveryCode"]["__typename"] == "RecoveryCodeIssued"


async def test_the_sign_in_challenge_is_reported_with_the_factors_to_prove(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given: an SMS payee signs in again and asks for a code, then reloads
    await make_user(EMAIL)
    await enroll_with_sms(browser, messagebird, EMAIL)
    await browser.execute(doc.LOG_OUT)
    await log_in(browser, EMAIL)
    await browser.execute(SEND_LOGIN_CODE)

    # when
    state = await where(browser)

    # then
    status = state["mfaEnrollment"]
    assert state["viewer"] is None
    assert (status["step"], status["signedIn"]) == ("CHALLENGE", False)
    assert (status["methods"], status["preferredMethod"]) == (["SMS"], "SMS")
    assert status["maskedPhoneNumber"] == "+*********23"
    assert status["attemptsRemaining"] == 5
    assert status["reauthenticatedUntil"] is None


async def test_signed_in_with_and_without_a_recent_second_factor(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given
    await make_user(EMAIL, PayRole.PAYOR)
    await enroll_with_app(browser, EMAIL, clock)

    # when
    fresh = await where(browser)
    clock.advance(timedelta(minutes=16))
    stale = await where(browser)

    # then: the change screens can tell whether to ask for reauthentication first
    for state in (fresh, stale):
        assert state["viewer"] == {"email": EMAIL}
        assert (state["mfaEnrollment"]["step"], state["mfaEnrollment"]["signedIn"]) == (
            "COMPLETE",
            True,
        )
        assert state["mfaEnrollment"]["methods"] == ["AUTHENTICATOR_APP"]
    assert fresh["mfaEnrollment"]["reauthenticatedUntil"] is not None
    assert stale["mfaEnrollment"]["reauthenticatedUntil"] is None


async def test_a_factor_change_in_progress_is_reported_on_the_signed_in_session(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given: a payee changing the number, at the code screen, reloads
    await make_user(EMAIL)
    await enroll_with_sms(browser, messagebird, EMAIL)
    sent = (await browser.execute(START_PHONE_NUMBER_CHANGE))["startPhoneNumberChange"]
    assert sent["__typename"] == "SmsCodeSent"

    # when
    state = await where(browser)

    # then
    status = state["mfaEnrollment"]
    assert state["viewer"] == {"email": EMAIL}
    assert (status["step"], status["signedIn"]) == ("CODE_VERIFICATION", True)
    assert status["maskedPhoneNumber"] == "+*********45"
    assert status["codeExpiresAt"] is not None


async def test_a_native_app_resumes_with_its_pending_token(
    new_http: HttpFactory, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    await make_user(EMAIL)
    async with new_http() as http:
        login = {"input": {"email": EMAIL, "password": PASSWORD, "client": "NATIVE"}}
        pending = (await GraphQLClient(http).execute(doc.LOG_IN, login))["logIn"]["pendingToken"]
    async with new_http() as http:
        app = GraphQLClient(http, bearer=pending)

        # when
        state = await where(app)

    # then
    assert state["mfaEnrollment"]["step"] == "SETUP_REQUIRED"
    assert PHONE not in str(state)


async def test_a_new_code_after_a_recovery_sign_in_replaces_the_one_lost_in_a_reload(
    browser: GraphQLClient, new_http: HttpFactory, make_user: MakeUser, clock: ManualClock
) -> None:
    # given: a recovery-code sign-in showed a new code, then the page reloaded
    await make_user(EMAIL, PayRole.PAYOR)
    _, recovery_code = await enroll_with_app(browser, EMAIL, clock)
    await browser.execute(doc.LOG_OUT)
    await log_in(browser, EMAIL)
    used = await browser.execute(
        doc.LOG_IN_WITH_RECOVERY_CODE, {"input": {"recoveryCode": recovery_code}}
    )
    lost = used["logInWithRecoveryCode"]["recoveryCode"]

    # when
    reissued = (await browser.execute(doc.REGENERATE_RECOVERY_CODE))["regenerateRecoveryCode"]
    done = await browser.execute(doc.CONFIRM_RECOVERY_CODE_SAVED, doc.SAVED)

    # then
    assert done["confirmRecoveryCodeSaved"]["__typename"] == "LoggedIn"
    async with new_http() as http:
        again = GraphQLClient(http)
        await log_in(again, EMAIL)
        refused = await again.execute(
            doc.LOG_IN_WITH_RECOVERY_CODE, {"input": {"recoveryCode": lost}}
        )
        works = await again.execute(
            doc.LOG_IN_WITH_RECOVERY_CODE, {"input": {"recoveryCode": reissued["recoveryCode"]}}
        )
    assert refused["logInWithRecoveryCode"]["__typename"] == "InvalidCodeError"
    assert works["logInWithRecoveryCode"]["__typename"] == "RecoveryCodeIssued"
