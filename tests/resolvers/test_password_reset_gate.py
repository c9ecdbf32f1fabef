"""A password reset passes the sign-in's own second-factor gate: a trusted browser does not
skip its challenge, and an email domain that signs in by single sign-on only (no password
alongside) gets logIn's SsoRequiredError instead of a link, since its password is never used."""

from __future__ import annotations

import pytest

from domain import password_reset
from domain.sso.providers import OidcRegistration, add_oidc
from models.audit_event import AuditEvent
from models.company import Company
from models.enums import PayRole
from models.password_reset import PasswordReset
from models.sso import SsoDomain
from models.user import User
from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.account_links import links_to, token_of, wait_for_link
from tests.support.authenticator import SoftwareAuthenticator
from tests.support.clients import HttpFactory
from tests.support.constants import SECRET_KEY
from tests.support.flows import enroll_with_security_key, log_in, security_key_challenge
from tests.support.graphql import GraphQLClient
from tests.support.mailbox import Mailbox
from tests.support.users import MakeUser, cheap_user

EMAIL = "pat@acme.example"
NEW_PASSWORD = "violet kettle under moonlight"
PATH = "/reset-password"
VERIFY_TRUSTING = """
mutation Verify($input: VerifyLoginCodeInput!) { verifyLoginCode(input: $input) { __typename } }
"""


async def sso_domain(clock: ManualClock, *, password_allowed: bool = False) -> tuple[str, Company]:
    """acme.example, a verified SSO domain of Acme; the path that starts its sign-in."""
    company = await Company.create(name="Acme", allow_password_with_sso=password_allowed)
    await SsoDomain.create(
        domain="acme.example", company=company, verified=True, created_at=clock.now()
    )
    registration = OidcRegistration("https://idp.acme.example", "c", "s", name="Acme IdP")
    provider = await add_oidc(company, registration, SECRET_KEY, clock.now())
    return f"/sso/{provider.id}/start", company


async def ask(client: GraphQLClient, email: str) -> dict:
    asked = await client.execute(doc.REQUEST_PASSWORD_RESET, {"input": {"email": email}})
    return dict(asked["requestPasswordReset"])


async def reset(client: GraphQLClient, token: str) -> dict:
    variables = {"input": {"token": token, "newPassword": NEW_PASSWORD}}
    return dict((await client.execute(doc.RESET_PASSWORD, variables))["resetPassword"])


@pytest.mark.parametrize("exists", [True, False])
async def test_an_sso_only_domain_gets_the_sso_answer_and_no_link(
    browser: GraphQLClient, clock: ManualClock, mailbox: Mailbox, exists: bool
) -> None:
    # given: an SSO-only company's domain, with or without an account at the address
    start, _ = await sso_domain(clock)
    if exists:
        await cheap_user(EMAIL)

    # when
    answered = await ask(browser, EMAIL)
    await password_reset.settled()

    # then: logIn's answer, whether or not the account exists; no link, no reset row
    assert answered == {"__typename": "SsoRequiredError", "code": "SSO_REQUIRED", "startUrl": start}
    assert links_to(mailbox, EMAIL, PATH) == []
    assert await PasswordReset.all().count() == 0
    assert await AuditEvent.filter(event="password_reset", outcome="sso_required").count() == 1


async def test_a_link_sent_before_the_company_turned_sso_only_no_longer_resets(
    browser: GraphQLClient, clock: ManualClock, mailbox: Mailbox
) -> None:
    # given: a link sent while passwords worked, then the company signs in by SSO only
    user = await cheap_user(EMAIL)
    assert (await ask(browser, EMAIL))["__typename"] == "PasswordResetRequested"
    token = token_of(await wait_for_link(mailbox, EMAIL, PATH))
    start, company = await sso_domain(clock)
    await User.filter(id=user.id).update(company_id=company.id)

    # when
    answered = await reset(browser, token)

    # then: the SSO answer; the password and the sessions stay as they were
    assert answered == {"__typename": "SsoRequiredError", "startUrl": start, "code": "SSO_REQUIRED"}
    assert (await User.get(id=user.id)).password_hash == user.password_hash
    assert (await browser.execute(doc.VIEWER_EMAIL))["viewer"] is None


async def test_where_the_company_allows_passwords_with_sso_a_reset_works(
    browser: GraphQLClient, clock: ManualClock, mailbox: Mailbox
) -> None:
    # given: an SSO domain whose company lets passwords sign in too
    await sso_domain(clock, password_allowed=True)
    user = await cheap_user(EMAIL)

    # when
    assert (await ask(browser, EMAIL))["__typename"] == "PasswordResetRequested"
    answered = await reset(browser, token_of(await wait_for_link(mailbox, EMAIL, PATH)))

    # then
    assert answered["__typename"] == "LoggedIn"
    assert (await User.get(id=user.id)).password_hash != user.password_hash


async def test_a_trusted_browser_does_not_skip_the_resets_challenge(
    browser: GraphQLClient, make_user: MakeUser, new_http: HttpFactory, mailbox: Mailbox
) -> None:
    # given: a payor whose company allows trusted browsers, trusted on this browser
    company = await Company.create(name="Trusting", allow_trusted_browsers=True)
    user = await make_user("payor@example.com", PayRole.PAYOR)
    await User.filter(id=user.id).update(company_id=company.id)
    key = SoftwareAuthenticator()
    await enroll_with_security_key(GraphQLClient(new_http()), "payor@example.com", key)
    assert (await log_in(browser, "payor@example.com"))["__typename"] == "MfaChallengeRequired"
    credential = key.get(await security_key_challenge(browser))
    variables = {"input": {"code": credential, "method": "SECURITY_KEY", "trustBrowser": True}}
    trusted = await browser.execute(VERIFY_TRUSTING, variables)
    assert trusted["verifyLoginCode"]["__typename"] == "LoggedIn"
    await browser.execute(doc.LOG_OUT)
    assert (await log_in(browser, "payor@example.com"))["__typename"] == "LoggedIn"
    await browser.execute(doc.LOG_OUT)

    # when: the same browser opens a reset link
    assert (await ask(browser, "payor@example.com"))["__typename"] == "PasswordResetRequested"
    link = await wait_for_link(mailbox, "payor@example.com", PATH)
    answered = await reset(browser, token_of(link))

    # then: the challenge first, and the password unchanged until it is passed
    assert answered["__typename"] == "MfaChallengeRequired"
    assert (await User.get(id=user.id)).password_hash == user.password_hash
