"""`parse_response`: a POSTed SAMLResponse checked strictly, then read as an identity.

Checks, each with its own error (domain/sso/saml/errors.py): safe XML, success status, the
signature by the configured certificate over the very assertion read, issuer, audience (our SP
entity id), recipient and Destination (our ACS URL), InResponseTo (the request this browser
started, or none for an IdP-initiated response the provider allows), and the time window with
CLOCK_SKEW either side. Replay is checked by the caller against the database (replay.py).

The subject is the NameID: configure IdPs for the persistent format, which never changes for a
user; an emailAddress or unspecified NameID is used as it is (so a renamed address is a new
identity); a transient NameID is refused. The email is the emailAddress NameID, else the first
of the usual mail attributes. SAML has no "verified" flag: the company's own IdP vouches for the
address, so email_verified is True and the SSO core limits it to the company's domains.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from xml.etree.ElementTree import Element

from domain.sso.saml.errors import (
    IdpRefused,
    OutsideTimeWindow,
    SubjectUnusable,
    UnknownRequest,
    UnsolicitedRefused,
    WrongAudience,
    WrongIssuer,
    WrongRecipient,
)
from domain.sso.saml.metadata import NAMEID_EMAIL, NAMEID_TRANSIENT, ServiceProvider
from domain.sso.saml.signature import signed_assertion
from domain.sso.saml.xml import NS, decode_base64, instant, parse, text_of

CLOCK_SKEW = timedelta(seconds=90)
SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success"
BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer"
MAIL_ATTRIBUTES = (
    "mail",
    "email",
    "emailaddress",
    "urn:oid:0.9.2342.19200300.100.1.3",
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
)
# Entra ID names the methods used in this attribute (its AuthnContextClassRef stays Password).
AUTHN_METHODS_ATTRIBUTE = "http://schemas.microsoft.com/claims/authnmethodsreferences"
# Values that say a second factor was used (Entra ID's, and the SAML spec's classes).
MFA_CLASSES = frozenset(
    {
        "http://schemas.microsoft.com/claims/multipleauthn",
        "urn:oasis:names:tc:SAML:2.0:ac:classes:TimeSyncToken",
        "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract",
    }
)


@dataclass(frozen=True)
class SamlAssertion:
    """What the SSO core's ExternalAssertion takes, plus what replay protection needs."""

    provider_id: str
    issuer: str
    subject: str
    email: str | None
    email_verified: bool
    acr: str | None
    amr: tuple[str, ...]
    auth_time: datetime | None
    assertion_id: str
    expires_at: datetime
    in_response_to: str | None = None
    attributes: dict[str, list[str]] = field(default_factory=dict)


async def parse_response(
    provider_config: dict[str, Any],
    sp: ServiceProvider,
    saml_response_b64: str,
    expected_request_id: str | None,
    now: datetime,
) -> SamlAssertion:
    document = decode_base64(saml_response_b64)
    root = parse(document)
    status = root.find("samlp:Status/samlp:StatusCode", NS)
    if status is None or status.get("Value") != SUCCESS:
        raise IdpRefused(status.get("Value", "") if status is not None else "no status")
    assertion = await signed_assertion(root, document, provider_config["certificates"])
    entity_id = provider_config["entity_id"]
    response_issuer = root.find("saml:Issuer", NS)
    if response_issuer is not None and text_of(response_issuer) != entity_id:
        raise WrongIssuer("response issuer")
    if text_of(assertion.find("saml:Issuer", NS)) != entity_id:
        raise WrongIssuer("assertion issuer")
    destination = root.get("Destination")
    if destination is not None and destination != sp.acs_url:
        raise WrongRecipient("Destination")
    _check_conditions(assertion, sp, now)
    confirmation = _bearer_confirmation(assertion, sp, now)
    _check_in_response_to(
        [root.get("InResponseTo"), confirmation.get("InResponseTo")],
        expected_request_id,
        bool(provider_config.get("allow_idp_initiated", False)),
    )
    return _read(assertion, confirmation, sp, entity_id, root.get("InResponseTo"), now)


def _check_conditions(assertion: Element, sp: ServiceProvider, now: datetime) -> None:
    conditions = assertion.find("saml:Conditions", NS)
    if conditions is None:
        raise WrongAudience("no conditions")
    _in_window(conditions.get("NotBefore"), conditions.get("NotOnOrAfter"), now)
    restrictions = conditions.findall("saml:AudienceRestriction", NS)
    if not restrictions:
        raise WrongAudience("no audience restriction")
    for restriction in restrictions:  # each restriction must admit us (SAML core 2.5.1.4)
        if sp.entity_id not in {text_of(a) for a in restriction.findall("saml:Audience", NS)}:
            raise WrongAudience()


def _bearer_confirmation(assertion: Element, sp: ServiceProvider, now: datetime) -> Element:
    """The bearer SubjectConfirmationData addressed to our ACS URL and still valid."""
    for confirmation in assertion.findall("saml:Subject/saml:SubjectConfirmation", NS):
        data = confirmation.find("saml:SubjectConfirmationData", NS)
        if confirmation.get("Method") != BEARER or data is None:
            continue
        if data.get("Recipient") != sp.acs_url:
            raise WrongRecipient("Recipient")
        if data.get("NotOnOrAfter") is None:
            raise OutsideTimeWindow("bearer confirmation without NotOnOrAfter")
        _in_window(data.get("NotBefore"), data.get("NotOnOrAfter"), now)
        return data
    raise WrongRecipient("no bearer subject confirmation")


def _in_window(not_before: str | None, not_on_or_after: str | None, now: datetime) -> None:
    start, end = instant(not_before), instant(not_on_or_after)
    if (not_before and start is None) or (not_on_or_after and end is None):
        raise OutsideTimeWindow("unreadable time")
    if start is not None and now + CLOCK_SKEW < start:
        raise OutsideTimeWindow("not yet valid")
    if end is not None and now - CLOCK_SKEW >= end:
        raise OutsideTimeWindow("expired")


def _check_in_response_to(
    values: list[str | None], expected: str | None, allow_idp_initiated: bool
) -> None:
    present = {v for v in values if v}
    if expected is None:
        if present:
            raise UnknownRequest("a reply to a request this browser did not start")
        if not allow_idp_initiated:
            raise UnsolicitedRefused()
        return
    if present != {expected}:
        raise UnknownRequest("InResponseTo is not this browser's request")


def _read(
    assertion: Element,
    confirmation: Element,
    sp: ServiceProvider,
    issuer: str,
    in_response_to: str | None,
    now: datetime,
) -> SamlAssertion:
    name_id = assertion.find("saml:Subject/saml:NameID", NS)
    subject = text_of(name_id)
    name_format = name_id.get("Format", "") if name_id is not None else ""
    if not subject or name_format == NAMEID_TRANSIENT:
        raise SubjectUnusable()
    attributes: dict[str, list[str]] = {}
    for attribute in assertion.findall("saml:AttributeStatement/saml:Attribute", NS):
        values = [text_of(v) for v in attribute.findall("saml:AttributeValue", NS)]
        attributes.setdefault(attribute.get("Name", ""), []).extend(v for v in values if v)
    email = subject if name_format == NAMEID_EMAIL else None
    lowered = {name.lower(): values for name, values in attributes.items()}
    for name in MAIL_ATTRIBUTES:
        if email is None and lowered.get(name):
            email = lowered[name][0]
    statement = assertion.find("saml:AuthnStatement", NS)
    acr = text_of(
        assertion.find("saml:AuthnStatement/saml:AuthnContext/saml:AuthnContextClassRef", NS)
    )
    ends = [
        instant(confirmation.get("NotOnOrAfter")),
        instant(_get(assertion.find("saml:Conditions", NS), "NotOnOrAfter")),
    ]
    return SamlAssertion(
        provider_id=sp.provider_id,
        issuer=issuer,
        subject=subject,
        email=email.strip().lower() if email else None,
        email_verified=email is not None,
        acr=acr or None,
        amr=("mfa",) if MFA_CLASSES & {acr, *attributes.get(AUTHN_METHODS_ATTRIBUTE, [])} else (),
        auth_time=instant(_get(statement, "AuthnInstant")),
        assertion_id=assertion.get("ID", ""),
        # Remembered until the last moment any part of it could still be accepted.
        expires_at=max((e for e in ends if e is not None), default=now) + CLOCK_SKEW,
        in_response_to=in_response_to,
        attributes=attributes,
    )


def _get(element: Element | None, name: str) -> str | None:
    return element.get(name) if element is not None else None
