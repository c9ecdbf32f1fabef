"""Security keys (WebAuthn): registering one in enrollment, signing in and reauthenticating with
it, and every way an answer is refused. A software authenticator speaks the wire format."""

from __future__ import annotations

import json
from datetime import timedelta

from models.audit_event import AuditEvent
from models.enums import MfaMethod, PayRole
from models.flow import MfaFlow
from models.security_key import SecurityKey
from models.user import User
from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.authenticator import SoftwareAuthenticator, b64url
from tests.support.clients import HttpFactory
from tests.support.flows import (
    enroll_with_app,
    enroll_with_security_key,
    log_in,
    reach_security_key_registration,
    security_key_challenge,
)
from tests.support.graphql import GraphQLClient
from tests.support.users import MakeUser

EMAIL = "payor@example.com"
OTHER_EMAIL = "other-payor@example.com"
PHISHING_ORIGIN = "https://app.twofold-login.test"

REAUTHENTICATE = """
mutation Reauthenticate($input: ReauthenticateInput!) { reauthenticate(input: $input) {
  __typename
  ... on UserError { code }
} }
"""


async def register(client: GraphQLClient, credential: str) -> dict:
    variables = {"input": {"credential": credential, "name": "  My   blue key  "}}
    return (await client.execute(doc.REGISTER_SECURITY_KEY, variables))["registerSecurityKey"]


async def answer(client: GraphQLClient, credential: str) -> dict:
    variables = {"input": {"code": credential, "method": "SECURITY_KEY"}}
    return (await client.execute(doc.VERIFY_LOGIN_CODE_WITH_METHOD, variables))["verifyLoginCode"]


async def enrolled(
    client: GraphQLClient, make_user: MakeUser, email: str = EMAIL
) -> SoftwareAuthenticator:
    """A payor enrolled with a security key, signed out."""
    await make_user(email, PayRole.PAYOR)
    key = SoftwareAuthenticator()
    await enroll_with_security_key(client, email, key)
    await client.execute(doc.LOG_OUT)
    return key


# Registration in enrollment


async def test_a_payor_may_enroll_a_security_key(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    await make_user(EMAIL, PayRole.PAYOR)
    await log_in(browser, EMAIL)

    # when
    listed = (await browser.execute(doc.START_MFA_SETUP))["startMfaSetup"]

    # then
    assert "SECURITY_KEY" in listed["allowedMethods"]
    assert listed["recommendedMethod"] == "AUTHENTICATOR_APP"


async def test_creation_options_are_webauthn_json_and_the_challenge_is_stored_hashed(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    await make_user(EMAIL, PayRole.PAYOR)

    # when
    options = json.loads(await reach_security_key_registration(browser, EMAIL))

    # then
    assert options["rp"] == {"id": "app.twofold.test", "name": "Twofold"}
    assert options["user"]["name"] == EMAIL
    assert {"type": "public-key", "alg": -7} in options["pubKeyCredParams"]
    assert options["attestation"] == "none"
    flow = await MfaFlow.get(user__email=EMAIL)
    assert flow.webauthn_challenge_hmac is not None
    assert options["challenge"] not in flow.webauthn_challenge_hmac


async def test_registering_a_key_shows_the_recovery_code_and_saving_it_enables_the_key(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    await make_user(EMAIL, PayRole.PAYOR)
    key = SoftwareAuthenticator(backup_eligible=True)
    options = await reach_security_key_registration(browser, EMAIL)

    # when
    issued = await register(browser, key.create(options))
    pending = await SecurityKey.get(user__email=EMAIL)
    done = await browser.execute(doc.CONFIRM_RECOVERY_CODE_SAVED, doc.SAVED)

    # then
    assert issued["__typename"] == "RecoveryCodeIssued"
    assert pending.enabled_at is None
    assert done["confirmRecoveryCodeSaved"]["__typename"] == "LoggedIn"
    stored = await SecurityKey.get(user__email=EMAIL)
    assert stored.enabled_at is not None
    assert stored.name == "My blue key"
    assert stored.credential_id == b64url(key.credentials[0].credential_id)
    assert (stored.backup_eligible, stored.backed_up, stored.sign_count) == (True, True, 0)
    user = await User.get(email=EMAIL)
    assert user.mfa_methods == [MfaMethod.SECURITY_KEY]
    assert user.preferred_method is MfaMethod.SECURITY_KEY


async def test_a_credential_made_for_another_origin_is_not_registered(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    await make_user(EMAIL, PayRole.PAYOR)
    options = await reach_security_key_registration(browser, EMAIL)

    # when
    refused = await register(
        browser, SoftwareAuthenticator().create(options, origin=PHISHING_ORIGIN)
    )

    # then
    assert refused["code"] == "INVALID_CODE"
    assert not await SecurityKey.exists(user__email=EMAIL)


async def test_a_credential_made_for_another_relying_party_is_not_registered(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    await make_user(EMAIL, PayRole.PAYOR)
    options = await reach_security_key_registration(browser, EMAIL)

    # when
    refused = await register(browser, SoftwareAuthenticator().create(options, rp_id="evil.test"))

    # then
    assert refused["code"] == "INVALID_CODE"


async def test_a_registration_without_a_challenge_of_this_flow_is_refused(
    browser: GraphQLClient, make_user: MakeUser, new_http: HttpFactory
) -> None:
    # given: options given to another sign-in of the same user
    await make_user(EMAIL, PayRole.PAYOR)
    elsewhere = await reach_security_key_registration(GraphQLClient(new_http()), EMAIL)
    await reach_security_key_registration(browser, EMAIL)

    # when
    refused = await register(browser, SoftwareAuthenticator().create(elsewhere))

    # then
    assert refused["code"] == "INVALID_CODE"


async def test_a_registration_challenge_expires(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given
    await make_user(EMAIL, PayRole.PAYOR)
    options = await reach_security_key_registration(browser, EMAIL)
    clock.advance(timedelta(seconds=301))

    # when
    refused = await register(browser, SoftwareAuthenticator().create(options))

    # then
    assert refused["code"] == "CODE_EXPIRED"


async def test_something_that_is_not_a_credential_is_refused_without_an_error(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    await make_user(EMAIL, PayRole.PAYOR)
    await reach_security_key_registration(browser, EMAIL)

    # when
    refused = await register(browser, '{"id": 1}')

    # then
    assert refused["code"] == "INVALID_CODE"


# Sign-in


async def test_a_security_key_signs_in(browser: GraphQLClient, make_user: MakeUser) -> None:
    # given
    key = await enrolled(browser, make_user)
    started = await log_in(browser, EMAIL)
    options = json.loads(await security_key_challenge(browser))

    # when
    signed = await answer(browser, key.get(json.dumps(options)))

    # then
    assert started["__typename"] == "MfaChallengeRequired"
    assert started["methods"] == ["SECURITY_KEY"]
    assert options["rpId"] == "app.twofold.test"
    assert options["allowCredentials"][0]["id"] == b64url(key.credentials[0].credential_id)
    assert signed["__typename"] == "LoggedIn"
    stored = await SecurityKey.get(user__email=EMAIL)
    assert stored.sign_count == 1
    assert stored.last_used_at is not None


async def test_a_signature_for_another_origin_is_refused(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given: a phishing page relays the challenge and the user touches their key there
    key = await enrolled(browser, make_user)
    await log_in(browser, EMAIL)
    options = await security_key_challenge(browser)

    # when
    refused = await answer(browser, key.get(options, origin=PHISHING_ORIGIN))

    # then
    assert refused["code"] == "INVALID_CODE"


async def test_a_signature_for_another_relying_party_is_refused(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    key = await enrolled(browser, make_user)
    await log_in(browser, EMAIL)
    options = await security_key_challenge(browser)

    # when
    refused = await answer(browser, key.get(options, rp_id="twofold-login.test"))

    # then
    assert refused["code"] == "INVALID_CODE"


async def test_a_replayed_signature_is_refused(browser: GraphQLClient, make_user: MakeUser) -> None:
    # given: a signature that signed in once
    key = await enrolled(browser, make_user)
    await log_in(browser, EMAIL)
    used = key.get(await security_key_challenge(browser))
    assert (await answer(browser, used))["__typename"] == "LoggedIn"
    await browser.execute(doc.LOG_OUT)
    await log_in(browser, EMAIL)
    await security_key_challenge(browser)

    # when
    refused = await answer(browser, used)

    # then
    assert refused["code"] == "INVALID_CODE"


async def test_a_signature_without_a_challenge_is_refused_as_expired(
    browser: GraphQLClient, make_user: MakeUser, new_http: HttpFactory
) -> None:
    # given: a challenge issued to another sign-in
    key = await enrolled(browser, make_user)
    other = GraphQLClient(new_http())
    await log_in(other, EMAIL)
    signed_elsewhere = key.get(await security_key_challenge(other))
    await log_in(browser, EMAIL)

    # when
    refused = await answer(browser, signed_elsewhere)

    # then
    assert refused["code"] == "CODE_EXPIRED"


async def test_a_sign_in_challenge_expires(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given
    key = await enrolled(browser, make_user)
    await log_in(browser, EMAIL)
    options = await security_key_challenge(browser)
    clock.advance(timedelta(seconds=301))

    # when
    refused = await answer(browser, key.get(options))

    # then
    assert refused["code"] == "CODE_EXPIRED"


async def test_a_counter_going_backwards_is_refused_and_audited(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given: the key signed with counter 5; a clone still at 3 signs next
    key = await enrolled(browser, make_user)
    await log_in(browser, EMAIL)
    assert (await answer(browser, key.get(await security_key_challenge(browser), sign_count=5)))[
        "__typename"
    ] == "LoggedIn"
    await browser.execute(doc.LOG_OUT)
    await log_in(browser, EMAIL)

    # when
    refused = await answer(browser, key.get(await security_key_challenge(browser), sign_count=3))

    # then
    assert refused["code"] == "INVALID_CODE"
    assert (await SecurityKey.get(user__email=EMAIL)).sign_count == 5
    user = await User.get(email=EMAIL)
    assert await AuditEvent.exists(
        event="security_key", outcome="counter_went_backwards", subject_id=user.id
    )


async def test_a_key_of_another_user_is_refused(
    browser: GraphQLClient, make_user: MakeUser, new_http: HttpFactory
) -> None:
    # given
    await enrolled(browser, make_user)
    others_key = await enrolled(GraphQLClient(new_http()), make_user, OTHER_EMAIL)
    await log_in(browser, EMAIL)
    options = await security_key_challenge(browser)

    # when
    refused = await answer(browser, others_key.get(options, credential=others_key.credentials[0]))

    # then
    assert refused["code"] == "INVALID_CODE"


async def test_a_user_without_a_key_gets_no_security_key_challenge(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given
    await make_user(EMAIL, PayRole.PAYEE)
    await enroll_with_app(browser, EMAIL, clock)
    await browser.execute(doc.LOG_OUT)
    await log_in(browser, EMAIL)

    # when
    refused = (await browser.execute(doc.START_SECURITY_KEY_CHALLENGE))["startSecurityKeyChallenge"]

    # then
    assert refused["code"] == "METHOD_NOT_ALLOWED"


# Reauthentication


async def test_a_security_key_reauthenticates(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given: signed in with the key, and the step-up window passed
    key = await enrolled(browser, make_user)
    await log_in(browser, EMAIL)
    await answer(browser, key.get(await security_key_challenge(browser)))
    clock.advance(timedelta(minutes=16))
    options = await security_key_challenge(browser)

    # when
    proven = (
        await browser.execute(
            REAUTHENTICATE, {"input": {"code": key.get(options), "method": "SECURITY_KEY"}}
        )
    )["reauthenticate"]

    # then
    assert proven["__typename"] == "Reauthenticated"


async def test_reauthentication_without_a_challenge_is_refused_as_expired(
    browser: GraphQLClient, make_user: MakeUser, new_http: HttpFactory
) -> None:
    # given: a signature made for a sign-in challenge
    key = await enrolled(browser, make_user)
    await log_in(browser, EMAIL)
    await answer(browser, key.get(await security_key_challenge(browser)))
    other = GraphQLClient(new_http())
    await log_in(other, EMAIL)
    signed_elsewhere = key.get(await security_key_challenge(other))

    # when
    refused = (
        await browser.execute(
            REAUTHENTICATE, {"input": {"code": signed_elsewhere, "method": "SECURITY_KEY"}}
        )
    )["reauthenticate"]

    # then
    assert refused["code"] == "CODE_EXPIRED"


async def test_passkey_sign_in_is_off_unless_configured(browser: GraphQLClient) -> None:
    # when
    refused = (await browser.execute("mutation { startPasskeySignIn { __typename } }"))[
        "startPasskeySignIn"
    ]

    # then
    assert refused["__typename"] == "PasskeySignInDisabledError"


async def test_a_server_without_passkey_sign_in_says_so_to_clients(browser: GraphQLClient) -> None:
    # when
    answer = await browser.execute("{ passkeySignInEnabled }")

    # then
    assert answer == {"passkeySignInEnabled": False}
