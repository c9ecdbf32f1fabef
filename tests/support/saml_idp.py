"""A real SAML identity provider on loopback: pysaml2's IdP (`saml2.server.Server`) behind a
plain http.server, answering the HTTP-Redirect SSO endpoint with a signed Response in an
auto-POST form, as Okta or Entra ID would. Its key and certificate are made at test time.
"""

from __future__ import annotations

import base64
import html
import re
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import entity_descriptor
from saml2.saml import NAMEID_FORMAT_EMAILADDRESS, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from domain.sso.saml import ServiceProvider, sp_metadata

SAML_NS = "urn:oasis:names:tc:SAML:2.0:assertion"
SAMLP_NS = "urn:oasis:names:tc:SAML:2.0:protocol"
# The SP the domain tests answer (Twofold at https://twofold.test, one provider).
SP = ServiceProvider(
    provider_id="7b0c1f7e-3a51-4c1d-9b7e-2f0f5b1e9c11",
    entity_id="https://twofold.test/sso/saml/7b0c1f7e-3a51-4c1d-9b7e-2f0f5b1e9c11/metadata",
    acs_url="https://twofold.test/sso/saml/7b0c1f7e-3a51-4c1d-9b7e-2f0f5b1e9c11/acs",
)
REQUEST_ID = "_4f1c9a0e6b7d4c2a8e5f3b1d9c7a6e4f2b0d8c6a"
PASSWORD_CLASS = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"


@dataclass(frozen=True)
class KeyPair:
    key_path: Path
    cert_path: Path

    @property
    def cert_pem(self) -> str:
        return self.cert_path.read_text()


def make_key_pair(folder: Path, name: str) -> KeyPair:
    """A fresh RSA key and self-signed certificate, written under `folder` (never committed)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    pair = KeyPair(folder / f"{name}.key", folder / f"{name}.crt")
    pair.key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    pair.cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return pair


@dataclass
class SamlIdp:
    """One IdP; `keys` signs, `base_url` is set once the HTTP server listens."""

    keys: KeyPair
    base_url: str = "http://127.0.0.1:0"
    subject: str = "okta-user-00u1"
    email: str = "ada@example.com"
    requests_seen: list[str] = field(default_factory=list)
    _sps: list[ServiceProvider] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None

    @property
    def entity_id(self) -> str:
        return self.base_url + "/idp/metadata"

    @property
    def sso_url(self) -> str:
        return self.base_url + "/idp/sso"

    def _config(self, sps: list[ServiceProvider]) -> IdPConfig:
        config = IdPConfig()
        config.load(
            {
                "entityid": self.entity_id,
                "xmlsec_binary": "/usr/bin/xmlsec1",
                "key_file": str(self.keys.key_path),
                "cert_file": str(self.keys.cert_path),
                "service": {
                    "idp": {
                        "endpoints": {
                            "single_sign_on_service": [(self.sso_url, BINDING_HTTP_REDIRECT)]
                        },
                        "name_id_format": [NAMEID_FORMAT_PERSISTENT, NAMEID_FORMAT_EMAILADDRESS],
                        "policy": {"default": {"lifetime": {"minutes": 5}}},
                    }
                },
                "metadata": {"inline": [sp_metadata(sp) for sp in sps]},
            }
        )
        return config

    def metadata(self) -> str:
        return str(entity_descriptor(self._config([])))

    def response_xml(
        self,
        sp: ServiceProvider,
        in_response_to: str | None,
        *,
        destination: str | None = None,
        audience: str | None = None,
        sign_response: bool = False,
        sign_assertion: bool = True,
        name_format: str = NAMEID_FORMAT_PERSISTENT,
        sign_alg: str = SIG_RSA_SHA256,
        class_ref: str = PASSWORD_CLASS,
    ) -> str:
        """A signed Response for `sp` (or addressed elsewhere, for the refusal tests)."""
        target = ServiceProvider(
            sp.provider_id, audience or sp.entity_id, destination or sp.acs_url
        )
        server = Server(config=self._config([target]))
        response = server.create_authn_response(
            identity={"mail": [self.email]},
            in_response_to=in_response_to,
            destination=target.acs_url,
            sp_entity_id=target.entity_id,
            name_id=NameID(format=name_format, text=self.subject),
            authn={"class_ref": class_ref, "authn_auth": self.entity_id},
            sign_response=sign_response,
            sign_assertion=sign_assertion,
            sign_alg=sign_alg,
            digest_alg=DIGEST_SHA256,
        )
        return str(response)

    def resign(self, xml: str, node_id: str, element: str = "Assertion") -> str:
        """`xml` with the signature of its `element` computed again over its (edited) content,
        by xmlsec1 with this IdP's key: how a test makes a validly signed odd response."""
        node = {"Assertion": SAML_NS + ":Assertion", "Response": SAMLP_NS + ":Response"}[element]
        with tempfile.TemporaryDirectory() as folder:
            source, signed = Path(folder, "in.xml"), Path(folder, "out.xml")
            source.write_text(xml)
            subprocess.run(
                [
                    "/usr/bin/xmlsec1",
                    "--sign",
                    "--privkey-pem",
                    f"{self.keys.key_path},{self.keys.cert_path}",
                    "--id-attr:ID",
                    node,
                    "--node-id",
                    node_id,
                    "--output",
                    str(signed),
                    str(source),
                ],
                check=True,
                capture_output=True,
            )
            return signed.read_text()

    def response(self, sp: ServiceProvider, in_response_to: str | None, **options: Any) -> str:
        return encode(self.response_xml(sp, in_response_to, **options))

    # -- the HTTP side ------------------------------------------------------------------------

    def start(self, sps: list[ServiceProvider]) -> None:
        """Listen on loopback; SPs may be added to `_sps` later (read per request)."""
        idp = self
        self._sps.extend(sps)
        sps = self._sps

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                if parts.path == "/idp/metadata":
                    self._answer(200, idp.metadata(), "application/samlmetadata+xml")
                    return
                query = parse_qs(parts.query)
                server = Server(config=idp._config(sps))
                request = server.parse_authn_request(
                    query["SAMLRequest"][0], BINDING_HTTP_REDIRECT
                ).message
                idp.requests_seen.append(request.id)
                sp = next(s for s in sps if s.acs_url == request.assertion_consumer_service_url)
                form = auto_post_form(
                    sp.acs_url, idp.response(sp, request.id), query.get("RelayState", [""])[0]
                )
                self._answer(200, form, "text/html")

            def _answer(self, status: int, body: str, content_type: str) -> None:
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *_: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()


def assertion_id(xml: str) -> str:
    """The ID of the (first) assertion in a response pysaml2 wrote."""
    found = re.search(r'<ns1:Assertion [^>]*ID="([^"]+)"', xml)
    assert found is not None
    return found.group(1)


def encode(xml: str) -> str:
    return base64.b64encode(xml.encode()).decode()


def auto_post_form(action: str, saml_response: str, relay_state: str) -> str:
    relay = (
        f'<input type="hidden" name="RelayState" value="{html.escape(relay_state)}">'
        if relay_state
        else ""
    )
    return (
        f'<form method="post" action="{html.escape(action)}">'
        f'<input type="hidden" name="SAMLResponse" value="{saml_response}">{relay}</form>'
        "<script>document.forms[0].submit()</script>"
    )


def form_fields(page: str) -> dict[str, str]:
    """The hidden fields of an auto-POST form (what the browser would submit)."""
    return {
        name: html.unescape(value)
        for name, value in re.findall(r'name="(\w+)" value="([^"]*)"', page)
    }
