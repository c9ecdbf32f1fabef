"""Acme's OpenID Connect provider at the test identity provider, and one sign-in through it."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from domain.sso.providers import OidcRegistration, add_oidc
from models.company import Company
from models.sealing import Sealed, seal
from models.sso import IdentityProvider, SsoDomain
from providers.clock import ManualClock
from tests.support.constants import SECRET_KEY
from tests.support.idp import Idp

TWOFOLD = "https://testserver"


async def acme_at(
    idp: Idp,
    clock: ManualClock,
    *,
    domain_verified: bool = True,
    issuer: str | None = None,
    native_redirect: str | None = None,
    allow_acr: tuple[str, ...] = (),
) -> IdentityProvider:
    """Company Acme, its domain acme.example, and its provider registered at `idp`."""
    company = await Company.get_or_create(name="Acme")
    await SsoDomain.create(
        domain="acme.example", company=company[0], verified=domain_verified, created_at=clock.now()
    )
    registration = OidcRegistration(
        issuer or idp.issuer,
        "pending",
        "pending",
        allow_acr=allow_acr,
        native_redirect_uri=native_redirect,
        name="Acme IdP",
    )
    provider = await add_oidc(company[0], registration, SECRET_KEY, clock.now())
    # As an operator does: register the printed redirect URI, then keep the client's secret.
    client_id, secret = idp.register(f"{TWOFOLD}/sso/oidc/{provider.id}/callback")
    provider.client_id = client_id
    provider.client_secret_sealed = seal(SECRET_KEY, Sealed.SSO_CLIENT_SECRET, secret)
    await provider.save(update_fields=["client_id", "client_secret_sealed"])
    return provider


@dataclass
class Trip:
    """A browser's round trip: the provider's URL it was sent to and the callback it came back
    to, before Twofold answers it."""

    authorization_url: str
    callback_url: str


async def start(twofold: httpx.AsyncClient, provider: IdentityProvider, query: str = "") -> str:
    answer = await twofold.get(f"/sso/{provider.id}/start{query}")
    assert answer.status_code == 303, answer.text
    return answer.headers["location"]


async def to_callback(
    twofold: httpx.AsyncClient, idp: Idp, provider: IdentityProvider, account: str, query: str = ""
) -> Trip:
    authorization_url = await start(twofold, provider, query)
    return Trip(authorization_url, await idp.sign_in(authorization_url, account))


async def back(twofold: httpx.AsyncClient, callback_url: str) -> httpx.Response:
    """The browser arrives at Twofold's callback."""
    assert callback_url.startswith(TWOFOLD), callback_url
    return await twofold.get(callback_url.removeprefix(TWOFOLD))
