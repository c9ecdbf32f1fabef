"""A company may require a phishing-resistant factor (a security key or passkey) of its payors."""

from __future__ import annotations

from pathlib import Path

from models.company import Company
from models.enums import PayRole
from models.user import User
from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.flows import enroll_with_app, log_in
from tests.support.graphql import GraphQLClient
from tests.support.mailbox import Mailbox
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.served import run_twofold, server_environment
from tests.support.users import MakeUser

EMAIL = "payor@example.com"


async def member(make_user: MakeUser, role: PayRole, *, keys_required: bool) -> None:
    company = (
        await Company.get_or_create(
            name="Acme", defaults={"require_security_key_for_payors": keys_required}
        )
    )[0]
    user = await make_user(EMAIL, role)
    await User.filter(id=user.id).update(company_id=company.id)


async def test_a_payor_of_such_a_company_is_offered_only_security_keys(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    await member(make_user, PayRole.PAYOR, keys_required=True)
    await log_in(browser, EMAIL)

    # when
    listed = (await browser.execute(doc.START_MFA_SETUP))["startMfaSetup"]
    refused = (await browser.execute(doc.CHOOSE_AUTHENTICATOR_APP))["chooseMfaMethod"]

    # then
    assert listed["allowedMethods"] == ["SECURITY_KEY"]
    assert listed["recommendedMethod"] == "SECURITY_KEY"
    assert refused["code"] == "METHOD_NOT_ALLOWED"


async def test_a_payee_of_such_a_company_keeps_every_factor(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    await member(make_user, PayRole.PAYEE, keys_required=True)
    await log_in(browser, EMAIL)

    # when
    listed = (await browser.execute(doc.START_MFA_SETUP))["startMfaSetup"]

    # then
    assert listed["allowedMethods"] == ["AUTHENTICATOR_APP", "SMS", "SECURITY_KEY"]


async def test_requiring_keys_ends_app_payors_sessions_and_they_enroll_a_key(
    browser: GraphQLClient,
    make_user: MakeUser,
    clock: ManualClock,
    messagebird: MessageBirdStandIn,
    mailbox: Mailbox,
    database_url: str,
    tmp_path: Path,
) -> None:
    # given: a payor signed in with the app
    await member(make_user, PayRole.PAYOR, keys_required=False)
    await enroll_with_app(browser, EMAIL, clock)
    env = server_environment(database_url, messagebird, mailbox)

    # when
    done = run_twofold(env, tmp_path, "company", "Acme", "--require-security-key-for-payors")

    # then
    assert done.returncode == 0, done.stderr
    assert "security key required for payors" in done.stdout
    assert "1 sessions ended" in done.stdout
    assert (await browser.execute(doc.VIEWER_FACTORS))["viewer"] is None
    assert (await log_in(browser, EMAIL))["__typename"] == "MfaSetupRequired"
