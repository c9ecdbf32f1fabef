"""Trusted browsers: a browser remembered after a second factor skips the sign-in challenge
until it expires or is forgotten, and never skips reauthentication."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from graph.http.request_facts import TRUSTED_BROWSER_COOKIE
from models.company import Company
from models.enums import PayRole
from models.trusted_browser import TrustedBrowser
from models.user import User
from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.authenticator import SoftwareAuthenticator
from tests.support.clients import HttpFactory
from tests.support.flows import enroll_with_security_key, log_in, security_key_challenge
from tests.support.graphql import GraphQLClient
from tests.support.mailbox import Mailbox
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.served import run_twofold, server_environment
from tests.support.users import MakeUser

EMAIL = "payor@example.com"
ADMIN = "admin@example.com"

VERIFY = """
mutation Verify($input: VerifyLoginCodeInput!) { verifyLoginCode(input: $input) {
  __typename
  ... on UserError { code }
} }
"""

BROWSERS = "{ viewer { trustedBrowsers { id userAgent createdAt lastUsedAt expiresAt } } }"

FORGET = """
mutation Forget($input: ForgetTrustedBrowsersInput!) { forgetTrustedBrowsers(input: $input) {
  __typename
  ... on TrustedBrowsersForgotten { forgotten }
} }
"""

REGISTER = """
mutation Register($input: RegisterSecurityKeyInput!) { registerSecurityKey(input: $input) {
  __typename
} }
"""

RESET = """
mutation Reset($input: ResetUserMfaInput!) { resetUserMfa(input: $input) { __typename } }
"""


async def company_user(
    client: GraphQLClient,
    make_user: MakeUser,
    *,
    allows: bool = True,
    email: str = EMAIL,
    admin: bool = False,
) -> SoftwareAuthenticator:
    """A payor of a company (allowing trusted browsers or not) enrolled with a key, signed out."""
    company = (
        await Company.get_or_create(name="Acme", defaults={"allow_trusted_browsers": allows})
    )[0]
    user = await make_user(email, PayRole.PAYOR)
    await User.filter(id=user.id).update(company_id=company.id, is_company_admin=admin)
    key = SoftwareAuthenticator()
    await enroll_with_security_key(client, email, key)
    await client.execute(doc.LOG_OUT)
    return key


async def sign_in_trusting(
    client: GraphQLClient, key: SoftwareAuthenticator, email: str = EMAIL
) -> dict:
    started = await log_in(client, email)
    assert started["__typename"] == "MfaChallengeRequired", started
    credential = key.get(await security_key_challenge(client))
    variables = {"input": {"code": credential, "method": "SECURITY_KEY", "trustBrowser": True}}
    return (await client.execute(VERIFY, variables))["verifyLoginCode"]


async def trusted_then_signed_out(
    client: GraphQLClient, make_user: MakeUser
) -> SoftwareAuthenticator:
    key = await company_user(client, make_user)
    assert (await sign_in_trusting(client, key))["__typename"] == "LoggedIn"
    await client.execute(doc.LOG_OUT)
    return key


async def test_a_trusted_browser_skips_the_sign_in_challenge(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    await trusted_then_signed_out(browser, make_user)

    # when
    signed = await log_in(browser, EMAIL)

    # then
    assert signed["__typename"] == "LoggedIn"
    [stored] = await TrustedBrowser.filter(user__email=EMAIL)
    assert len(stored.token_hmac) == 64
    assert browser.http.cookies.get(TRUSTED_BROWSER_COOKIE) not in (None, stored.token_hmac)


async def test_a_trusted_browser_is_listed_with_its_user_agent_and_last_use(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    await trusted_then_signed_out(browser, make_user)
    await log_in(browser, EMAIL)

    # when
    [listed] = (await browser.execute(BROWSERS))["viewer"]["trustedBrowsers"]

    # then
    assert listed["userAgent"]
    assert listed["lastUsedAt"] and listed["expiresAt"] > listed["createdAt"]


async def test_without_the_company_allowing_it_no_browser_is_trusted(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    key = await company_user(browser, make_user, allows=False)
    assert (await sign_in_trusting(browser, key))["__typename"] == "LoggedIn"
    await browser.execute(doc.LOG_OUT)

    # when
    again = await log_in(browser, EMAIL)

    # then
    assert again["__typename"] == "MfaChallengeRequired"
    assert not await TrustedBrowser.exists(user__email=EMAIL)


async def test_a_company_withdrawing_trust_ends_it_at_once(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    await trusted_then_signed_out(browser, make_user)
    await Company.filter(name="Acme").update(allow_trusted_browsers=False)

    # when
    again = await log_in(browser, EMAIL)

    # then
    assert again["__typename"] == "MfaChallengeRequired"


async def test_trust_expires(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given
    await trusted_then_signed_out(browser, make_user)
    clock.advance(timedelta(days=30, seconds=1))

    # when
    again = await log_in(browser, EMAIL)

    # then
    assert again["__typename"] == "MfaChallengeRequired"


async def test_a_signed_in_trusted_browser_still_reauthenticates_for_changes(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    await trusted_then_signed_out(browser, make_user)
    assert (await log_in(browser, EMAIL))["__typename"] == "LoggedIn"

    # when
    refused = (await browser.execute(doc.ADD_SECURITY_KEY))["addSecurityKey"]

    # then
    assert refused["code"] == "REAUTHENTICATION_REQUIRED"


async def test_trust_is_bound_to_its_user(browser: GraphQLClient, make_user: MakeUser) -> None:
    # given: this browser trusted for one user; another user signs in on it
    await trusted_then_signed_out(browser, make_user)
    await company_user(GraphQLClient(browser.http), make_user, email="other@example.com")

    # when
    other = await log_in(browser, "other@example.com")

    # then
    assert other["__typename"] == "MfaChallengeRequired"


async def test_forgetting_one_browser_ends_its_trust(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    key = await company_user(browser, make_user)
    await sign_in_trusting(browser, key)
    [listed] = (await browser.execute(BROWSERS))["viewer"]["trustedBrowsers"]

    # when
    forgotten = await browser.execute(FORGET, {"input": {"id": listed["id"]}})
    await browser.execute(doc.LOG_OUT)

    # then
    assert forgotten["forgetTrustedBrowsers"]["forgotten"] == 1
    assert (await log_in(browser, EMAIL))["__typename"] == "MfaChallengeRequired"


async def test_forgetting_all_browsers_ends_every_trust(
    browser: GraphQLClient, make_user: MakeUser, new_http: HttpFactory
) -> None:
    # given: two trusted browsers
    key = await company_user(browser, make_user)
    other = GraphQLClient(new_http())
    await sign_in_trusting(other, key)
    await sign_in_trusting(browser, key)

    # when
    forgotten = await browser.execute(FORGET, {"input": {"id": None}})

    # then
    assert forgotten["forgetTrustedBrowsers"]["forgotten"] == 2
    await other.execute(doc.LOG_OUT)
    assert (await log_in(other, EMAIL))["__typename"] == "MfaChallengeRequired"


async def test_a_factor_change_ends_every_trust(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given: signed in with the key just now, on a trusted browser
    key = await company_user(browser, make_user)
    await sign_in_trusting(browser, key)
    chosen = (await browser.execute(doc.ADD_SECURITY_KEY))["addSecurityKey"]

    # when
    credential = SoftwareAuthenticator().create(chosen["creationOptions"])
    added = await browser.execute(REGISTER, {"input": {"credential": credential}})

    # then
    assert added["registerSecurityKey"]["__typename"] == "SecurityKeyAdded"
    assert not await TrustedBrowser.exists(user__email=EMAIL)


async def test_signing_out_everywhere_ends_every_trust(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    key = await company_user(browser, make_user)
    await sign_in_trusting(browser, key)

    # when
    await browser.execute(doc.LOG_OUT_EVERYWHERE)

    # then
    assert not await TrustedBrowser.exists(user__email=EMAIL)


async def test_an_mfa_reset_ends_every_trust(
    browser: GraphQLClient, make_user: MakeUser, new_http: HttpFactory
) -> None:
    # given: the user's browser is trusted; their admin has just signed in with a key
    await trusted_then_signed_out(browser, make_user)
    admin = GraphQLClient(new_http())
    admin_key = await company_user(admin, make_user, email=ADMIN, admin=True)
    await log_in(admin, ADMIN)
    credential = admin_key.get(await security_key_challenge(admin))
    signed = await admin.execute(VERIFY, {"input": {"code": credential, "method": "SECURITY_KEY"}})
    assert signed["verifyLoginCode"]["__typename"] == "LoggedIn"

    # when
    variables = {"input": {"email": EMAIL, "verifiedUserRequest": True}}
    reset = await admin.execute(RESET, variables)

    # then
    assert reset["resetUserMfa"]["__typename"] == "UserMfaReset"
    assert not await TrustedBrowser.exists(user__email=EMAIL)


async def test_the_company_command_allows_and_withdraws_trusted_browsers(
    browser: GraphQLClient,
    messagebird: MessageBirdStandIn,
    mailbox: Mailbox,
    database_url: str,
    tmp_path: Path,
) -> None:
    # given
    env = server_environment(database_url, messagebird, mailbox)

    # when
    allowed = run_twofold(env, tmp_path, "company", "Acme", "--allow-trusted-browsers")
    allows_after_allowing = (await Company.get(name="Acme")).allow_trusted_browsers
    withdrawn = run_twofold(env, tmp_path, "company", "Acme", "--no-trusted-browsers")

    # then
    assert allowed.returncode == 0, allowed.stderr
    assert "trusted browsers allowed" in allowed.stdout
    assert allows_after_allowing is True
    assert withdrawn.returncode == 0, withdrawn.stderr
    assert (await Company.get(name="Acme")).allow_trusted_browsers is False


TRUST_DAYS = "{ mfaEnrollment { step trustBrowserDays } }"


async def test_the_challenge_tells_the_client_how_long_a_browser_would_be_trusted(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    await company_user(browser, make_user)

    # when
    await log_in(browser, EMAIL)
    status = (await browser.execute(TRUST_DAYS))["mfaEnrollment"]

    # then
    assert status == {"step": "CHALLENGE", "trustBrowserDays": 30}


async def test_without_the_company_allowing_it_the_challenge_offers_no_trust(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    await company_user(browser, make_user, allows=False)

    # when
    await log_in(browser, EMAIL)
    status = (await browser.execute(TRUST_DAYS))["mfaEnrollment"]

    # then
    assert status == {"step": "CHALLENGE", "trustBrowserDays": None}
