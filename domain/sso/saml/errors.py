"""Typed refusals of a SAML response: one class per failed check, each with a stable reason.

The reason is what the ACS logs and puts in its refusal; the text never carries the document.
"""

from __future__ import annotations


class SamlError(Exception):
    """A SAML document Twofold refuses. `reason` names the check that failed."""

    reason = "saml_invalid"

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or self.reason)


class MetadataInvalid(SamlError):
    """IdP metadata without one IdP descriptor, a redirect/POST sign-in URL or a certificate."""

    reason = "metadata_invalid"


class XmlRefused(SamlError):
    """Not well-formed, too large, or declares a DTD or entities (XXE, billion laughs)."""

    reason = "xml_refused"


class MalformedResponse(SamlError):
    """Well-formed XML that is not one Response with exactly one Assertion in it."""

    reason = "malformed"


class SignatureInvalid(SamlError):
    """No signature over the assertion by the configured certificate, or one that fails."""

    reason = "signature_invalid"


class WrappingRefused(SamlError):
    """A second assertion, duplicate IDs, or a signature that does not cover what is read."""

    reason = "signature_wrapping"


class WrongIssuer(SamlError):
    reason = "wrong_issuer"


class IdpRefused(SamlError):
    """The IdP answered with a non-success status (the user cancelled, or is not assigned)."""

    reason = "idp_status"


class WrongAudience(SamlError):
    reason = "wrong_audience"


class WrongRecipient(SamlError):
    """Destination or SubjectConfirmationData Recipient is not this provider's ACS URL."""

    reason = "wrong_recipient"


class OutsideTimeWindow(SamlError):
    """Before NotBefore or at/after NotOnOrAfter, give or take the allowed clock skew."""

    reason = "expired"


class UnknownRequest(SamlError):
    """InResponseTo names no request this browser started (or another browser's request)."""

    reason = "unknown_request"


class UnsolicitedRefused(SamlError):
    """An IdP-initiated response to a provider that does not allow them."""

    reason = "unsolicited"


class SubjectUnusable(SamlError):
    """No NameID, or a transient one: nothing stable to link an account to."""

    reason = "subject_unusable"


class Replayed(SamlError):
    """An assertion id already used (remembered until the assertion expires)."""

    reason = "replayed"
