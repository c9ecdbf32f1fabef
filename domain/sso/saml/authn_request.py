"""SP-initiated sign-in: an AuthnRequest sent by the HTTP-Redirect binding, and RelayState kept
to Twofold's own paths."""

from __future__ import annotations

import base64
import secrets
import zlib
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode, urlsplit
from xml.sax.saxutils import quoteattr

from domain.sso.saml.metadata import NAMEID_PERSISTENT, POST_BINDING, ServiceProvider
from domain.sso.saml.xml import SAML, SAMLP, format_instant

MAX_RELAY_STATE = 80  # SAML's bindings promise only 80 bytes of RelayState


def build_authn_request(
    provider_config: dict[str, Any],
    sp: ServiceProvider,
    relay_state: str,
    *,
    now: datetime | None = None,
    request_id: str | None = None,
) -> tuple[str, str]:
    """(the IdP URL to redirect the browser to, the request's id for InResponseTo)."""
    # An NCName: letters first. 160 random bits, so no one guesses another browser's request.
    request_id = request_id or "_" + secrets.token_hex(20)
    issued = format_instant(now or datetime.now(UTC))
    document = (
        f'<samlp:AuthnRequest xmlns:samlp="{SAMLP}" xmlns:saml="{SAML}" ID="{request_id}" '
        f'Version="2.0" IssueInstant="{issued}" '
        f"Destination={quoteattr(provider_config['sso_url'])} "
        f'ProtocolBinding="{POST_BINDING}" '
        f"AssertionConsumerServiceURL={quoteattr(sp.acs_url)}>"
        f"<saml:Issuer>{_escape(sp.entity_id)}</saml:Issuer>"
        f'<samlp:NameIDPolicy Format="{NAMEID_PERSISTENT}" AllowCreate="true"/>'
        "</samlp:AuthnRequest>"
    )
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)  # raw DEFLATE (the Redirect binding)
    deflated = compressor.compress(document.encode()) + compressor.flush()
    query = {"SAMLRequest": base64.b64encode(deflated).decode("ascii")}
    relay = safe_relay_state(relay_state)
    if relay != "/":
        query["RelayState"] = relay
    url = provider_config["sso_url"]
    separator = "&" if "?" in url else "?"
    return url + separator + urlencode(query), request_id


def safe_relay_state(value: str | None) -> str:
    """`value` when it is a path on this site; otherwise `/`. Never another host or scheme."""
    if not value or len(value) > MAX_RELAY_STATE or not value.startswith("/"):
        return "/"
    if value.startswith(("//", "/\\")) or any(c in value for c in "\\\r\n\t\0"):
        return "/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return "/"
    return value


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
