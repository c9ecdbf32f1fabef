"""IdP metadata in (the provider's configuration), SP metadata out.

A provider's configuration is a plain dict so it can be stored as JSON beside the provider:
`entity_id`, `sso_url` (HTTP-Redirect binding), `certificates` (PEM, signing use), and
`allow_idp_initiated` (False unless the operator turns it on).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit
from xml.sax.saxutils import quoteattr

import httpx
from cryptography import x509

from domain.sso.saml.errors import MetadataInvalid
from domain.sso.saml.xml import MD, NS, parse, tag, text_of

REDIRECT_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
POST_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
NAMEID_PERSISTENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
NAMEID_EMAIL = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
NAMEID_TRANSIENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient"
MAX_METADATA_BYTES = 256 * 1024


@dataclass(frozen=True)
class ServiceProvider:
    """Twofold as the SP of one identity provider: its own entity id and ACS URL."""

    provider_id: str
    entity_id: str
    acs_url: str


def provider_config_from_metadata(text: str | bytes) -> dict[str, Any]:
    """The entity id, sign-in URL and signing certificates of the one IdP in `text`."""
    root = parse(text.encode() if isinstance(text, str) else text)
    if root.tag == tag(MD, "EntitiesDescriptor"):
        entities = [
            e
            for e in root.iter(tag(MD, "EntityDescriptor"))
            if e.find("md:IDPSSODescriptor", NS) is not None
        ]
        if len(entities) != 1:
            raise MetadataInvalid("expected exactly one IdP entity")
        root = entities[0]
    if root.tag != tag(MD, "EntityDescriptor"):
        raise MetadataInvalid("not SAML metadata")
    entity_id = (root.get("entityID") or "").strip()
    idp = root.find("md:IDPSSODescriptor", NS)
    if not entity_id or idp is None:
        raise MetadataInvalid("no IdP entity id")
    endpoints = {
        s.get("Binding"): (s.get("Location") or "").strip()
        for s in idp.findall("md:SingleSignOnService", NS)
    }
    sso_url = endpoints.get(REDIRECT_BINDING) or ""
    if not _https_or_loopback(sso_url):
        raise MetadataInvalid("no https HTTP-Redirect SingleSignOnService")
    certificates = [
        _pem(text_of(key.find("ds:KeyInfo/ds:X509Data/ds:X509Certificate", NS)))
        for key in idp.findall("md:KeyDescriptor", NS)
        if key.get("use") in (None, "signing")
    ]
    if not certificates:
        raise MetadataInvalid("no signing certificate")
    return {
        "entity_id": entity_id,
        "sso_url": sso_url,
        "certificates": sorted(set(certificates)),
        "allow_idp_initiated": False,
    }


async def fetch_metadata(url: str, timeout_seconds: float) -> str:
    """The IdP's published metadata (HTTPS, or loopback HTTP), bounded in time and size."""
    if not _https_or_loopback(url):
        raise MetadataInvalid("metadata URL must be https")
    try:
        async with httpx.AsyncClient(timeout=timeout_seconds, follow_redirects=False) as client:
            async with client.stream("GET", url) as answer:
                if answer.status_code != 200:
                    raise MetadataInvalid(f"metadata answered {answer.status_code}")
                body = b""
                async for chunk in answer.aiter_bytes():
                    body += chunk
                    if len(body) > MAX_METADATA_BYTES:
                        raise MetadataInvalid("metadata too large")
    except httpx.HTTPError as error:
        raise MetadataInvalid(type(error).__name__) from error
    return body.decode("utf-8", errors="replace")


def sp_metadata(sp: ServiceProvider) -> str:
    """Twofold's SP metadata for the IdP's administrator: entity id, ACS, NameID formats."""
    formats = "".join(
        f"<md:NameIDFormat>{f}</md:NameIDFormat>" for f in (NAMEID_PERSISTENT, NAMEID_EMAIL)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<md:EntityDescriptor xmlns:md="{MD}" entityID={quoteattr(sp.entity_id)}>'
        '<md:SPSSODescriptor AuthnRequestsSigned="false" WantAssertionsSigned="true" '
        'protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">'
        f"{formats}"
        f'<md:AssertionConsumerService Binding="{POST_BINDING}" '
        f'Location={quoteattr(sp.acs_url)} index="0" isDefault="true"/>'
        "</md:SPSSODescriptor></md:EntityDescriptor>"
    )


def _https_or_loopback(url: str) -> bool:
    """https://, or http:// to this machine's loopback (an IdP on the same host)."""
    parts = urlsplit(url)
    loopback = parts.scheme == "http" and parts.hostname in {"127.0.0.1", "::1", "localhost"}
    return bool(parts.hostname) and (parts.scheme == "https" or loopback)


def _pem(base64_der: str) -> str:
    body = "".join(base64_der.split())
    pem = "-----BEGIN CERTIFICATE-----\n" + "\n".join(textwrap.wrap(body, 64))
    pem += "\n-----END CERTIFICATE-----\n"
    try:
        x509.load_pem_x509_certificate(pem.encode())
    except ValueError as error:
        raise MetadataInvalid("certificate does not load") from error
    return pem
