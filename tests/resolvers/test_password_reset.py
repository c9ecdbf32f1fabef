"""requestPasswordReset and resetPassword, round trips through the emails the SMTP test server
receives: the emailed link never stands in for the second factor. A user with one passes the
sign-in challenge (SMS, app, security key or recovery code) before the new password takes
effect and a session is issued; a locked account stays locked."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

from domain import metrics, password_reset
from models.audit_event import AuditEvent
from models.enums import PayRole
from models.password_reset import PasswordReset
from models.user import User
from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.account_links import token_of, wait_for_link, wait_for_subject
from tests.support.authenticator import SoftwareAuthenticator
from tests.support.clients import HttpFactory
from tests.support.constants import PASSWORD, PHONE
from tests.support.flows import (
    app_code,
    enroll_with_app,
    enroll_with_security_key,
    enroll_with_sms,
    security_key_challenge,
)
from tests.support.graphql import ORIGIN, GraphQLClient
from tests.support.mailbox import Mailbox
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.users import MakeUser, cheap_user

NEW_PASSWORD = "violet kettle under moonlight"
PATH = "/reset-password"
NOTICE = "Your password was changed"


async def emailed_token(client: GraphQLClient, mailbox: Mailbox, email: str, n: int = 1) -> str:
    asked = await client.execute(doc.REQUEST_PASSWORD_RESET, {"input": {"email": email}})
    assert asked["requestPasswordReset"]["__typename"] == "PasswordResetRequested", asked
    return token_of(await wait_for_link(mailbox, email, PATH, n))


async def reset(client: GraphQLClient, token: str, password: str = NEW_PASSWORD) -> dict:
    variables = {"input": {"token": token, "newPassword": password}}
    return dict((await client.execute(doc.RESET_PASSWORD, variables))["resetPassword"])


async def sign_in_answer(new_http: HttpFactory, email: str, password: str) -> str:
    """What logIn answers a fresh device for this password (not InvalidCredentialsError means
    the password is right)."""
    async with new_http() as http:
        variables = {"input": {"email": email, "password": password}}
        answered = await GraphQLClient(http).execute(doc.LOG_IN, variables)
    return str(answered["logIn"]["__typename"])


async def test_the_emailed_link_is_on_the_app_and_carries_the_token_after_the_hash(
    browser: GraphQLClient, mailbox: Mailbox
) -> None:
    # given
    await cheap_user("plain@example.com")

    # when
    await emailed_token(browser, mailbox, "plain@example.com")

    # then: the page is the app's; the token is a fragment, and only its keyed hash is stored
    link = await wait_for_link(mailbox, "plain@example.com", PATH)
    assert link.startswith(f"{ORIGIN}{PATH}#token=")
    stored = await PasswordReset.get(user__email="plain@example.com")
    assert token_of(link) not in stored.token_hmac
    assert len(token_of(link)) >= 43  # 256 bits in URL-safe base64


async def test_a_user_without_mfa_sets_the_password_and_is_signed_in(
    new_http: HttpFactory, mailbox: Mailbox
) -> None:
    # given: a user with no second factor, signed in on another device
    await cheap_user("plain@example.com")
    other = GraphQLClient(new_http())
    signed = await other.execute(
        doc.LOG_IN, {"input": {"email": "plain@example.com", "password": PASSWORD}}
    )
    assert signed["logIn"]["__typename"] == "LoggedIn"
    browser = GraphQLClient(new_http())
    token = await emailed_token(browser, mailbox, "plain@example.com")

    # when
    done = await reset(browser, token)

    # then: signed in here, the other device signed out, the new password the only one
    assert done["__typename"] == "LoggedIn"
    assert (await browser.execute(doc.VIEWER_EMAIL))["viewer"] == {"email": "plain@example.com"}
    assert (await other.execute(doc.VIEWER_EMAIL))["viewer"] is None
    assert await sign_in_answer(new_http, "plain@example.com", PASSWORD) == (
        "InvalidCredentialsError"
    )
    assert await sign_in_answer(new_http, "plain@example.com", NEW_PASSWORD) == "LoggedIn"
    await wait_for_subject(mailbox, "plain@example.com", NOTICE)


async def test_an_app_user_proves_the_app_before_the_password_changes(
    new_http: HttpFactory, make_user: MakeUser, clock: ManualClock, mailbox: Mailbox
) -> None:
    # given: an app user signed in on one device, resetting on another
    await make_user("payor@example.com", PayRole.PAYOR)
    device = GraphQLClient(new_http())
    secret, _ = await enroll_with_app(device, "payor@example.com", clock)
    browser = GraphQLClient(new_http())
    token = await emailed_token(browser, mailbox, "payor@example.com")
    before = (
        metrics.REGISTRY.get_sample_value(
            "twofold_security_events_total", {"event": "password_reset", "outcome": "done"}
        )
        or 0.0
    )

    # when: the link alone
    started = await reset(browser, token)

    # then: the sign-in challenge, no session, and the old password still the one
    assert started["__typename"] == "MfaChallengeRequired"
    assert started["methods"] == ["AUTHENTICATOR_APP"]
    assert (await browser.execute(doc.VIEWER_EMAIL))["viewer"] is None
    assert await sign_in_answer(new_http, "payor@example.com", NEW_PASSWORD) == (
        "InvalidCredentialsError"
    )
    assert await sign_in_answer(new_http, "payor@example.com", PASSWORD) == "MfaChallengeRequired"

    # when: the factor
    answered = await browser.execute(
        doc.VERIFY_LOGIN_CODE_WITH_METHOD,
        {"input": {"code": app_code(secret, clock.now()), "method": "AUTHENTICATOR_APP"}},
    )

    # then: signed in, the new password set, the other device signed out, the owner told
    assert answered["verifyLoginCode"]["__typename"] == "LoggedIn"
    assert (await browser.execute(doc.VIEWER_EMAIL))["viewer"] == {"email": "payor@example.com"}
    assert (await device.execute(doc.VIEWER_EMAIL))["viewer"] is None
    assert await sign_in_answer(new_http, "payor@example.com", PASSWORD) == (
        "InvalidCredentialsError"
    )
    assert await sign_in_answer(new_http, "payor@example.com", NEW_PASSWORD) == (
        "MfaChallengeRequired"
    )
    await wait_for_subject(mailbox, "payor@example.com", NOTICE)
    assert await AuditEvent.filter(event="password_reset", outcome="done").count() == 1
    assert (
        metrics.REGISTRY.get_sample_value(
            "twofold_security_events_total", {"event": "password_reset", "outcome": "done"}
        )
        == before + 1
    )


async def test_an_sms_user_proves_the_texted_code_first(
    new_http: HttpFactory, make_user: MakeUser, messagebird: MessageBirdStandIn, mailbox: Mailbox
) -> None:
    # given
    await make_user("payee@example.com", PayRole.PAYEE)
    async with new_http() as http:
        await enroll_with_sms(GraphQLClient(http), messagebird, "payee@example.com")
    browser = GraphQLClient(new_http())
    token = await emailed_token(browser, mailbox, "payee@example.com")
    started = await reset(browser, token)

    # when
    sent = await browser.execute(doc.SEND_LOGIN_CODE)
    wrong = await browser.execute(doc.VERIFY_LOGIN_CODE, {"input": {"code": "000000"}})
    right = await browser.execute(
        doc.VERIFY_LOGIN_CODE, {"input": {"code": messagebird.last_code(PHONE)}}
    )

    # then: a wrong code changes nothing; the right one sets the password and signs in
    assert started["__typename"] == "MfaChallengeRequired"
    assert started["methods"] == ["SMS"]
    assert sent["sendLoginCode"]["__typename"] == "SmsCodeSent"
    assert wrong["verifyLoginCode"]["__typename"] == "InvalidCodeError"
    assert right["verifyLoginCode"]["__typename"] == "LoggedIn"
    assert await sign_in_answer(new_http, "payee@example.com", NEW_PASSWORD) == (
        "MfaChallengeRequired"
    )


async def test_the_recovery_code_proves_the_factor_and_the_new_one_must_be_saved_first(
    new_http: HttpFactory, make_user: MakeUser, clock: ManualClock, mailbox: Mailbox
) -> None:
    # given: an app user who lost the phone
    await make_user("payor@example.com", PayRole.PAYOR)
    async with new_http() as http:
        _, recovery_code = await enroll_with_app(GraphQLClient(http), "payor@example.com", clock)
    browser = GraphQLClient(new_http())
    token = await emailed_token(browser, mailbox, "payor@example.com")
    await reset(browser, token)

    # when
    recovered = await browser.execute(
        doc.LOG_IN_WITH_RECOVERY_CODE, {"input": {"recoveryCode": recovery_code}}
    )
    before_saving = await sign_in_answer(new_http, "payor@example.com", NEW_PASSWORD)
    saved = await browser.execute(doc.CONFIRM_RECOVERY_CODE_SAVED, doc.SAVED)

    # then: the password changes only with the session, after the new code was saved
    assert recovered["logInWithRecoveryCode"]["__typename"] == "RecoveryCodeIssued"
    assert before_saving == "InvalidCredentialsError"
    assert saved["confirmRecoveryCodeSaved"]["__typename"] == "LoggedIn"
    assert await sign_in_answer(new_http, "payor@example.com", NEW_PASSWORD) == (
        "MfaChallengeRequired"
    )


async def test_a_security_key_proves_the_factor(
    new_http: HttpFactory, make_user: MakeUser, mailbox: Mailbox
) -> None:
    # given
    await make_user("payor@example.com", PayRole.PAYOR)
    key = SoftwareAuthenticator()
    async with new_http() as http:
        await enroll_with_security_key(GraphQLClient(http), "payor@example.com", key)
    browser = GraphQLClient(new_http())
    token = await emailed_token(browser, mailbox, "payor@example.com")
    started = await reset(browser, token)

    # when
    options = await security_key_challenge(browser)
    answered = await browser.execute(
        doc.VERIFY_LOGIN_CODE_WITH_METHOD,
        {"input": {"code": key.get(options), "method": "SECURITY_KEY"}},
    )

    # then
    assert started["methods"] == ["SECURITY_KEY"]
    assert json.loads(options)["challenge"]
    assert answered["verifyLoginCode"]["__typename"] == "LoggedIn"
    assert await sign_in_answer(new_http, "payor@example.com", NEW_PASSWORD) == (
        "MfaChallengeRequired"
    )


async def test_a_locked_account_stays_locked(
    new_http: HttpFactory, make_user: MakeUser, clock: ManualClock, mailbox: Mailbox
) -> None:
    # given: an app user one failure away from the lock (100 failures)
    await make_user("payor@example.com", PayRole.PAYOR)
    async with new_http() as http:
        await enroll_with_app(GraphQLClient(http), "payor@example.com", clock)
    await User.filter(email="payor@example.com").update(second_factor_failures=99)
    browser = GraphQLClient(new_http())
    token = await emailed_token(browser, mailbox, "payor@example.com")
    await reset(browser, token)

    # when: the hundredth wrong code, then a fresh link
    wrong = await browser.execute(
        doc.VERIFY_LOGIN_CODE_WITH_METHOD,
        {"input": {"code": "000000", "method": "AUTHENTICATOR_APP"}},
    )
    again = GraphQLClient(new_http())
    second = await reset(again, await emailed_token(again, mailbox, "payor@example.com", 2))

    # then: locked; no reset unlocks it, and the password never changed
    assert wrong["verifyLoginCode"]["__typename"] == "TooManyAttemptsError"
    assert (await User.get(email="payor@example.com")).second_factor_locked_at is not None
    assert second == {"__typename": "AccountLockedError", "code": "ACCOUNT_LOCKED"}
    assert (await browser.execute(doc.VIEWER_EMAIL))["viewer"] is None
    assert await sign_in_answer(new_http, "payor@example.com", NEW_PASSWORD) == (
        "InvalidCredentialsError"
    )


async def test_a_token_works_once(new_http: HttpFactory, mailbox: Mailbox) -> None:
    # given
    await cheap_user("plain@example.com")
    browser = GraphQLClient(new_http())
    token = await emailed_token(browser, mailbox, "plain@example.com")
    assert (await reset(browser, token))["__typename"] == "LoggedIn"

    # when
    async with new_http() as http:
        reused = await reset(GraphQLClient(http), token, "another fine long passphrase")

    # then
    assert reused == {"__typename": "LinkInvalidError", "code": "LINK_INVALID"}
    assert await sign_in_answer(new_http, "plain@example.com", NEW_PASSWORD) == "LoggedIn"


async def test_a_token_spent_on_a_challenge_cannot_start_another(
    new_http: HttpFactory, make_user: MakeUser, clock: ManualClock, mailbox: Mailbox
) -> None:
    # given: the link opened once, its challenge left unanswered
    await make_user("payor@example.com", PayRole.PAYOR)
    async with new_http() as http:
        await enroll_with_app(GraphQLClient(http), "payor@example.com", clock)
    browser = GraphQLClient(new_http())
    token = await emailed_token(browser, mailbox, "payor@example.com")
    assert (await reset(browser, token))["__typename"] == "MfaChallengeRequired"

    # when
    async with new_http() as http:
        again = await reset(GraphQLClient(http), token, "another fine long passphrase")

    # then
    assert again["__typename"] == "LinkInvalidError"


async def test_a_link_expires_after_30_minutes(
    browser: GraphQLClient, clock: ManualClock, mailbox: Mailbox
) -> None:
    # given
    await cheap_user("plain@example.com")
    token = await emailed_token(browser, mailbox, "plain@example.com")

    # when
    clock.advance(timedelta(minutes=30))
    late = await reset(browser, token)

    # then
    assert late["__typename"] == "LinkInvalidError"


async def test_a_token_resets_only_its_own_account(
    new_http: HttpFactory, make_user: MakeUser, clock: ManualClock, mailbox: Mailbox
) -> None:
    # given: two app users; the other asks for a link
    await make_user("payor@example.com", PayRole.PAYOR)
    await make_user("other@example.com", PayRole.PAYOR)
    async with new_http() as http:
        mine, _ = await enroll_with_app(GraphQLClient(http), "payor@example.com", clock)
    async with new_http() as http:
        await enroll_with_app(GraphQLClient(http), "other@example.com", clock)
    browser = GraphQLClient(new_http())
    their_token = await emailed_token(browser, mailbox, "other@example.com")
    await reset(browser, their_token)

    # when: my app's code answers the other account's challenge
    answered = await browser.execute(
        doc.VERIFY_LOGIN_CODE_WITH_METHOD,
        {"input": {"code": app_code(mine, clock.now()), "method": "AUTHENTICATOR_APP"}},
    )

    # then: refused; neither password changed
    assert answered["verifyLoginCode"]["__typename"] == "InvalidCodeError"
    for email in ("payor@example.com", "other@example.com"):
        assert await sign_in_answer(new_http, email, NEW_PASSWORD) == "InvalidCredentialsError"


async def test_parallel_use_of_one_token_lets_exactly_one_win(
    new_http: HttpFactory, mailbox: Mailbox
) -> None:
    # given
    await cheap_user("plain@example.com")
    async with new_http() as http:
        token = await emailed_token(GraphQLClient(http), mailbox, "plain@example.com")
    clients = [GraphQLClient(new_http()) for _ in range(6)]

    # when
    answers = await asyncio.gather(
        *(reset(c, token, f"parallel passphrase number {n}") for n, c in enumerate(clients))
    )

    # then
    kinds = sorted(a["__typename"] for a in answers)
    assert kinds == ["LinkInvalidError"] * 5 + ["LoggedIn"]
    assert await PasswordReset.filter(used_at__isnull=False).count() == 1


async def test_a_weak_password_is_refused_and_the_link_still_works(
    browser: GraphQLClient, make_user: MakeUser, mailbox: Mailbox
) -> None:
    # given: a payee (8 characters enough) and a user without MFA (15 needed)
    await make_user("payee@example.com", PayRole.PAYEE)
    await cheap_user("plain@example.com")
    payee = await emailed_token(browser, mailbox, "payee@example.com")
    plain = await emailed_token(browser, mailbox, "plain@example.com")

    # when
    common = await reset(browser, payee, "password1")
    short = await reset(browser, plain, "eleven chars")
    named = await reset(browser, plain, "Plain-and-simple-forever")

    # then
    assert common["reason"] == "COMMON"
    assert (short["reason"], short["minLength"]) == ("TOO_SHORT", 15)
    assert named["reason"] == "CONTAINS_EMAIL"
    assert (await reset(browser, plain))["__typename"] == "LoggedIn"


async def test_a_payments_user_without_a_factor_enrolls_before_the_password_changes(
    new_http: HttpFactory, make_user: MakeUser, clock: ManualClock, mailbox: Mailbox
) -> None:
    # given: a payee whose MFA an admin reset (no factor yet)
    await make_user("payee@example.com", PayRole.PAYEE)
    browser = GraphQLClient(new_http())
    token = await emailed_token(browser, mailbox, "payee@example.com")

    # when
    started = await reset(browser, token)

    # then: enrollment first; the new password waits for its end
    assert started["__typename"] == "MfaSetupRequired"
    assert await sign_in_answer(new_http, "payee@example.com", NEW_PASSWORD) == (
        "InvalidCredentialsError"
    )
    waiting = await PasswordReset.get(user__email="payee@example.com")
    assert waiting.new_password_hash is not None and waiting.completed_at is None

    # when: enrollment ends
    await browser.execute(doc.START_MFA_SETUP)
    chosen = (await browser.execute(doc.CHOOSE_AUTHENTICATOR_APP))["chooseMfaMethod"]
    secret = str(chosen["secret"]).replace(" ", "")
    await browser.execute(
        doc.VERIFY_AUTHENTICATOR_CODE, {"input": {"code": app_code(secret, clock.now())}}
    )
    done = await browser.execute(doc.CONFIRM_RECOVERY_CODE_SAVED, doc.SAVED)

    # then: signed in with the new factor, and the new password is the one
    assert done["confirmRecoveryCodeSaved"]["__typename"] == "LoggedIn"
    assert await sign_in_answer(new_http, "payee@example.com", NEW_PASSWORD) == (
        "MfaChallengeRequired"
    )


async def test_a_link_for_an_unknown_email_is_never_sent(
    browser: GraphQLClient, mailbox: Mailbox
) -> None:
    # when
    asked = await browser.execute(
        doc.REQUEST_PASSWORD_RESET, {"input": {"email": "nobody@example.com"}}
    )
    await password_reset.settled()

    # then
    assert asked["requestPasswordReset"]["__typename"] == "PasswordResetRequested"
    assert mailbox.to("nobody@example.com") == []
    assert await PasswordReset.all().count() == 0
