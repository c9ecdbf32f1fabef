"""Stolen or forgotten sessions: tokens die after 30 idle minutes and 12 hours at most, sign-out
revokes on the server, one device can sign out the others, a pending token is good for MFA
steps only, and the database never holds a token (63B 5.1; ASVS 7)."""

from __future__ import annotations

import base64
import hashlib
from datetime import timedelta
from typing import Any

from tortoise import Tortoise

from graph.context import SESSION_COOKIE
from graph.startup.db import APP_LABEL
from models.enums import PayRole
from models.session import AuthSession
from models.user import User
from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.clients import HttpFactory
from tests.support.constants import PHONE
from tests.support.flows import enroll_with_sms, log_in
from tests.support.graphql import ORIGIN, GraphQLClient
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.sessions import SESSION_HOLDER, as_bearer, error_code, native_log_in, viewer
from tests.support.users import MakeUser

EMAIL = SESSION_HOLDER


async def test_thirty_idle_minutes_end_a_session(
    new_http: HttpFactory, make_user: MakeUser, clock: ManualClock
) -> None:
    # given: a session used last 29:59 after sign-in, then left alone
    await make_user(EMAIL, PayRole.NONE)
    token = await native_log_in(new_http)
    clock.advance(timedelta(minutes=29, seconds=59))
    assert await viewer(new_http, token) == {"email": EMAIL}

    # when
    clock.advance(timedelta(minutes=30))

    # then
    assert await viewer(new_http, token) is None
    assert error_code(await as_bearer(new_http, token, doc.LOG_OUT_EVERYWHERE)) == "UNAUTHENTICATED"


async def test_thirty_idle_minutes_end_a_pending_sign_in(
    new_http: HttpFactory, make_user: MakeUser, clock: ManualClock
) -> None:
    # given
    await make_user(EMAIL)
    pending = await native_log_in(new_http)

    # when
    clock.advance(timedelta(minutes=30))

    # then
    assert error_code(await as_bearer(new_http, pending, doc.START_MFA_SETUP)) == (
        "UNAUTHENTICATED"
    )


async def test_twelve_hours_end_a_session_however_busy(
    new_http: HttpFactory, make_user: MakeUser, clock: ManualClock
) -> None:
    # given: activity every 20 minutes for 11 h 40 min
    await make_user(EMAIL, PayRole.NONE)
    token = await native_log_in(new_http)
    for _ in range(35):
        clock.advance(timedelta(minutes=20))
        assert await viewer(new_http, token) == {"email": EMAIL}

    # when
    clock.advance(timedelta(minutes=20))

    # then
    assert await viewer(new_http, token) is None


async def test_signed_out_bearer_token_is_dead_on_the_server(
    new_http: HttpFactory, make_user: MakeUser
) -> None:
    # given
    await make_user(EMAIL, PayRole.NONE)
    token = await native_log_in(new_http)

    # when
    signed_out = await as_bearer(new_http, token, doc.LOG_OUT)

    # then
    assert signed_out["data"]["logOut"]["__typename"] == "LoggedOut"
    assert await viewer(new_http, token) is None
    assert error_code(await as_bearer(new_http, token, doc.LOG_OUT_EVERYWHERE)) == "UNAUTHENTICATED"


async def test_signed_out_cookie_replayed_by_hand_is_dead(
    browser: GraphQLClient, new_http: HttpFactory, make_user: MakeUser
) -> None:
    # given: the cookie value is copied before signing out (as malware on the device would)
    await make_user(EMAIL, PayRole.NONE)
    assert (await log_in(browser, EMAIL))["__typename"] == "LoggedIn"
    copied = browser.http.cookies[SESSION_COOKIE]
    await browser.execute(doc.LOG_OUT)

    # when
    async with new_http() as http:
        response = await http.post(
            "/graphql",
            json={"query": doc.VIEWER_EMAIL},
            headers={"Origin": ORIGIN, "Cookie": f"{SESSION_COOKIE}={copied}"},
        )

    # then
    assert response.status_code == 200
    assert response.json()["data"]["viewer"] is None


async def test_log_out_everywhere_ends_every_other_session_and_pending_sign_in(
    new_http: HttpFactory, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given: the user on a laptop (browser) and a phone (app), and an attacker who knows the
    # password waiting at the second-factor challenge
    await make_user(EMAIL)
    laptop = GraphQLClient(new_http())
    await enroll_with_sms(laptop, messagebird, EMAIL)
    phone_pending = await native_log_in(new_http)
    await as_bearer(new_http, phone_pending, doc.SEND_LOGIN_CODE)
    verified = await as_bearer(
        new_http,
        phone_pending,
        doc.VERIFY_LOGIN_CODE,
        {"input": {"code": messagebird.last_code(PHONE)}},
    )
    phone = verified["data"]["verifyLoginCode"]["sessionToken"]
    attacker = await native_log_in(new_http)

    # when
    result = (await laptop.execute(doc.LOG_OUT_EVERYWHERE))["logOutEverywhere"]

    # then
    assert result == {"__typename": "LoggedOutEverywhere", "revokedSessions": 2}
    assert (await laptop.execute(doc.VIEWER_EMAIL))["viewer"] == {"email": EMAIL}
    assert await viewer(new_http, phone) is None
    assert error_code(await as_bearer(new_http, attacker, doc.SEND_LOGIN_CODE)) == (
        "UNAUTHENTICATED"
    )
    assert messagebird.requests == 2


async def test_pending_token_drives_mfa_only_and_dies_when_mfa_completes(
    new_http: HttpFactory, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given: a mobile app in the middle of enrollment
    await make_user(EMAIL)
    pending = await native_log_in(new_http)
    assert await viewer(new_http, pending) is None
    assert error_code(await as_bearer(new_http, pending, doc.LOG_OUT_EVERYWHERE)) == (
        "UNAUTHENTICATED"
    )
    await as_bearer(new_http, pending, doc.START_MFA_SETUP)
    await as_bearer(new_http, pending, doc.CHOOSE_MFA_METHOD, {"input": {"method": "SMS"}})
    number = {"input": {"countryCode": "+1", "phoneNumber": "201 555 0123"}}
    await as_bearer(new_http, pending, doc.SEND_SMS_CODE, number)
    code = {"input": {"code": messagebird.last_code(PHONE)}}
    await as_bearer(new_http, pending, doc.VERIFY_SMS_CODE, code)

    # when
    done = await as_bearer(new_http, pending, doc.CONFIRM_RECOVERY_CODE_SAVED, doc.SAVED)

    # then
    session = done["data"]["confirmRecoveryCodeSaved"]["sessionToken"]
    assert session and session != pending
    assert await viewer(new_http, session) == {"email": EMAIL}
    assert error_code(await as_bearer(new_http, pending, doc.START_MFA_SETUP)) == (
        "UNAUTHENTICATED"
    )


async def every_stored_value() -> list[str]:
    """Every value of every row of every Twofold table, as text."""
    values = []
    for model in Tortoise.apps[APP_LABEL].values():
        for row in await model.all().values():
            values.extend(str(v) for v in row.values())
    return values


async def test_database_keeps_only_sha256_of_each_token(
    browser: GraphQLClient, new_http: HttpFactory, make_user: MakeUser
) -> None:
    # given: a browser session, a native session, and a native pending session
    await make_user(EMAIL, PayRole.NONE)
    await make_user("payee@example.com")
    assert (await log_in(browser, EMAIL))["__typename"] == "LoggedIn"
    tokens = [
        browser.http.cookies[SESSION_COOKIE],
        await native_log_in(new_http),
        await native_log_in(new_http, "payee@example.com"),
    ]

    # when
    stored = await every_stored_value()
    hashes = set(await AuthSession.all().values_list("token_sha256", flat=True))

    # then: 256 random bits each, found only as their SHA-256
    assert EMAIL in stored
    assert len(set(tokens)) == 3
    for token in tokens:
        assert len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) == 32
        assert not [value for value in stored if token in value]
        assert hashlib.sha256(token.encode()).hexdigest() in hashes


STEP_UP_GUARDED = {
    "addAuthenticatorApp": "mutation { addAuthenticatorApp { __typename } }",
    "regenerateRecoveryCode": "mutation { regenerateRecoveryCode { __typename } }",
    "removeMfaMethod": "mutation { removeMfaMethod(input: {method: SMS}) { __typename } }",
    "startPhoneNumberChange": (
        "mutation { startPhoneNumberChange("
        'input: {countryCode: "+1", phoneNumber: "201 555 0145"}) { __typename } }'
    ),
}


async def test_a_session_cannot_change_factors_fifteen_minutes_after_its_second_factor(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn, clock: ManualClock
) -> None:
    # given: a session whose second factor was proven 14:59 ago still may start a change
    user = await make_user(EMAIL)
    await enroll_with_sms(browser, messagebird, EMAIL)
    factors = await User.filter(id=user.id).values_list(
        "phone_sealed", "recovery_code_hmac", "totp_secret_sealed"
    )
    clock.advance(timedelta(minutes=10))
    assert (await browser.execute(doc.VIEWER_EMAIL))["viewer"] == {"email": EMAIL}
    clock.advance(timedelta(minutes=4, seconds=59))
    early = await browser.execute(STEP_UP_GUARDED["addAuthenticatorApp"])
    assert early["addAuthenticatorApp"]["__typename"] == "AuthenticatorAppMethodChosen"

    # when: a second later, whoever holds the session tries every factor change
    clock.advance(timedelta(seconds=1))
    answers = {
        field: (await browser.execute(document))[field]["__typename"]
        for field, document in STEP_UP_GUARDED.items()
    }

    # then
    assert answers == dict.fromkeys(STEP_UP_GUARDED, "ReauthenticationRequiredError")
    assert (
        await User.filter(id=user.id).values_list(
            "phone_sealed", "recovery_code_hmac", "totp_secret_sealed"
        )
        == factors
    )
    assert messagebird.requests == 1


async def test_a_signed_in_request_finds_its_session_and_user_in_one_query(
    new_http: HttpFactory, make_user: MakeUser, caplog: Any
) -> None:
    # given: a signed-in app, its session just touched (so the lookup writes nothing)
    await make_user(EMAIL, PayRole.NONE)
    token = await native_log_in(new_http)
    assert await viewer(new_http, token) == {"email": EMAIL}
    loggers = ("tortoise.db_client", "twofold.db_reads")  # the shared and the read connection
    for name in loggers:
        caplog.set_level("DEBUG", logger=name)
    caplog.clear()

    # when
    answer = await viewer(new_http, token)

    # then: one statement, by the unique token index, joined to the user by its key
    assert answer == {"email": EMAIL}
    statements = [r.getMessage() for r in caplog.records if r.name in loggers]
    assert len(statements) == 1, statements
    assert 'WHERE s."token_sha256" = ' in statements[0]
    assert hashlib.sha256(token.encode()).hexdigest() in statements[0]
