"""What a token says of each way a session is signed in (RFC 8176 `amr`, Twofold's `acr`):
SMS, authenticator app, security key, passkey, recovery code, and a trusted browser."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from domain.settings import Settings
from models.enums import PayRole
from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.access_tokens import (
    issued_token,
    key_set,
    trusted_browser_signed_in_again,
    verified,
    with_audiences,
)
from tests.support.authenticator import SoftwareAuthenticator
from tests.support.clients import HttpFactory
from tests.support.constants import PHONE
from tests.support.flows import (
    enroll_with_app,
    enroll_with_security_key,
    enroll_with_sms,
    log_in,
)
from tests.support.graphql import GraphQLClient
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.users import MakeUser

EMAIL = "payee@example.com"
PWD, MFA, PHR = "urn:twofold:acr:pwd", "urn:twofold:acr:mfa", "urn:twofold:acr:phr"
MOVED = timedelta(hours=1)  # PyJWT checks iat and exp in real time; tests move the clock

START_PASSKEY = "mutation { startPasskeySignIn { ... on PasskeySignInStarted { requestOptions } } }"
LOG_IN_WITH_PASSKEY = """
mutation LogIn($input: LogInWithPasskeyInput!) { logInWithPasskey(input: $input) { __typename } }
"""


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return replace(with_audiences(settings), passkey_sign_in=True)


async def claims_of(client: GraphQLClient, **options: object) -> dict:
    token = await issued_token(client, **options)
    return verified(token, await key_set(client.http), leeway=MOVED)


# Every way a session is signed in, and what its tokens say of it.


async def test_an_authenticator_app_sign_in_says_otp(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given
    await make_user(EMAIL)
    await enroll_with_app(browser, EMAIL, clock)

    # when
    claims = await claims_of(browser)

    # then
    assert claims["amr"] == ["pwd", "otp", "mfa"]
    assert claims["acr"] == MFA


async def test_an_sms_challenge_sign_in_says_sms(
    new_http: HttpFactory, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given: enrolled, signed out, signed in again through the texted challenge
    await make_user(EMAIL)
    client = GraphQLClient(new_http())
    await enroll_with_sms(client, messagebird, EMAIL)
    await client.execute(doc.LOG_OUT)
    assert (await log_in(client, EMAIL))["__typename"] == "MfaChallengeRequired"
    await client.execute(doc.SEND_LOGIN_CODE)
    code = messagebird.last_code(PHONE)
    verified_in = await client.execute(doc.VERIFY_LOGIN_CODE, {"input": {"code": code}})
    assert verified_in["verifyLoginCode"]["__typename"] == "LoggedIn"

    # when
    claims = await claims_of(client)

    # then
    assert claims["amr"] == ["pwd", "sms", "mfa"]
    assert claims["acr"] == MFA


async def test_a_security_key_sign_in_is_phishing_resistant(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    await make_user(EMAIL, PayRole.PAYOR)
    await enroll_with_security_key(browser, EMAIL, SoftwareAuthenticator())

    # when
    claims = await claims_of(browser)

    # then
    assert claims["amr"] == ["pwd", "hwk", "mfa"]
    assert claims["acr"] == PHR
    assert claims["pay_role"] == "payor"


async def test_a_passkey_sign_in_says_swk_without_a_password(
    new_http: HttpFactory, make_user: MakeUser
) -> None:
    # given: a payor holding a passkey, signed in with it alone
    await make_user(EMAIL, PayRole.PAYOR)
    passkey = SoftwareAuthenticator(backup_eligible=True)
    enrolling = GraphQLClient(new_http())
    await enroll_with_security_key(enrolling, EMAIL, passkey)
    await enrolling.execute(doc.LOG_OUT)
    client = GraphQLClient(new_http())
    offered = (await client.execute(START_PASSKEY))["startPasskeySignIn"]["requestOptions"]
    credential = passkey.get(offered, user_verified=True)
    signed = await client.execute(LOG_IN_WITH_PASSKEY, {"input": {"credential": credential}})
    assert signed["logInWithPasskey"]["__typename"] == "LoggedIn"

    # when
    claims = await claims_of(client)

    # then
    assert claims["amr"] == ["swk", "mfa"]
    assert claims["acr"] == PHR


async def test_a_recovery_code_sign_in_names_no_method(
    new_http: HttpFactory, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given: the phone is lost; the saved recovery code passes the challenge
    await make_user(EMAIL)
    client = GraphQLClient(new_http())
    recovery_code = await enroll_with_sms(client, messagebird, EMAIL)
    await client.execute(doc.LOG_OUT)
    assert (await log_in(client, EMAIL))["__typename"] == "MfaChallengeRequired"
    used = await client.execute(
        doc.LOG_IN_WITH_RECOVERY_CODE, {"input": {"recoveryCode": recovery_code}}
    )
    assert used["logInWithRecoveryCode"]["__typename"] == "RecoveryCodeIssued"
    done = await client.execute(doc.CONFIRM_RECOVERY_CODE_SAVED, doc.SAVED)
    assert done["confirmRecoveryCodeSaved"]["__typename"] == "LoggedIn"

    # when
    claims = await claims_of(client)

    # then: two factors, the second neither a text nor an app nor a key
    assert claims["amr"] == ["pwd", "mfa"]
    assert claims["acr"] == MFA


async def test_a_trusted_browser_sign_in_proved_the_password_only(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    await trusted_browser_signed_in_again(browser, make_user, EMAIL)

    # when
    claims = await claims_of(browser)

    # then: the trust is not a factor proven in this session
    assert claims["amr"] == ["pwd"]
    assert claims["acr"] == PWD
