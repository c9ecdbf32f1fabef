"""Access tokens as another service sees them: issued over GraphQL, verified with PyJWT and the
key set Twofold serves, introspected with a service credential."""

from __future__ import annotations

import base64
from dataclasses import replace
from datetime import timedelta
from typing import Any

import httpx
import jwt

from domain import service_clients
from domain.runtime import RequestMeta, Runtime
from domain.settings import Settings
from models.company import Company
from models.enums import PayRole
from models.user import User
from providers.registry import Providers
from tests.support import documents as doc
from tests.support.authenticator import SoftwareAuthenticator
from tests.support.flows import enroll_with_security_key, log_in, security_key_challenge
from tests.support.graphql import GraphQLClient
from tests.support.users import MakeUser

AUDIENCE = "payments"
TRUSTING_VERIFY = """
mutation Verify($input: VerifyLoginCodeInput!) { verifyLoginCode(input: $input) { __typename } }
"""
ISSUER = "https://testserver"
"""The test clients' base URL: the issuer when PUBLIC_URL is unset."""


def with_audiences(settings: Settings) -> Settings:
    return replace(settings, access_token_audiences=(AUDIENCE, "ledger"))


async def issue(
    client: GraphQLClient,
    audience: str = AUDIENCE,
    max_age: int | None = None,
    acr_values: list[str] | None = None,
) -> dict[str, Any]:
    variables = {"input": {"audience": audience, "maxAgeSeconds": max_age, "acrValues": acr_values}}
    return dict((await client.execute(doc.ISSUE_ACCESS_TOKEN, variables))["issueAccessToken"])


async def issued_token(client: GraphQLClient, **options: Any) -> str:
    answer = await issue(client, **options)
    assert answer["__typename"] == "AccessTokenIssued", answer
    return str(answer["accessToken"])


async def key_set(http: httpx.AsyncClient) -> dict[str, Any]:
    response = await http.get("/.well-known/jwks.json")
    assert response.status_code == 200, response.text
    return dict(response.json())


def verified(
    token: str,
    keys: dict[str, Any],
    audience: str = AUDIENCE,
    leeway: timedelta = timedelta(0),
) -> dict[str, Any]:
    """The claims as a service checks them: signature by a served key, ES256 only, audience,
    issuer, expiry (real time, give or take `leeway` where the test moved the clock)."""
    kid = jwt.get_unverified_header(token)["kid"]
    key = jwt.PyJWKSet.from_dict(keys)[kid]
    return dict(
        jwt.decode(
            token, key, algorithms=["ES256"], audience=audience, issuer=ISSUER, leeway=leeway
        )
    )


async def service_credential(settings: Settings, providers: Providers) -> tuple[str, str]:
    """A new service credential, as `twofold service create` makes it: (client_id, secret)."""
    runtime = Runtime(settings, providers, RequestMeta("-", "tests"))
    created = await service_clients.create("payments", runtime)
    return created.client.client_id, created.client_secret


def basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


async def introspect(
    http: httpx.AsyncClient, token: str, credential: tuple[str, str]
) -> httpx.Response:
    return await http.post(
        "/oauth/introspect",
        data={"token": token},
        headers={"Authorization": basic(*credential)},
    )


async def is_active(http: httpx.AsyncClient, token: str, credential: tuple[str, str]) -> bool:
    response = await introspect(http, token, credential)
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    return bool(response.json()["active"])


async def trusted_browser_signed_in_again(
    client: GraphQLClient, make_user: MakeUser, email: str
) -> SoftwareAuthenticator:
    """A payor whose company allows trusted browsers, signed in on one without a factor."""
    company = await Company.create(name="Acme", allow_trusted_browsers=True)
    user = await make_user(email, PayRole.PAYOR)
    await User.filter(id=user.id).update(company_id=company.id)
    key = SoftwareAuthenticator()
    await enroll_with_security_key(client, email, key)
    await client.execute(doc.LOG_OUT)
    assert (await log_in(client, email))["__typename"] == "MfaChallengeRequired"
    variables = {
        "input": {
            "code": key.get(await security_key_challenge(client)),
            "method": "SECURITY_KEY",
            "trustBrowser": True,
        }
    }
    trusted = await client.execute(TRUSTING_VERIFY, variables)
    assert trusted["verifyLoginCode"]["__typename"] == "LoggedIn"
    await client.execute(doc.LOG_OUT)
    assert (await log_in(client, email))["__typename"] == "LoggedIn"  # no challenge
    return key
