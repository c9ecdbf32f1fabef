"""`parse_response` against a real pysaml2 IdP: the valid answer is read, and each forged or
misaddressed one is refused by its own check, with its own error."""

from __future__ import annotations

import asyncio
import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from saml2.saml import NAMEID_FORMAT_EMAILADDRESS, NAMEID_FORMAT_TRANSIENT
from saml2.xmldsig import SIG_RSA_SHA1

from domain.sso.saml import errors, parse_response
from tests.support.saml_idp import REQUEST_ID, SP, SamlIdp, assertion_id, encode


def now() -> datetime:
    return datetime.now(UTC)


async def test_a_valid_sp_initiated_response_is_read(idp: SamlIdp, config: dict[str, Any]) -> None:
    # given
    response = idp.response(SP, REQUEST_ID)

    # when
    result = await parse_response(config, SP, response, REQUEST_ID, now())

    # then
    assert (result.issuer, result.subject) == (idp.entity_id, idp.subject)
    assert (result.email, result.email_verified) == (idp.email, True)
    assert result.acr == "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
    assert result.provider_id == SP.provider_id
    assert result.assertion_id and result.expires_at > now()


async def test_an_email_name_id_is_the_email(idp: SamlIdp, config: dict[str, Any]) -> None:
    # given
    idp.subject, idp.email = "grace@example.com", "other@example.com"
    response = idp.response(SP, REQUEST_ID, name_format=NAMEID_FORMAT_EMAILADDRESS)

    # when
    result = await parse_response(config, SP, response, REQUEST_ID, now())

    # then
    assert (result.subject, result.email) == ("grace@example.com", "grace@example.com")


async def test_a_multi_factor_class_is_told_as_the_mfa_amr(
    idp: SamlIdp, config: dict[str, Any]
) -> None:
    # given
    mfa = "http://schemas.microsoft.com/claims/multipleauthn"
    response = idp.response(SP, REQUEST_ID, class_ref=mfa)

    # when
    result = await parse_response(config, SP, response, REQUEST_ID, now())

    # then
    assert (result.acr, result.amr) == (mfa, ("mfa",))


async def test_a_transient_name_id_is_refused(idp: SamlIdp, config: dict[str, Any]) -> None:
    # given
    response = idp.response(SP, REQUEST_ID, name_format=NAMEID_FORMAT_TRANSIENT)

    # when / then
    with pytest.raises(errors.SubjectUnusable):
        await parse_response(config, SP, response, REQUEST_ID, now())


async def test_a_response_signed_as_a_whole_is_read(idp: SamlIdp, config: dict[str, Any]) -> None:
    # given
    response = idp.response(SP, REQUEST_ID, sign_response=True, sign_assertion=False)

    # when
    result = await parse_response(config, SP, response, REQUEST_ID, now())

    # then
    assert result.subject == idp.subject


async def test_a_tampered_assertion_is_refused(idp: SamlIdp, config: dict[str, Any]) -> None:
    # given: the subject changed after signing
    xml = idp.response_xml(SP, REQUEST_ID).replace(idp.subject, "okta-admin-0001")

    # when / then
    with pytest.raises(errors.SignatureInvalid):
        await parse_response(config, SP, encode(xml), REQUEST_ID, now())


async def test_a_response_signed_by_another_key_is_refused(
    attacker_idp: SamlIdp, config: dict[str, Any]
) -> None:
    # given: a valid signature whose KeyInfo carries the attacker's own certificate
    xml = attacker_idp.response_xml(SP, REQUEST_ID)
    assert "X509Certificate" in xml

    # when / then
    with pytest.raises(errors.SignatureInvalid):
        await parse_response(config, SP, encode(xml), REQUEST_ID, now())


async def test_an_unsigned_response_is_refused(idp: SamlIdp, config: dict[str, Any]) -> None:
    # given
    response = idp.response(SP, REQUEST_ID, sign_assertion=False)

    # when / then
    with pytest.raises(errors.SignatureInvalid):
        await parse_response(config, SP, response, REQUEST_ID, now())


async def test_a_sha1_signature_is_refused(idp: SamlIdp, config: dict[str, Any]) -> None:
    # given
    response = idp.response(SP, REQUEST_ID, sign_alg=SIG_RSA_SHA1)

    # when / then
    with pytest.raises(errors.SignatureInvalid):
        await parse_response(config, SP, response, REQUEST_ID, now())


async def test_another_issuer_is_refused(idp: SamlIdp, config: dict[str, Any]) -> None:
    # given: signed with the configured key, but naming another entity
    idp.base_url = "https://other-idp.example.test"

    # when / then
    with pytest.raises(errors.WrongIssuer):
        await parse_response(config, SP, idp.response(SP, REQUEST_ID), REQUEST_ID, now())


async def test_another_audience_is_refused(idp: SamlIdp, config: dict[str, Any]) -> None:
    # given
    response = idp.response(SP, REQUEST_ID, audience="https://other-sp.example.test/metadata")

    # when / then
    with pytest.raises(errors.WrongAudience):
        await parse_response(config, SP, response, REQUEST_ID, now())


async def test_another_destination_is_refused(idp: SamlIdp, config: dict[str, Any]) -> None:
    # given
    response = idp.response(SP, REQUEST_ID, destination="https://other-sp.example.test/acs")

    # when / then
    with pytest.raises(errors.WrongRecipient):
        await parse_response(config, SP, response, REQUEST_ID, now())


async def test_another_recipient_is_refused(idp: SamlIdp, config: dict[str, Any]) -> None:
    # given: the Response's Destination is ours, the signed confirmation's Recipient is not
    xml = idp.response_xml(SP, REQUEST_ID)
    edited = xml.replace(
        f'Recipient="{SP.acs_url}"', 'Recipient="https://other-sp.example.test/acs"'
    )
    assert edited != xml
    response = encode(idp.resign(edited, assertion_id(edited)))

    # when / then
    with pytest.raises(errors.WrongRecipient):
        await parse_response(config, SP, response, REQUEST_ID, now())


@pytest.mark.parametrize(
    ("offset", "accepted"),
    [
        (timedelta(seconds=-60), True),  # our clock a minute behind the IdP's: within the skew
        (timedelta(minutes=-3), False),  # not yet valid
        (timedelta(minutes=5, seconds=30), True),  # just expired, within the skew
        (timedelta(minutes=7), False),  # expired
    ],
)
async def test_the_time_window_allows_a_small_skew_only(
    idp: SamlIdp, config: dict[str, Any], offset: timedelta, accepted: bool
) -> None:
    # given: the IdP's assertions live 5 minutes
    response = idp.response(SP, REQUEST_ID)

    # when
    try:
        await parse_response(config, SP, response, REQUEST_ID, now() + offset)
        refused = False
    except errors.OutsideTimeWindow:
        refused = True

    # then
    assert refused is not accepted


async def test_a_reply_to_another_request_is_refused(idp: SamlIdp, config: dict[str, Any]) -> None:
    # given
    response = idp.response(SP, "_another_browsers_request")

    # when / then
    with pytest.raises(errors.UnknownRequest):
        await parse_response(config, SP, response, REQUEST_ID, now())


async def test_a_reply_without_our_request_is_refused(idp: SamlIdp, config: dict[str, Any]) -> None:
    # given: InResponseTo names a request, but this browser started none
    response = idp.response(SP, REQUEST_ID)

    # when / then
    with pytest.raises(errors.UnknownRequest):
        await parse_response({**config, "allow_idp_initiated": True}, SP, response, None, now())


async def test_an_unsolicited_response_needs_the_provider_to_allow_it(
    idp: SamlIdp, config: dict[str, Any]
) -> None:
    # given
    response = idp.response(SP, None)

    # when / then
    with pytest.raises(errors.UnsolicitedRefused):
        await parse_response(config, SP, response, None, now())
    allowed = await parse_response(
        {**config, "allow_idp_initiated": True}, SP, response, None, now()
    )
    assert allowed.subject == idp.subject


async def test_an_error_status_is_refused(idp: SamlIdp, config: dict[str, Any]) -> None:
    # given
    xml = idp.response_xml(SP, REQUEST_ID).replace(
        "urn:oasis:names:tc:SAML:2.0:status:Success", "urn:oasis:names:tc:SAML:2.0:status:Requester"
    )

    # when / then
    with pytest.raises(errors.IdpRefused):
        await parse_response(config, SP, encode(xml), REQUEST_ID, now())


async def test_signature_checks_leave_the_event_loop_free(
    idp: SamlIdp, config: dict[str, Any]
) -> None:
    # given: a ticker that notes when the loop lets it run
    response = idp.response(SP, REQUEST_ID)
    ticks: list[float] = []
    loop = asyncio.get_running_loop()

    async def tick() -> None:
        while True:
            ticks.append(loop.time())
            await asyncio.sleep(0.002)

    ticker = asyncio.create_task(tick())
    await asyncio.sleep(0.01)

    # when: xmlsec1 runs (a subprocess, twice per signature)
    started = loop.time()
    await parse_response(config, SP, response, REQUEST_ID, now())
    elapsed = loop.time() - started
    ticker.cancel()

    # then: the loop never stood still for most of the check
    during = [t for t in ticks if t >= started]
    gaps = [b - a for a, b in itertools.pairwise(during)]
    assert elapsed > 0.01 and len(during) > 2
    assert max(gaps) < elapsed / 2
