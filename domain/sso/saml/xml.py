"""Safe XML for SAML: parsed by defusedxml with any DTD refused (so no external entity is ever
resolved and no entity expands), namespaces, and SAML's xs:dateTime."""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from domain.sso.saml.errors import XmlRefused

SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
DS = "http://www.w3.org/2000/09/xmldsig#"
MD = "urn:oasis:names:tc:SAML:2.0:metadata"
NS = {"samlp": SAMLP, "saml": SAML, "ds": DS, "md": MD}

# A signed response with a few attributes is a few kilobytes; metadata with several
# certificates stays well under this.
MAX_DOCUMENT_BYTES = 256 * 1024


def parse(document: bytes) -> Element:
    """The root element, or XmlRefused for anything with a DOCTYPE, entities or bad syntax."""
    if len(document) > MAX_DOCUMENT_BYTES:
        raise XmlRefused("document too large")
    try:
        root: Element = fromstring(
            document, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except (DefusedXmlException, ParseError, ValueError) as error:
        raise XmlRefused(type(error).__name__) from error
    return root


def decode_base64(value: str) -> bytes:
    """Strict base64 (the POST binding's SAMLResponse); whitespace from form wrapping allowed."""
    compact = "".join(value.split())
    if len(compact) > MAX_DOCUMENT_BYTES * 4 // 3 + 4:
        raise XmlRefused("document too large")
    try:
        return base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError) as error:
        raise XmlRefused("not base64") from error


def tag(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


def text_of(element: Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def instant(value: str | None) -> datetime | None:
    """An xs:dateTime as SAML writes it (UTC, `Z`, optional fraction); None when absent."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def format_instant(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
