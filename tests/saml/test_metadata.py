"""IdP metadata in: entity id, HTTP-Redirect sign-in URL and signing certificates, from a file
or fetched without blocking and within a timeout; `twofold sso add --saml` stores them."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from starlette.applications import Starlette

from domain.settings import Settings
from domain.sso.saml import errors, fetch_metadata, provider_config_from_metadata
from models.company import Company
from models.sso import IdentityProvider, SsoKind
from tests.support.saml_idp import KeyPair, SamlIdp
from tests.support.served import run_twofold


def der_of(pem: str) -> str:
    return "".join(line for line in pem.splitlines() if "-----" not in line)


def okta_style_metadata(
    signing: list[str],
    encryption: str,
    redirect: bool = True,
    sso_host: str = "https://acme.okta.example",
) -> str:
    """What Okta's "Identity Provider metadata" link serves, in shape."""
    keys = "".join(
        f'<md:KeyDescriptor use="{use}"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>'
        f"{der_of(pem)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"
        for use, pem in [*(("signing", p) for p in signing), ("encryption", encryption)]
    )
    redirect_service = (
        '<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" '
        f'Location="{sso_host}/app/twofold/exk1/sso/saml"/>'
        if redirect
        else ""
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" '
        'xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="http://www.okta.com/exk1">'
        '<md:IDPSSODescriptor WantAuthnRequestsSigned="false" '
        'protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">'
        f"{keys}"
        "<md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>"
        '<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" '
        'Location="https://acme.okta.example/app/twofold/exk1/sso/saml"/>'
        f"{redirect_service}"
        "</md:IDPSSODescriptor></md:EntityDescriptor>"
    )


def test_pysaml2_idp_metadata_gives_its_entity_url_and_certificate(idp: SamlIdp) -> None:
    # when
    config = provider_config_from_metadata(idp.metadata())

    # then
    assert (config["entity_id"], config["sso_url"]) == (idp.entity_id, idp.sso_url)
    assert [der_of(c) for c in config["certificates"]] == [der_of(idp.keys.cert_pem)]
    assert config["allow_idp_initiated"] is False


def test_every_signing_certificate_is_kept_and_no_encryption_one(
    saml_keys: dict[str, KeyPair],
) -> None:
    # given: a certificate rollover publishes two signing certificates
    current, next_one = saml_keys["idp"].cert_pem, saml_keys["attacker"].cert_pem
    metadata = okta_style_metadata([current, next_one], encryption=next_one)

    # when
    config = provider_config_from_metadata(metadata)

    # then
    assert config["entity_id"] == "http://www.okta.com/exk1"
    assert config["sso_url"] == "https://acme.okta.example/app/twofold/exk1/sso/saml"
    assert sorted(der_of(c) for c in config["certificates"]) == sorted(
        [der_of(current), der_of(next_one)]
    )


def test_metadata_without_an_https_redirect_endpoint_or_certificate_is_refused(
    saml_keys: dict[str, KeyPair],
) -> None:
    # given
    pem = saml_keys["idp"].cert_pem
    no_redirect = okta_style_metadata([pem], pem, redirect=False)
    no_signing = okta_style_metadata([], pem)
    plain_http = okta_style_metadata([pem], pem, sso_host="http://acme.okta.example")

    # when / then
    for metadata in (no_redirect, no_signing, plain_http, "<html>not metadata</html>"):
        with pytest.raises(errors.MetadataInvalid):
            provider_config_from_metadata(metadata)


@pytest.fixture
def silent_server() -> Iterator[str]:
    """An HTTP server that accepts and never answers."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            time.sleep(3)

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/metadata"
    server.shutdown()
    server.server_close()


async def test_a_metadata_fetch_gives_up_at_its_timeout(silent_server: str) -> None:
    # given
    started = time.monotonic()

    # when
    with pytest.raises(errors.MetadataInvalid):
        await fetch_metadata(silent_server, 0.3)

    # then
    assert time.monotonic() - started < 2


async def test_metadata_is_fetched_over_https_or_from_loopback_only() -> None:
    # when / then
    with pytest.raises(errors.MetadataInvalid):
        await fetch_metadata("http://idp.example.com/metadata", 1.0)
    with pytest.raises(errors.MetadataInvalid):
        await fetch_metadata("http://127.0.0.1.evil.example/metadata", 1.0)


@pytest.fixture
def served_idp(saml_keys: dict[str, KeyPair]) -> Iterator[SamlIdp]:
    idp = SamlIdp(saml_keys["idp"])
    idp.start([])
    yield idp
    idp.stop()


async def test_the_sso_command_adds_a_saml_provider_from_a_url_or_a_file(
    app: Starlette, settings: Settings, tmp_path: Path, served_idp: SamlIdp
) -> None:
    # given
    await Company.create(name="Acme")
    env = {
        "DATABASE_URL": settings.database_url,
        "TWOFOLD_SECRET_KEY": settings.secret_key,
        "PATH": "/usr/bin:/bin",
    }
    file = tmp_path / "idp.xml"
    file.write_text(served_idp.metadata())
    url = served_idp.base_url + "/idp/metadata"

    # when
    by_url = run_twofold(env, tmp_path, "sso", "add", "Acme", "--saml", "--metadata", url)
    by_file = run_twofold(
        env,
        tmp_path,
        "sso",
        "add",
        "Acme",
        "--saml",
        "--metadata",
        str(file),
        "--allow-idp-initiated",
    )
    refused = run_twofold(env, tmp_path, "sso", "add", "Acme", "--saml", "--metadata", "/dev/null")

    # then
    assert by_url.returncode == 0, by_url.stderr
    assert by_file.returncode == 0, by_file.stderr
    assert "/acs" in by_url.stdout and "/metadata" in by_url.stdout
    assert refused.returncode == 1
    added = await IdentityProvider.filter(kind=SsoKind.SAML).order_by("created_at")
    assert [p.issuer for p in added] == [served_idp.entity_id] * 2
    assert [json.loads(p.config)["allow_idp_initiated"] for p in added] == [False, True]
