"""The operator's identity providers: add, list, remove (the `twofold sso` commands)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from models.company import Company
from models.sealing import Sealed, seal, unseal
from models.sso import IdentityProvider, SsoKind


class ProviderRefused(ValueError):
    """The provider cannot be added as asked; the message says why."""


@dataclass(frozen=True)
class OidcRegistration:
    issuer: str
    client_id: str
    client_secret: str
    allow_acr: tuple[str, ...] = ()
    allow_amr: tuple[str, ...] = ()
    native_redirect_uri: str | None = None
    name: str = ""


def _check_issuer(issuer: str) -> str:
    """https://, or http:// to this machine's loopback (a provider on the same host)."""
    parts = urlsplit(issuer)
    local = parts.hostname in ("127.0.0.1", "localhost", "::1")
    if parts.scheme != "https" and not (local and parts.scheme == "http"):
        raise ProviderRefused("the issuer must be an https:// URL")
    if parts.query or parts.fragment or not parts.hostname:
        raise ProviderRefused("the issuer is a URL without query or fragment")
    return issuer


def check_native_redirect(uri: str | None) -> str | None:
    """An app's registered redirect: a private-use scheme (RFC 8252 7.1) or an https URL."""
    if uri is None:
        return None
    parts = urlsplit(uri)
    if parts.scheme in ("http", "javascript", "data", "file", "") or parts.fragment:
        raise ProviderRefused("the native redirect is an https:// URL or an app's own scheme")
    if parts.scheme == "https" and not parts.hostname:
        raise ProviderRefused("the native redirect names a host")
    return uri


async def add_oidc(
    company: Company, registration: OidcRegistration, secret_key: str, now: datetime
) -> IdentityProvider:
    issuer = _check_issuer(registration.issuer)
    if not registration.client_id or not registration.client_secret:
        raise ProviderRefused("the client id and secret are both needed")
    return await IdentityProvider.create(
        company=company,
        kind=SsoKind.OIDC,
        name=registration.name or company.name,
        issuer=issuer,
        client_id=registration.client_id,
        client_secret_sealed=seal(secret_key, Sealed.SSO_CLIENT_SECRET, registration.client_secret),
        allowed_acr=" ".join(registration.allow_acr),
        allowed_amr=" ".join(registration.allow_amr),
        native_redirect_uri=check_native_redirect(registration.native_redirect_uri),
        created_at=now,
    )


async def add_saml(
    company: Company,
    config: dict[str, Any],
    now: datetime,
    *,
    name: str = "",
    allow_acr: tuple[str, ...] = (),
    native_redirect_uri: str | None = None,
) -> IdentityProvider:
    """A SAML provider from the config its metadata gave (domain.sso.saml's business)."""
    issuer = str(config.get("issuer") or config.get("entity_id") or "")
    if not issuer:
        raise ProviderRefused("the metadata names no entity id")
    return await IdentityProvider.create(
        company=company,
        kind=SsoKind.SAML,
        name=name or company.name,
        issuer=issuer,
        config=json.dumps(config, sort_keys=True),
        allowed_acr=" ".join(allow_acr),
        native_redirect_uri=check_native_redirect(native_redirect_uri),
        created_at=now,
    )


def client_secret(provider: IdentityProvider, secret_key: str) -> str:
    return unseal(secret_key, Sealed.SSO_CLIENT_SECRET, provider.client_secret_sealed or "")


async def all_providers() -> list[IdentityProvider]:
    return await IdentityProvider.all().order_by("created_at").prefetch_related("company")


async def remove(provider_id: UUID) -> bool:
    """Remove the provider and the identities linked through it; whether it existed."""
    return bool(await IdentityProvider.filter(id=provider_id).delete())
