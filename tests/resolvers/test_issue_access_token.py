"""issueAccessToken: a signed-in session (browser or app) gets a short-lived JWT for another
service, which verifies it with PyJWT and the key set Twofold serves. The token says honestly
which factors the session proved (`amr`, `acr`) and when (`auth_time`); asking for more than
that (RFC 9470 `maxAgeSeconds`, `acrValues`) answers ReauthenticationRequiredError."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
import pytest

from domain.settings import Settings
from models.company import Company
from models.enums import PayRole, SessionKind
from models.session import AuthSession
from models.user import User
from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.access_tokens import (
    AUDIENCE,
    ISSUER,
    issue,
    issued_token,
    key_set,
    trusted_browser_signed_in_again,
    verified,
    with_audiences,
)
from tests.support.authenticator import SoftwareAuthenticator
from tests.support.clients import HttpFactory
from tests.support.flows import (
    app_code,
    enroll_with_app,
    enroll_with_security_key,
    enroll_with_sms,
    log_in,
    security_key_challenge,
)
from tests.support.graphql import GraphQLClient
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.users import MakeUser, cheap_user

EMAIL = "payee@example.com"
PWD, MFA, PHR = "urn:twofold:acr:pwd", "urn:twofold:acr:mfa", "urn:twofold:acr:phr"
MOVED = timedelta(hours=1)  # PyJWT checks iat and exp in real time; tests move the clock


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return with_audiences(settings)


async def claims_of(client: GraphQLClient, **options: object) -> dict:
    token = await issued_token(client, **options)
    return verified(token, await key_set(client.http), leeway=MOVED)


async def live_full_session(email: str) -> AuthSession:
    return await AuthSession.get(user__email=email, kind=SessionKind.FULL, revoked_at__isnull=True)


async def test_a_browser_session_gets_a_token_with_every_claim(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given: a payee of a company, signed in with SMS
    company = await Company.create(name="Acme")
    user = await make_user(EMAIL)
    await User.filter(id=user.id).update(company_id=company.id)
    await enroll_with_sms(browser, messagebird, EMAIL)
    session = await live_full_session(EMAIL)

    # when
    answer = await issue(browser)

    # then: a JWT a service verifies with the served keys, saying who signed in and how
    assert answer["__typename"] == "AccessTokenIssued"
    assert answer["tokenType"] == "Bearer"
    token = answer["accessToken"]
    header = jwt.get_unverified_header(token)
    assert header["typ"] == "at+jwt" and header["alg"] == "ES256"
    keys = await key_set(browser.http)
    assert header["kid"] in [key["kid"] for key in keys["keys"]]
    claims = verified(token, keys)
    assert claims["iss"] == ISSUER
    assert claims["sub"] == str(user.id)
    assert claims["aud"] == AUDIENCE
    assert claims["exp"] - claims["iat"] == 300
    assert datetime.fromisoformat(answer["expiresAt"]) == datetime.fromtimestamp(claims["exp"], UTC)
    assert len(claims["jti"]) >= 16
    assert claims["auth_time"] == int(session.created_at.timestamp())
    assert claims["amr"] == ["pwd", "sms", "mfa"]
    assert claims["acr"] == MFA
    assert claims["sid"] == str(session.id)
    assert claims["sid"] != browser.http.cookies.get("__Host-twofold_session")
    assert claims["company"] == str(company.id)
    assert claims["pay_role"] == "payee"


async def test_each_token_has_its_own_id(browser: GraphQLClient) -> None:
    # given
    await cheap_user(EMAIL)
    assert (await log_in(browser, EMAIL))["__typename"] == "LoggedIn"

    # when
    first, second = await claims_of(browser), await claims_of(browser)

    # then
    assert first["jti"] != second["jti"]


async def test_a_native_app_session_gets_a_token_too(new_http: HttpFactory) -> None:
    # given: a user who needs no second factor, signed in from an app
    await cheap_user(EMAIL)
    app = GraphQLClient(new_http())
    signed = await log_in(app, EMAIL, native=True)
    app.bearer = signed["sessionToken"]

    # when
    claims = await claims_of(app)

    # then: the password was all it proved
    assert claims["amr"] == ["pwd"]
    assert claims["acr"] == PWD
    assert claims["company"] is None
    assert claims["pay_role"] == "none"


async def test_a_pending_session_is_not_authenticated(
    new_http: HttpFactory, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given: a payee who passed the password step only
    await make_user(EMAIL)
    await enroll_with_sms(GraphQLClient(new_http()), messagebird, EMAIL)
    pending = GraphQLClient(new_http())
    assert (await log_in(pending, EMAIL))["__typename"] == "MfaChallengeRequired"

    # when
    errors = await pending.errors(doc.ISSUE_ACCESS_TOKEN, {"input": {"audience": AUDIENCE}})

    # then
    assert [error["extensions"]["code"] for error in errors] == ["UNAUTHENTICATED"]


async def test_without_a_session_there_is_no_token(browser: GraphQLClient) -> None:
    # when
    errors = await browser.errors(doc.ISSUE_ACCESS_TOKEN, {"input": {"audience": AUDIENCE}})

    # then
    assert [error["extensions"]["code"] for error in errors] == ["UNAUTHENTICATED"]


async def test_an_audience_not_configured_is_refused(browser: GraphQLClient) -> None:
    # given
    await cheap_user(EMAIL)
    await log_in(browser, EMAIL)

    # when
    answer = await issue(browser, audience="https://elsewhere.example")

    # then
    assert answer == {"__typename": "UnknownAudienceError", "code": "UNKNOWN_AUDIENCE"}


async def test_a_token_is_for_the_audience_asked_for(browser: GraphQLClient) -> None:
    # given
    await cheap_user(EMAIL)
    await log_in(browser, EMAIL)

    # when
    token = await issued_token(browser, audience="ledger")

    # then: the payments service refuses the ledger's token
    keys = await key_set(browser.http)
    assert verified(token, keys, audience="ledger")["aud"] == "ledger"
    with pytest.raises(jwt.InvalidAudienceError):
        verified(token, keys)


# RFC 9470 step-up: asking for more than the session proved.


async def test_a_factor_proven_too_long_ago_asks_to_reauthenticate_then_the_token_shows_it(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given: signed in with the app ten minutes ago
    await make_user(EMAIL)
    secret, _ = await enroll_with_app(browser, EMAIL, clock)
    clock.advance(timedelta(minutes=10))

    # when: the service wants a factor proven in the last five minutes
    refused = await issue(browser, max_age=300)
    proven = await browser.execute(
        doc.REAUTHENTICATE, {"input": {"code": app_code(secret, clock.now())}}
    )
    claims = await claims_of(browser, max_age=300)

    # then
    assert refused == {
        "__typename": "ReauthenticationRequiredError",
        "code": "REAUTHENTICATION_REQUIRED",
        "methods": ["AUTHENTICATOR_APP"],
    }
    assert proven["reauthenticate"]["__typename"] == "Reauthenticated"
    assert claims["auth_time"] == int(clock.now().timestamp())
    assert claims["amr"] == ["pwd", "otp", "mfa"]


async def test_a_recent_enough_factor_needs_no_step_up(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given: signed in with the app, 30 s (one time step) ago
    await make_user(EMAIL)
    await enroll_with_app(browser, EMAIL, clock)

    # when
    claims = await claims_of(browser, max_age=300)

    # then
    assert int(clock.now().timestamp()) - claims["auth_time"] == 30


async def test_a_stronger_level_asks_for_the_factor_that_reaches_it(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given: on a trusted browser, so only the password was proven
    key = await trusted_browser_signed_in_again(browser, make_user, EMAIL)

    # when: the service wants a phishing-resistant sign-in
    refused = await issue(browser, acr_values=[PHR])
    options = await security_key_challenge(browser)
    variables = {"input": {"code": key.get(options), "method": "SECURITY_KEY"}}
    proven = await browser.execute(doc.REAUTHENTICATE, variables)
    claims = await claims_of(browser, acr_values=[PHR])

    # then: the fresh proof shows in the new token
    assert refused["__typename"] == "ReauthenticationRequiredError"
    assert refused["methods"] == ["SECURITY_KEY"]
    assert proven["reauthenticate"]["__typename"] == "Reauthenticated"
    assert claims["acr"] == PHR
    assert claims["amr"] == ["pwd", "hwk", "mfa"]


async def test_a_higher_level_satisfies_a_lower_one_and_is_named_as_asked(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given: signed in with a security key
    await make_user(EMAIL, PayRole.PAYOR)
    await enroll_with_security_key(browser, EMAIL, SoftwareAuthenticator())

    # when
    claims = await claims_of(browser, acr_values=[MFA])

    # then
    assert claims["acr"] == MFA


async def test_a_password_only_session_asked_for_mfa_must_step_up(
    browser: GraphQLClient,
) -> None:
    # given: a user with no second factor at all
    await cheap_user(EMAIL)
    await log_in(browser, EMAIL)

    # when
    refused = await issue(browser, acr_values=[MFA])

    # then: there is nothing to step up with; the service must not accept this user
    assert refused == {
        "__typename": "ReauthenticationRequiredError",
        "code": "REAUTHENTICATION_REQUIRED",
        "methods": [],
    }
