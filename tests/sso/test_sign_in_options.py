"""Identifier-first sign-in: signInOptions answers from the email's domain alone, and a
password logIn on an SSO-only domain answers SsoRequiredError, account or not."""

from __future__ import annotations

import pytest

from domain.sso.providers import OidcRegistration, add_oidc
from models.company import Company
from models.enums import PayRole
from models.sso import SsoDomain
from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.constants import PASSWORD, SECRET_KEY
from tests.support.graphql import GraphQLClient
from tests.support.users import MakeUser

LOG_IN_SSO = """
mutation LogIn($input: LogInInput!) {
  logIn(input: $input) {
    __typename
    ... on SsoRequiredError { code startUrl }
  }
}
"""
OPTIONS = """
query Options($email: String!) {
  signInOptions(email: $email) { password sso { startUrl providerName } }
}
"""


async def acme(clock: ManualClock, *, verified: bool = True, password: bool = False) -> str:
    company = await Company.create(name="Acme", allow_password_with_sso=password)
    await SsoDomain.create(
        domain="acme.example", company=company, verified=verified, created_at=clock.now()
    )
    registration = OidcRegistration("https://idp.acme.example", "c", "s", name="Acme IdP")
    provider = await add_oidc(company, registration, SECRET_KEY, clock.now())
    return f"/sso/{provider.id}/start"


async def test_the_answer_depends_only_on_the_domain(
    browser: GraphQLClient, clock: ManualClock, make_user: MakeUser
) -> None:
    # given: one address of the domain has an account, the other has none
    start = await acme(clock)
    await make_user("pat@acme.example", PayRole.PAYOR)

    # when
    known = await browser.execute(OPTIONS, {"email": "pat@acme.example"})
    unknown = await browser.execute(OPTIONS, {"email": "Nobody@ACME.example"})
    elsewhere = await browser.execute(OPTIONS, {"email": "pat@example.org"})

    # then
    sso_only = {"password": False, "sso": {"startUrl": start, "providerName": "Acme IdP"}}
    assert known == unknown == {"signInOptions": sso_only}
    assert elsewhere == {"signInOptions": {"password": True, "sso": None}}


@pytest.mark.parametrize("exists", [True, False])
async def test_a_password_sign_in_on_an_sso_only_domain_names_sso(
    browser: GraphQLClient, clock: ManualClock, make_user: MakeUser, exists: bool
) -> None:
    # given
    start = await acme(clock)
    if exists:
        await make_user("pat@acme.example", PayRole.PAYOR)

    # when
    data = await browser.execute(
        LOG_IN_SSO,
        {"input": {"email": "pat@acme.example", "password": PASSWORD}},
    )

    # then
    assert data["logIn"] == {
        "__typename": "SsoRequiredError",
        "code": "SSO_REQUIRED",
        "startUrl": start,
    }


async def test_passwords_work_where_the_company_allows_them_or_the_domain_is_unverified(
    browser: GraphQLClient, clock: ManualClock, make_user: MakeUser
) -> None:
    # given: the domain is not verified, so it names no company
    await acme(clock, verified=False)
    await make_user("pat@acme.example", PayRole.PAYOR)

    # when
    options = await browser.execute(OPTIONS, {"email": "pat@acme.example"})
    data = await browser.execute(
        doc.LOG_IN, {"input": {"email": "pat@acme.example", "password": PASSWORD}}
    )

    # then
    assert options == {"signInOptions": {"password": True, "sso": None}}
    assert data["logIn"]["__typename"] == "MfaSetupRequired"
