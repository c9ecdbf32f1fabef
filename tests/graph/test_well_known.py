"""The endpoints a service reads before trusting Twofold's tokens: RFC 8414 metadata naming
the issuer, key set and introspection endpoint; and the introspection endpoint's refusals of
a request that is not a form with one token."""

from __future__ import annotations

from dataclasses import replace

import pytest
from starlette.applications import Starlette

from domain.settings import Settings
from providers.registry import Providers
from tests.support.access_tokens import ISSUER, basic, service_credential
from tests.support.apps import running_app
from tests.support.clients import HttpFactory
from tests.support.mailbox import Mailbox
from tests.support.messagebird_standin import MessageBirdStandIn

METADATA = "/.well-known/oauth-authorization-server"


async def test_the_metadata_names_the_issuer_its_keys_and_introspection(
    new_http: HttpFactory,
) -> None:
    # when
    async with new_http() as http:
        response = await http.get(METADATA)

    # then
    assert response.status_code == 200
    assert response.headers["cache-control"].startswith("public, max-age=")
    assert response.json() == {
        "issuer": ISSUER,
        "jwks_uri": f"{ISSUER}/.well-known/jwks.json",
        "introspection_endpoint": f"{ISSUER}/oauth/introspect",
        "introspection_endpoint_auth_methods_supported": ["client_secret_basic"],
    }


async def test_with_public_url_the_metadata_uses_it(
    settings: Settings, providers: Providers, messagebird: MessageBirdStandIn, mailbox: Mailbox
) -> None:
    # given
    public = replace(settings, public_url="https://twofold.example", messagebird_signing_key="k")

    # when
    async with running_app(public, providers, messagebird, mailbox) as make, make() as http:
        document = (await http.get(METADATA)).json()

    # then
    assert document["issuer"] == "https://twofold.example"
    assert document["jwks_uri"] == "https://twofold.example/.well-known/jwks.json"


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("", "application/x-www-form-urlencoded"),
        ("token=a&token=b", "application/x-www-form-urlencoded"),
        ('{"token": "a"}', "application/json"),
        ("token=%FF", "application/x-www-form-urlencoded"),
    ],
)
async def test_introspection_needs_a_form_with_one_token(
    app: Starlette,
    new_http: HttpFactory,
    settings: Settings,
    providers: Providers,
    body: str,
    content_type: str,
) -> None:
    # given
    credential = await service_credential(settings, providers)

    # when
    async with new_http() as http:
        response = await http.post(
            "/oauth/introspect",
            content=body,
            headers={"Authorization": basic(*credential), "Content-Type": content_type},
        )

    # then
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_request"}
    assert response.headers["cache-control"] == "no-store"
