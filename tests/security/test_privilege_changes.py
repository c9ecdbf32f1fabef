"""Privileges move only with proof: a step-up rotates the session token, a sensitive change
started inside the step-up window must also finish inside it, and a company policy that
disallows the factor a session was proven with ends that session (63B 5.1; ASVS 7.2, 7.5)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from graph.context import SESSION_COOKIE
from models.company import Company
from models.enums import PayRole
from models.session import AuthSession
from models.user import User
from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.clients import HttpFactory
from tests.support.constants import PASSWORD, PHONE
from tests.support.flows import app_code, enroll_with_app, enroll_with_sms
from tests.support.graphql import ORIGIN, GraphQLClient
from tests.support.mailbox import Mailbox
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.served import run_twofold, server_environment
from tests.support.users import MakeUser

EMAIL = "privileged@example.com"
COMPANY = "Policy Test Co"
PAST_THE_WINDOW = timedelta(minutes=16)
ONE_STEP = timedelta(seconds=30)

NEW_NUMBER = {"input": {"countryCode": "+1", "phoneNumber": "201 555 0145"}}


async def app_payor_signed_in_natively(
    new_http: HttpFactory, make_user: MakeUser, clock: ManualClock
) -> tuple[str, str]:
    """(secret, session token) of a payor who enrolled an app and signed in from a phone app."""
    await make_user(EMAIL, PayRole.PAYOR)
    async with new_http() as http:
        secret, _ = await enroll_with_app(GraphQLClient(http), EMAIL, clock)
    async with new_http() as http:
        client = GraphQLClient(http)
        login = {"input": {"email": EMAIL, "password": PASSWORD, "client": "NATIVE"}}
        pending = (await client.execute(doc.LOG_IN, login))["logIn"]["pendingToken"]
        client.bearer = pending
        code = {"input": {"code": app_code(secret, clock.now())}}
        signed_in = (await client.execute(doc.VERIFY_LOGIN_CODE, code))["verifyLoginCode"]
    clock.advance(ONE_STEP)
    return secret, str(signed_in["sessionToken"])


async def test_a_step_up_gives_the_session_a_new_token_and_the_old_one_dies(
    new_http: HttpFactory, make_user: MakeUser, clock: ManualClock
) -> None:
    # given: a signed-in app whose token was also copied elsewhere, past the step-up window
    secret, token = await app_payor_signed_in_natively(new_http, make_user, clock)
    clock.advance(PAST_THE_WINDOW)
    live_sessions = await AuthSession.filter(revoked_at__isnull=True).count()

    # when: the app steps up
    async with new_http() as http, new_http() as thief:
        app, copy = GraphQLClient(http, bearer=token), GraphQLClient(thief, bearer=token)
        stepped = (
            await app.execute(
                doc.REAUTHENTICATE, {"input": {"code": app_code(secret, clock.now())}}
            )
        )["reauthenticate"]
        new_token = stepped["sessionToken"]
        by_copy = await copy.post(doc.REGENERATE_RECOVERY_CODE)
        app.bearer = new_token
        by_app = await app.execute(doc.REGENERATE_RECOVERY_CODE)

    # then: the copy of the old token gained nothing; it is not even signed in any more
    assert stepped["__typename"] == "Reauthenticated"
    assert new_token and new_token != token
    assert by_copy.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert by_app["regenerateRecoveryCode"]["__typename"] == "RecoveryCodeIssued"
    # the same session goes on under its new token
    assert await AuthSession.filter(revoked_at__isnull=True).count() == live_sessions


async def test_a_browser_step_up_replaces_the_session_cookie(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given
    await make_user(EMAIL, PayRole.PAYOR)
    secret, _ = await enroll_with_app(browser, EMAIL, clock)
    old_cookie = browser.http.cookies[SESSION_COOKIE]
    clock.advance(PAST_THE_WINDOW)

    # when
    stepped = (
        await browser.execute(
            doc.REAUTHENTICATE, {"input": {"code": app_code(secret, clock.now())}}
        )
    )["reauthenticate"]

    # then: the payload carries no token; the cookie changed and the old one is dead
    assert stepped == {
        "__typename": "Reauthenticated",
        "validUntil": stepped["validUntil"],
        "sessionToken": None,
    }
    assert browser.http.cookies[SESSION_COOKIE] != old_cookie
    old = await browser.http.post(
        "/graphql",
        json={"query": doc.VIEWER_FACTORS},
        headers={"Origin": ORIGIN, "Cookie": f"{SESSION_COOKIE}={old_cookie}"},
    )
    assert old.json()["data"]["viewer"] is None


async def test_a_phone_change_started_in_the_window_cannot_finish_after_it(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given: a payee who just enrolled SMS starts a change inside the step-up window
    await make_user(EMAIL)
    await enroll_with_sms(browser, messagebird, EMAIL)
    clock.advance(ONE_STEP)
    started = await browser.execute(doc.START_PHONE_NUMBER_CHANGE, NEW_NUMBER)
    assert started["startPhoneNumberChange"]["__typename"] == "SmsCodeSent"
    code = messagebird.last_code("+12015550145")

    # when: the right code comes after the window closed
    clock.advance(PAST_THE_WINDOW)
    confirmed = await browser.execute(doc.CONFIRM_PHONE_NUMBER_CHANGE, {"input": {"code": code}})

    # then
    assert confirmed["confirmPhoneNumberChange"] == {
        "__typename": "ReauthenticationRequiredError",
        "code": "REAUTHENTICATION_REQUIRED",
    }
    mfa = (await browser.execute(doc.VIEWER_FACTORS))["viewer"]["mfa"]
    assert mfa["maskedPhoneNumber"].endswith(PHONE[-2:])


async def test_an_app_added_in_the_window_cannot_be_activated_after_it(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    clock: ManualClock,
) -> None:
    # given: a payee who just enrolled SMS starts adding an app inside the step-up window
    await make_user(EMAIL)
    await enroll_with_sms(browser, messagebird, EMAIL)
    chosen = (await browser.execute(doc.ADD_AUTHENTICATOR_APP))["addAuthenticatorApp"]
    secret = chosen["secret"].replace(" ", "")

    # when
    clock.advance(PAST_THE_WINDOW)
    verified = await browser.execute(
        doc.VERIFY_AUTHENTICATOR_CODE, {"input": {"code": app_code(secret, clock.now())}}
    )

    # then
    assert verified["verifyAuthenticatorCode"]["code"] == "REAUTHENTICATION_REQUIRED"
    assert (await browser.execute(doc.VIEWER_FACTORS))["viewer"]["mfa"]["methods"] == ["SMS"]


async def sms_payee_of_company(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> User:
    """A payee of the company, signed in on `browser` just after enrolling SMS."""
    company = await Company.create(name=COMPANY)
    user = await make_user(EMAIL)
    await User.filter(id=user.id).update(company_id=company.id)
    await enroll_with_sms(browser, messagebird, EMAIL)
    return await User.get(id=user.id)


async def holder_of_both_factors_signed_in(make_user: MakeUser, sms_user: User) -> User:
    """Another payee of the company who holds an app besides the same phone, with a session."""
    both = await make_user("both@example.com")
    await User.filter(id=both.id).update(
        company_id=sms_user.company_id,
        phone_sealed=sms_user.phone_sealed,
        phone_masked=sms_user.phone_masked,
        phone_verified_at=sms_user.phone_verified_at,
        totp_secret_sealed="held",
        totp_added_at=sms_user.phone_verified_at,
    )
    now = sms_user.phone_verified_at
    assert now is not None
    await AuthSession.create(
        token_sha256="0" * 64,
        user=both,
        kind="full",
        created_at=now,
        last_seen_at=now,
        expires_at=now + timedelta(hours=12),
    )
    return both


def set_policy(env: dict[str, str], cwd: Path, *flags: str) -> str:
    """`twofold company`, as an operator runs it, on the suite's database."""
    done = run_twofold(env, cwd, "company", COMPANY, *flags)
    assert done.returncode == 0, done.stderr
    return done.stdout


async def test_requiring_the_app_ends_the_sessions_of_sms_only_users(
    browser: GraphQLClient,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    mailbox: Mailbox,
    database_url: str,
    tmp_path: Path,
) -> None:
    # given: an SMS-only payee signed in, and a payee with both factors signed in too
    sms_user = await sms_payee_of_company(browser, make_user, messagebird)
    both = await holder_of_both_factors_signed_in(make_user, sms_user)
    env = server_environment(database_url, messagebird, mailbox)

    # when: the company starts requiring an authenticator app
    printed = set_policy(env, tmp_path, "--require-authenticator-app")

    # then: the SMS-only session is over, so it cannot add an app without proof
    assert "1 sessions ended" in printed
    assert (await browser.execute(doc.VIEWER_FACTORS))["viewer"] is None
    added = await browser.post(doc.ADD_AUTHENTICATOR_APP)
    assert added.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await AuthSession.filter(user_id=both.id, revoked_at__isnull=True).count() == 1


async def test_a_session_whose_factor_became_unusable_cannot_change_factors(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given: the policy changed by a path that did not end the session (another process, SQL)
    await sms_payee_of_company(browser, make_user, messagebird)
    await Company.filter(name=COMPANY).update(require_authenticator_app=True)

    # when: within the step-up window of its SMS sign-in, the session tries to add an app
    added = await browser.post(doc.ADD_AUTHENTICATOR_APP)

    # then: nothing left to prove with, so the session ends instead
    assert added.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await AuthSession.filter(revoked_at__isnull=True).count() == 0


async def test_an_enrollment_half_way_through_sms_starts_over(
    new_http: HttpFactory,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    mailbox: Mailbox,
    database_url: str,
    tmp_path: Path,
) -> None:
    # given: a payee of the company has chosen SMS but not finished enrolling
    await Company.create(name=COMPANY)
    await make_user(EMAIL)
    await User.filter(email=EMAIL).update(company_id=(await Company.get(name=COMPANY)).id)
    async with new_http() as http:
        client = GraphQLClient(http)
        await client.execute(doc.LOG_IN, {"input": {"email": EMAIL, "password": PASSWORD}})
        await client.execute(doc.START_MFA_SETUP)
        await client.execute(doc.CHOOSE_MFA_METHOD, {"input": {"method": "SMS"}})

        # when
        set_policy(
            server_environment(database_url, messagebird, mailbox),
            tmp_path,
            "--require-authenticator-app",
        )
        sent = await client.post(
            doc.SEND_SMS_CODE, {"input": {"countryCode": "+1", "phoneNumber": "201 555 0123"}}
        )

    # then
    assert sent.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert messagebird.requests == 0
