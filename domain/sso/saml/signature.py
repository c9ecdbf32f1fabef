"""Which element is signed, and is it signed by the configured certificate?

Signature wrapping is refused by structure before any cryptography: one Response holding exactly
one Assertion as its direct child, unique IDs, signatures only directly on those two elements
(right after their Issuer), RSA/ECDSA with SHA-256 or better, each with one Reference to its
own parent's ID and only the enveloped-signature and exclusive-canonicalisation transforms.
So whatever xmlsec1 verifies is the very element Twofold then reads. Verification runs
Debian's xmlsec1 through pysaml2's backend with the key taken only from the configured
certificate (`--enabled-key-data raw-x509-cert`: a KeyInfo in the response is never
trusted), in a worker thread.
"""

from __future__ import annotations

import asyncio
import functools
import shutil
from collections.abc import Sequence
from tempfile import NamedTemporaryFile
from xml.etree.ElementTree import Element

from saml2.sigver import CryptoBackendXmlSec1

from domain.sso.saml.errors import MalformedResponse, SignatureInvalid, WrappingRefused
from domain.sso.saml.xml import DS, NS, SAML, SAMLP, tag

ALLOWED_TRANSFORMS = frozenset(
    {
        "http://www.w3.org/2000/09/xmldsig#enveloped-signature",
        "http://www.w3.org/2001/10/xml-exc-c14n#",
    }
)
# SHA-1 is refused: every IdP named in docs/sso.md signs with SHA-256 by default.
ALLOWED_SIGNATURE_METHODS = frozenset(
    {
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
    }
)
ALLOWED_DIGESTS = frozenset(
    {"http://www.w3.org/2001/04/xmlenc#sha256", "http://www.w3.org/2001/04/xmlenc#sha512"}
)
_XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
_NODE_NAMES = {
    tag(SAMLP, "Response"): f"{SAMLP}:Response",
    tag(SAML, "Assertion"): f"{SAML}:Assertion",
}


async def signed_assertion(root: Element, document: bytes, certificates: Sequence[str]) -> Element:
    """The response's one assertion, once its signature (or the response's) has verified."""
    assertion = _the_assertion(root)
    signed = [element for element in (root, assertion) if _signature_of(element) is not None]
    if not signed:
        raise SignatureInvalid("neither the response nor the assertion is signed")
    for element in signed:
        ok = await asyncio.to_thread(
            _verify, document, _NODE_NAMES[element.tag], element.get("ID", ""), certificates
        )
        if not ok:
            raise SignatureInvalid("signature does not verify with the configured certificate")
    return assertion


def _the_assertion(root: Element) -> Element:
    if root.tag != tag(SAMLP, "Response"):
        raise MalformedResponse("not a SAML Response")
    if any(element.get(_XML_ID) is not None for element in root.iter()):
        # libxml2 (under xmlsec1) takes xml:id as an ID by itself: a reference could land there.
        raise WrappingRefused("xml:id attribute")
    ids = [element.get("ID") for element in root.iter() if element.get("ID") is not None]
    if len(ids) != len(set(ids)):
        raise WrappingRefused("duplicate ID")
    if any(True for _ in root.iter(tag(SAML, "EncryptedAssertion"))):
        raise MalformedResponse("encrypted assertions are not supported")
    assertions = list(root.iter(tag(SAML, "Assertion")))
    if len(assertions) > 1:
        raise WrappingRefused("more than one assertion")
    if not assertions:
        raise MalformedResponse("no assertion")
    assertion = assertions[0]
    if assertion not in list(root) or not assertion.get("ID"):
        raise WrappingRefused("the assertion is not the response's own child")
    allowed = {id(s) for s in (_signature_of(root), _signature_of(assertion)) if s is not None}
    if any(id(s) not in allowed for s in root.iter(tag(DS, "Signature"))):
        raise WrappingRefused("a signature outside the response's or assertion's own place")
    return assertion


def _signature_of(element: Element) -> Element | None:
    """The element's own enveloped signature, checked to cover exactly that element."""
    children = list(element)
    signatures = [c for c in children if c.tag == tag(DS, "Signature")]
    if not signatures:
        return None
    signature = signatures[0]
    expected_at = 1 if children and children[0].tag == tag(SAML, "Issuer") else 0
    if len(signatures) > 1 or children.index(signature) != expected_at:
        raise WrappingRefused("signature out of place")
    references = signature.findall("ds:SignedInfo/ds:Reference", NS)
    if len(references) != 1 or references[0].get("URI") != "#" + element.get("ID", "\0"):
        raise WrappingRefused("the signature references another element")
    transforms = {
        t.get("Algorithm") for t in references[0].findall("ds:Transforms/ds:Transform", NS)
    }
    if not transforms <= ALLOWED_TRANSFORMS:
        raise WrappingRefused("transform not allowed")
    method = signature.find("ds:SignedInfo/ds:SignatureMethod", NS)
    digest = references[0].find("ds:DigestMethod", NS)
    if method is None or method.get("Algorithm") not in ALLOWED_SIGNATURE_METHODS:
        raise SignatureInvalid("signature algorithm not allowed")
    if digest is None or digest.get("Algorithm") not in ALLOWED_DIGESTS:
        raise SignatureInvalid("digest algorithm not allowed")
    return signature


def _verify(document: bytes, node_name: str, node_id: str, certificates: Sequence[str]) -> bool:
    """True when one of the configured certificates verifies the node's signature (blocking)."""
    binary = shutil.which("xmlsec1")
    if binary is None:
        raise SignatureInvalid("xmlsec1 is not installed")
    backend = _backend(binary)
    for certificate in certificates:
        with NamedTemporaryFile(suffix=".pem") as pem:
            pem.write(certificate.encode())
            pem.flush()
            try:
                if backend.validate_signature(document, pem.name, "pem", node_name, node_id):
                    return True
            except Exception:  # noqa: S112 - pysaml2 raises several types for "does not verify"
                continue
    return False


@functools.cache
def _backend(binary: str) -> CryptoBackendXmlSec1:
    return CryptoBackendXmlSec1(binary)
