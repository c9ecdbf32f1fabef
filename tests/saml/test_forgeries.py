"""XML attacks on the ACS's parser and signature check: external entities and entity
expansion are refused before anything is read, and every signature-wrapping shape (a second
assertion, a duplicated ID, a signature moved onto another element) is refused."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from domain.sso.saml import errors, parse_response, provider_config_from_metadata
from tests.support.saml_idp import REQUEST_ID, SP, SamlIdp, assertion_id, encode

SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    """A loopback HTTP server recording every path asked of it (an entity's SYSTEM URL)."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'<!ENTITY leak "from-the-network">')

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def with_doctype(xml: str, doctype: str) -> str:
    """A valid signed response with a DOCTYPE placed before its root element."""
    body = xml.split("?>", 1)[1] if xml.startswith("<?xml") else xml
    return '<?xml version="1.0"?>' + doctype + body


async def test_an_external_entity_is_never_resolved(
    idp: SamlIdp, config: dict[str, Any], tmp_path: Path, listener: tuple[str, list[str]]
) -> None:
    # given: a secret file and a network URL named as entities, used in the signed NameID
    secret = tmp_path / "secret.txt"
    secret.write_text("the-file-content")
    url, hits = listener
    doctype = (
        f'<!DOCTYPE r [<!ENTITY file SYSTEM "file://{secret}"><!ENTITY net SYSTEM "{url}/entity">]>'
    )
    xml = with_doctype(idp.response_xml(SP, REQUEST_ID), doctype).replace(
        idp.subject, "&file;&net;"
    )

    # when
    with pytest.raises(errors.XmlRefused) as refused:
        await parse_response(config, SP, encode(xml), REQUEST_ID, datetime.now(UTC))

    # then
    assert "the-file-content" not in str(refused.value)
    assert hits == []


async def test_an_external_dtd_is_never_fetched(
    idp: SamlIdp, config: dict[str, Any], listener: tuple[str, list[str]]
) -> None:
    # given
    url, hits = listener
    xml = with_doctype(idp.response_xml(SP, REQUEST_ID), f'<!DOCTYPE r SYSTEM "{url}/evil.dtd">')

    # when / then
    with pytest.raises(errors.XmlRefused):
        await parse_response(config, SP, encode(xml), REQUEST_ID, datetime.now(UTC))
    assert hits == []


async def test_entity_expansion_is_refused(config: dict[str, Any]) -> None:
    # given: a billion laughs
    entities = '<!ENTITY a0 "ha">' + "".join(
        f'<!ENTITY a{n} "{("&a" + str(n - 1) + ";") * 10}">' for n in range(1, 10)
    )
    xml = f'<?xml version="1.0"?><!DOCTYPE r [{entities}]><samlp:Response xmlns:samlp="{SAMLP}">&a9;</samlp:Response>'

    # when / then
    with pytest.raises(errors.XmlRefused):
        await parse_response(config, SP, encode(xml), REQUEST_ID, datetime.now(UTC))


def evil_copy(signed_assertion: str, signed_id: str, new_id: str) -> str:
    """The signed assertion with another subject, its signature stripped, under `new_id`."""
    unsigned = re.sub(r"<ns2:Signature .*?</ns2:Signature>", "", signed_assertion, flags=re.S)
    return unsigned.replace(f'ID="{signed_id}"', f'ID="{new_id}"').replace(
        "okta-user-00u1", "okta-admin-0001"
    )


def the_assertion(xml: str) -> str:
    found = re.search(r"<ns1:Assertion .*</ns1:Assertion>", xml, flags=re.S)
    assert found is not None
    return found.group(0)


async def test_a_second_unsigned_assertion_is_refused(idp: SamlIdp, config: dict[str, Any]) -> None:
    # given: the evil assertion first, the signed one after it
    xml = idp.response_xml(SP, REQUEST_ID)
    signed = the_assertion(xml)
    evil = evil_copy(signed, assertion_id(xml), "_evil")
    forged = xml.replace(signed, evil + signed)

    # when / then
    with pytest.raises(errors.WrappingRefused):
        await parse_response(config, SP, encode(forged), REQUEST_ID, datetime.now(UTC))


async def test_the_signed_assertion_hidden_inside_another_is_refused(
    idp: SamlIdp, config: dict[str, Any]
) -> None:
    # given: the signed assertion moved into the evil one's Advice (where a naive reader skips)
    xml = idp.response_xml(SP, REQUEST_ID)
    signed = the_assertion(xml)
    evil = evil_copy(signed, assertion_id(xml), "_evil")
    wrapped = evil.replace("<ns1:Subject>", f"<ns1:Advice>{signed}</ns1:Advice><ns1:Subject>", 1)
    forged = xml.replace(signed, wrapped)

    # when / then
    with pytest.raises(errors.WrappingRefused):
        await parse_response(config, SP, encode(forged), REQUEST_ID, datetime.now(UTC))


async def test_a_duplicated_id_is_refused(idp: SamlIdp, config: dict[str, Any]) -> None:
    # given: the evil assertion carries the signed one's ID, so a lookup by ID finds either
    xml = idp.response_xml(SP, REQUEST_ID)
    signed = the_assertion(xml)
    evil = evil_copy(signed, assertion_id(xml), assertion_id(xml))
    forged = xml.replace(signed, evil).replace(
        "</ns0:Status>", f"</ns0:Status><ns0:Extensions>{signed}</ns0:Extensions>"
    )

    # when / then
    with pytest.raises(errors.WrappingRefused):
        await parse_response(config, SP, encode(forged), REQUEST_ID, datetime.now(UTC))


async def test_an_xml_id_naming_the_signed_assertion_is_refused(
    idp: SamlIdp, config: dict[str, Any]
) -> None:
    # given: xml:id is an ID to libxml2 without any declaration, so a reference could resolve to it
    xml = idp.response_xml(SP, REQUEST_ID)
    forged = xml.replace(
        "</ns0:Status>",
        f'</ns0:Status><ns0:Extensions xml:id="{assertion_id(xml)}"/>',
    )

    # when / then
    with pytest.raises(errors.WrappingRefused):
        await parse_response(config, SP, encode(forged), REQUEST_ID, datetime.now(UTC))


async def test_a_signature_borrowed_from_another_element_is_refused(
    idp: SamlIdp, config: dict[str, Any]
) -> None:
    # given: the only assertion is the evil one, carrying the genuine signature (over another ID)
    xml = idp.response_xml(SP, REQUEST_ID)
    signed = the_assertion(xml)
    signature = re.search(r"<ns2:Signature .*?</ns2:Signature>", signed, flags=re.S)
    assert signature is not None
    evil = evil_copy(signed, assertion_id(xml), "_evil").replace(
        "</ns1:Issuer>", "</ns1:Issuer>" + signature.group(0), 1
    )
    forged = xml.replace(signed, evil)

    # when / then
    with pytest.raises(errors.WrappingRefused):
        await parse_response(config, SP, encode(forged), REQUEST_ID, datetime.now(UTC))


async def test_metadata_with_a_doctype_is_refused(idp: SamlIdp) -> None:
    # given
    metadata = with_doctype(
        idp.metadata(), '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    )

    # when / then
    with pytest.raises(errors.XmlRefused):
        provider_config_from_metadata(metadata)
