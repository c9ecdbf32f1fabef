"""A company that signs in by SSO only decides at its identity provider who gets in: a passkey
registered before the switch no longer signs in around it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from domain.settings import Settings
from domain.sso.providers import OidcRegistration, add_oidc
from models.company import Company
from models.enums import PayRole
from models.sso import SsoDomain
from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.authenticator import SoftwareAuthenticator
from tests.support.clients import HttpFactory
from tests.support.constants import SECRET_KEY
from tests.support.flows import enroll_with_security_key
from tests.support.graphql import GraphQLClient
from tests.support.users import MakeUser

EMAIL = "pat@acme.example"
START = "mutation { startPasskeySignIn { ... on PasskeySignInStarted { requestOptions } } }"
LOG_IN_WITH_PASSKEY = """
mutation LogIn($input: LogInWithPasskeyInput!) { logInWithPasskey(input: $input) {
  __typename
  ... on SsoRequiredError { code startUrl }
} }
"""


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return replace(settings, passkey_sign_in=True)


async def test_a_passkey_does_not_sign_in_around_an_sso_only_company(
    browser: GraphQLClient, make_user: MakeUser, new_http: HttpFactory, clock: ManualClock
) -> None:
    # given: a passkey enrolled while passwords worked, then the company turned SSO-only
    user = await make_user(EMAIL, PayRole.PAYOR)
    passkey = SoftwareAuthenticator(backup_eligible=True)
    enrolling = GraphQLClient(new_http())
    await enroll_with_security_key(enrolling, EMAIL, passkey)
    await enrolling.execute(doc.LOG_OUT)
    company = await Company.create(name="Acme")
    user.company_id = company.id
    await user.save(update_fields=["company_id"])
    await SsoDomain.create(
        domain="acme.example", company=company, verified=True, created_at=clock.now()
    )
    registration = OidcRegistration("https://idp.acme.example", "c", "s")
    provider = await add_oidc(company, registration, SECRET_KEY, clock.now())
    offered = (await browser.execute(START))["startPasskeySignIn"]["requestOptions"]

    # when
    data = await browser.execute(
        LOG_IN_WITH_PASSKEY,
        {"input": {"credential": passkey.get(str(offered), user_verified=True)}},
    )

    # then
    assert data["logInWithPasskey"] == {
        "__typename": "SsoRequiredError",
        "code": "SSO_REQUIRED",
        "startUrl": f"/sso/{provider.id}/start",
    }
