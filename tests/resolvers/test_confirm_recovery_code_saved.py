"""confirmRecoveryCodeSaved: the last enrollment screen; the pending session becomes a full one."""

from __future__ import annotations

import asyncio

import httpx

from graph.context import SESSION_COOKIE
from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.clients import HttpFactory
from tests.support.constants import PHONE
from tests.support.flows import log_in, reach_code_verification
from tests.support.graphql import GraphQLClient, error_codes
from tests.support.mailbox import Mailbox
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.users import MakeUser

EMAIL = "payee@example.com"
MASKED_PHONE = "+*********23"
NOT_SAVED = {"input": {"saved": False}}


async def confirm(client: GraphQLClient, variables: dict) -> dict:
    return (await client.execute(doc.CONFIRM_RECOVERY_CODE_SAVED, variables))[
        "confirmRecoveryCodeSaved"
    ]


async def reach_recovery_code_save(client: GraphQLClient, messagebird: MessageBirdStandIn) -> str:
    """Sign in and verify the texted code; returns the recovery code shown."""
    await reach_code_verification(client, EMAIL)
    verified = await client.execute(
        doc.VERIFY_SMS_CODE, {"input": {"code": messagebird.last_code(PHONE)}}
    )
    assert verified["verifySmsCode"]["__typename"] == "RecoveryCodeIssued"
    return str(verified["verifySmsCode"]["recoveryCode"])


async def native_at_recovery_code_save(
    http: httpx.AsyncClient, messagebird: MessageBirdStandIn
) -> GraphQLClient:
    """A mobile app that signed in and verified its code; it holds only its pending token."""
    started = await log_in(GraphQLClient(http), EMAIL, native=True)
    assert started["__typename"] == "MfaSetupRequired"
    assert started["pendingToken"]
    app = GraphQLClient(http, bearer=started["pendingToken"])
    await app.execute(doc.START_MFA_SETUP)
    await app.execute(doc.CHOOSE_MFA_METHOD, {"input": {"method": "SMS"}})
    sent = await app.execute(
        doc.SEND_SMS_CODE, {"input": {"countryCode": "+1", "phoneNumber": "201 555 0123"}}
    )
    assert sent["sendSmsCode"]["__typename"] == "SmsCodeSent"
    verified = await app.execute(
        doc.VERIFY_SMS_CODE, {"input": {"code": messagebird.last_code(PHONE)}}
    )
    assert verified["verifySmsCode"]["__typename"] == "RecoveryCodeIssued"
    return app


async def test_not_saved_is_refused_and_keeps_the_step(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    await make_user(EMAIL)
    await reach_recovery_code_save(browser, messagebird)

    # when
    result = await confirm(browser, NOT_SAVED)

    # then
    assert result["__typename"] == "RecoveryCodeNotSavedError"
    assert result["code"] == "RECOVERY_CODE_NOT_SAVED"
    assert (await browser.execute(doc.ENROLLMENT_STEP))["mfaEnrollment"][
        "step"
    ] == "RECOVERY_CODE_SAVE"
    assert (await browser.execute(doc.VIEWER))["viewer"] is None
    assert (await confirm(browser, doc.SAVED))["__typename"] == "LoggedIn"


async def test_browser_is_signed_in_with_a_new_cookie(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    await make_user(EMAIL)
    await reach_recovery_code_save(browser, messagebird)
    pending_cookie = browser.http.cookies.get(SESSION_COOKIE)
    assert pending_cookie

    # when
    result = await confirm(browser, doc.SAVED)

    # then
    assert result["__typename"] == "LoggedIn"
    assert result["sessionToken"] is None
    assert result["user"]["email"] == EMAIL
    assert result["user"]["mfa"] == {
        "enrolled": True,
        "methods": ["SMS"],
        "maskedPhoneNumber": MASKED_PHONE,
    }
    session_cookie = browser.http.cookies.get(SESSION_COOKIE)
    assert session_cookie
    assert session_cookie != pending_cookie


async def test_browser_cookie_is_locked_down(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    await make_user(EMAIL)
    await reach_recovery_code_save(browser, messagebird)

    # when
    response = await browser.post(doc.CONFIRM_RECOVERY_CODE_SAVED, doc.SAVED)

    # then
    set_cookie = response.headers["set-cookie"]
    assert set_cookie.startswith(f"{SESSION_COOKIE}=")
    attributes = {part.strip().lower() for part in set_cookie.split(";")}
    assert {"httponly", "secure", "samesite=strict", "path=/"} <= attributes


async def test_viewer_shows_the_enrolled_phone_masked(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    await make_user(EMAIL)
    await reach_recovery_code_save(browser, messagebird)

    # when
    await confirm(browser, doc.SAVED)

    # then
    viewer = (await browser.execute(doc.VIEWER))["viewer"]
    assert viewer["email"] == EMAIL
    assert viewer["mfa"]["enrolled"] is True
    assert viewer["mfa"]["methods"] == ["SMS"]
    assert viewer["mfa"]["maskedPhoneNumber"] == MASKED_PHONE
    assert (await browser.execute(doc.ENROLLMENT_STEP))["mfaEnrollment"]["step"] == "COMPLETE"


async def test_native_app_gets_a_session_token_and_its_pending_token_dies(
    new_http: HttpFactory,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
) -> None:
    # given
    await make_user(EMAIL)
    async with new_http() as http:
        pending_app = await native_at_recovery_code_save(http, messagebird)

        # when
        result = await confirm(pending_app, doc.SAVED)

        # then
        assert result["__typename"] == "LoggedIn"
        token = result["sessionToken"]
        assert token
        assert token != pending_app.bearer
        assert http.cookies.get(SESSION_COOKIE) is None
        assert await error_codes(pending_app, doc.START_MFA_SETUP) == ["UNAUTHENTICATED"]
        assert (await pending_app.execute(doc.MFA_ENROLLMENT))["mfaEnrollment"] is None
        assert (await pending_app.execute(doc.VIEWER))["viewer"] is None
        signed_in = GraphQLClient(http, bearer=token)
        assert (await signed_in.execute(doc.VIEWER))["viewer"]["email"] == EMAIL


async def test_email_tells_the_account_that_mfa_was_enabled(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    mailbox: Mailbox,
    clock: ManualClock,
) -> None:
    # given
    await make_user(EMAIL)
    recovery_code = await reach_recovery_code_save(browser, messagebird)
    assert mailbox.to(EMAIL) == []

    # when
    await confirm(browser, doc.SAVED)

    # then
    [message] = mailbox.to(EMAIL)
    assert "MFA is now enabled on your account" in message["Subject"]
    body = message.get_content()
    assert "If this was not you" in body
    assert clock.now().strftime("%Y-%m-%d") in body
    assert recovery_code not in body
    assert recovery_code.replace("-", "") not in body
    assert PHONE not in body
    assert PHONE.lstrip("+") not in body


async def test_browser_confirming_twice_is_out_of_step(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    mailbox: Mailbox,
) -> None:
    # given: the browser now holds the full session's cookie
    await make_user(EMAIL)
    await reach_recovery_code_save(browser, messagebird)
    assert (await confirm(browser, doc.SAVED))["__typename"] == "LoggedIn"

    # when
    again = await confirm(browser, doc.SAVED)

    # then
    assert again["__typename"] == "WrongStepError"
    assert again["code"] == "WRONG_STEP"
    assert again["currentStep"] == "COMPLETE"
    assert len(mailbox.to(EMAIL)) == 1


async def test_native_confirming_twice_with_the_pending_token_is_unauthenticated(
    new_http: HttpFactory,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    mailbox: Mailbox,
) -> None:
    # given
    await make_user(EMAIL)
    async with new_http() as http:
        pending_app = await native_at_recovery_code_save(http, messagebird)
        assert (await confirm(pending_app, doc.SAVED))["__typename"] == "LoggedIn"

        # when
        codes = await error_codes(pending_app, doc.CONFIRM_RECOVERY_CODE_SAVED, doc.SAVED)

        # then
        assert codes == ["UNAUTHENTICATED"]
        assert len(mailbox.to(EMAIL)) == 1


async def test_concurrent_confirmations_sign_in_once(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    mailbox: Mailbox,
) -> None:
    # given
    await make_user(EMAIL)
    await reach_recovery_code_save(browser, messagebird)

    # when
    responses = await asyncio.gather(
        *(browser.post(doc.CONFIRM_RECOVERY_CODE_SAVED, doc.SAVED) for _ in range(10))
    )

    # then
    outcomes = []
    for response in responses:
        body = response.json()
        if body.get("errors"):
            outcomes.append(body["errors"][0]["extensions"]["code"])
        else:
            outcomes.append(body["data"]["confirmRecoveryCodeSaved"]["__typename"])
    assert outcomes.count("LoggedIn") == 1, outcomes
    assert set(outcomes) <= {"LoggedIn", "WrongStepError", "UNAUTHENTICATED"}, outcomes
    assert len(mailbox.to(EMAIL)) == 1
    assert (await browser.execute(doc.VIEWER))["viewer"]["email"] == EMAIL


async def test_before_the_code_is_verified_is_out_of_step(
    browser: GraphQLClient, make_user: MakeUser, mailbox: Mailbox
) -> None:
    # given
    await make_user(EMAIL)
    await reach_code_verification(browser, EMAIL)

    # when
    result = await confirm(browser, doc.SAVED)

    # then
    assert result["__typename"] == "WrongStepError"
    assert result["currentStep"] == "CODE_VERIFICATION"
    assert (await browser.execute(doc.VIEWER))["viewer"] is None
    assert mailbox.to(EMAIL) == []


async def test_right_after_sign_in_is_out_of_step(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    await make_user(EMAIL)
    assert (await log_in(browser, EMAIL))["__typename"] == "MfaSetupRequired"

    # when
    result = await confirm(browser, doc.SAVED)

    # then
    assert result["__typename"] == "WrongStepError"
    assert result["currentStep"] == "SETUP_REQUIRED"


async def test_without_a_session_is_unauthenticated(browser: GraphQLClient) -> None:
    # when
    codes = await error_codes(browser, doc.CONFIRM_RECOVERY_CODE_SAVED, doc.SAVED)

    # then
    assert codes == ["UNAUTHENTICATED"]
