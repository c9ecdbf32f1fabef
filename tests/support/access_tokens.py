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
from providers.registry import Providers
from tests.support import documents as doc
from tests.support.graphql import GraphQLClient

AUDIENCE = "payments"
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
