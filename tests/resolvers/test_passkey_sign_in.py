"""Passkey sign-in (PASSKEY_SIGN_IN on): a discoverable credential with user verification signs
in without a password, and counts as a recent second factor."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

import pytest

from domain.settings import Settings
from models.enums import PayRole
from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.authenticator import SoftwareAuthenticator
from tests.support.clients import HttpFactory
from tests.support.flows import enroll_with_security_key
from tests.support.graphql import GraphQLClient
from tests.support.users import MakeUser

EMAIL = "payor@example.com"

START = """
mutation { startPasskeySignIn {
  __typename
  ... on PasskeySignInStarted { requestOptions expiresAt }
  ... on UserError { code }
} }
"""

LOG_IN_WITH_PASSKEY = """
mutation LogIn($input: LogInWithPasskeyInput!) { logInWithPasskey(input: $input) {
  __typename
  ... on LoggedIn { user { email } }
  ... on UserError { code }
} }
"""


ENABLED = "{ passkeySignInEnabled }"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return replace(settings, passkey_sign_in=True)


async def holder_of_a_passkey(new_http: HttpFactory, make_user: MakeUser) -> SoftwareAuthenticator:
    await make_user(EMAIL, PayRole.PAYOR)
    passkey = SoftwareAuthenticator(backup_eligible=True)
    enrolling = GraphQLClient(new_http())
    await enroll_with_security_key(enrolling, EMAIL, passkey)
    await enrolling.execute(doc.LOG_OUT)
    return passkey


async def options(client: GraphQLClient) -> str:
    started = (await client.execute(START))["startPasskeySignIn"]
    assert started["__typename"] == "PasskeySignInStarted", started
    return str(started["requestOptions"])


async def sign_in(client: GraphQLClient, credential: str) -> dict:
    variables = {"input": {"credential": credential}}
    return (await client.execute(LOG_IN_WITH_PASSKEY, variables))["logInWithPasskey"]


async def test_a_passkey_signs_in_with_both_factors_at_once(
    browser: GraphQLClient, make_user: MakeUser, new_http: HttpFactory
) -> None:
    # given
    passkey = await holder_of_a_passkey(new_http, make_user)
    offered = await options(browser)

    # when
    signed = await sign_in(browser, passkey.get(offered, user_verified=True))

    # then: signed in, and the passkey counts as a recent second factor
    assert json.loads(offered)["userVerification"] == "required"
    assert json.loads(offered).get("allowCredentials", []) == []
    assert signed == {"__typename": "LoggedIn", "user": {"email": EMAIL}}
    added = (await browser.execute(doc.ADD_SECURITY_KEY))["addSecurityKey"]
    assert added["__typename"] == "SecurityKeyMethodChosen"


async def test_a_passkey_without_user_verification_does_not_sign_in(
    browser: GraphQLClient, make_user: MakeUser, new_http: HttpFactory
) -> None:
    # given
    passkey = await holder_of_a_passkey(new_http, make_user)

    # when
    refused = await sign_in(browser, passkey.get(await options(browser), user_verified=False))

    # then
    assert refused["code"] == "INVALID_CREDENTIALS"


async def test_a_passkey_answer_works_once(
    browser: GraphQLClient, make_user: MakeUser, new_http: HttpFactory
) -> None:
    # given
    passkey = await holder_of_a_passkey(new_http, make_user)
    answer = passkey.get(await options(browser))
    assert (await sign_in(browser, answer))["__typename"] == "LoggedIn"

    # when
    replayed = await sign_in(GraphQLClient(new_http()), answer)

    # then
    assert replayed["code"] == "INVALID_CREDENTIALS"


async def test_a_passkey_challenge_expires(
    browser: GraphQLClient, make_user: MakeUser, new_http: HttpFactory, clock: ManualClock
) -> None:
    # given
    passkey = await holder_of_a_passkey(new_http, make_user)
    offered = await options(browser)
    clock.advance(timedelta(seconds=301))

    # when
    refused = await sign_in(browser, passkey.get(offered))

    # then
    assert refused["code"] == "INVALID_CREDENTIALS"


async def test_a_passkey_used_on_another_origin_does_not_sign_in(
    browser: GraphQLClient, make_user: MakeUser, new_http: HttpFactory
) -> None:
    # given
    passkey = await holder_of_a_passkey(new_http, make_user)

    # when
    refused = await sign_in(
        browser, passkey.get(await options(browser), origin="https://twofold-login.test")
    )

    # then
    assert refused["code"] == "INVALID_CREDENTIALS"


async def test_a_passkey_someone_made_up_does_not_sign_in(
    browser: GraphQLClient, make_user: MakeUser, new_http: HttpFactory
) -> None:
    # given: a key never registered, whose user handle names the real user
    passkey = await holder_of_a_passkey(new_http, make_user)
    forger = SoftwareAuthenticator()
    forger.create(
        json.dumps({"rp": {"id": "app.twofold.test"}, "user": {"id": "AAAA"}, "challenge": "x"})
    )
    forger.credentials[0].user_handle = passkey.credentials[0].user_handle

    # when
    refused = await sign_in(browser, forger.get(await options(browser)))

    # then
    assert refused["code"] == "INVALID_CREDENTIALS"


async def test_a_signed_out_client_learns_that_passkey_sign_in_is_offered(
    browser: GraphQLClient,
) -> None:
    # when
    answer = await browser.execute(ENABLED)

    # then
    assert answer == {"passkeySignInEnabled": True}
