"""SAML over HTTP with a real IdP on loopback: SP-initiated sign-in through the start route and
the ACS into the SSO core's gate; the request bound to the browser by its cookie; assertion ids
consumed once, in parallel too; IdP-initiated only when allowed; RelayState kept to our paths."""

from __future__ import annotations

import asyncio
import hashlib
import html
import re
import secrets
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pyotp
import pytest
from defusedxml.ElementTree import fromstring
from starlette.applications import Starlette

from domain.sso.handoff import s256
from domain.sso.providers import add_saml
from domain.sso.saml import provider_config_from_metadata
from domain.sso.saml.sign_in import REQUEST_COOKIE, service_provider
from models.company import Company
from models.enums import PayRole, SessionKind
from models.sealing import Sealed, seal
from models.session import AuthSession
from models.sso import IdentityProvider, SsoDomain
from models.user import User
from providers.clock import ManualClock
from tests.support.clients import HttpFactory
from tests.support.constants import SECRET_KEY
from tests.support.documents import (
    ENROLLMENT_STEP,
    EXCHANGE_SSO_CODE,
    VERIFY_LOGIN_CODE_WITH_METHOD,
)
from tests.support.graphql import GraphQLClient
from tests.support.saml_idp import KeyPair, SamlIdp, form_fields
from tests.support.users import MakeUser

APP_REDIRECT = "com.example.twofold:/sso"

BASE = "https://testserver"
APP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture
def live_idp(saml_keys: dict[str, KeyPair]) -> Iterator[SamlIdp]:
    idp = SamlIdp(saml_keys["idp"])
    idp.start([])
    yield idp
    idp.stop()


@pytest.fixture
async def provider(app: Starlette, live_idp: SamlIdp, clock: ManualClock) -> IdentityProvider:
    """Acme's SAML provider, from the live IdP's metadata; example.com is Acme's domain."""
    company = await Company.create(name="Acme")
    await SsoDomain.create(
        domain="example.com", company=company, verified=True, created_at=clock.now()
    )
    config = provider_config_from_metadata(live_idp.metadata())
    added = await add_saml(company, config, clock.now())
    live_idp._sps.append(service_provider(BASE, str(added.id)))
    return added


async def allow_idp_initiated(provider: IdentityProvider) -> None:
    provider.config = provider.config.replace(
        '"allow_idp_initiated": false', '"allow_idp_initiated": true'
    )
    await provider.save(update_fields=["config"])


async def member(make_user: MakeUser, provider: IdentityProvider, role: PayRole) -> User:
    user = await make_user("ada@example.com", role)
    user.company_id = provider.company_id
    await user.save(update_fields=["company_id"])
    return user


async def idp_form(
    http: httpx.AsyncClient, provider: IdentityProvider, return_to: str = "/", **query: str
) -> dict[str, str]:
    """Start at Twofold, follow it to the IdP, and return the IdP's auto-POST form fields."""
    start = await http.get(f"/sso/{provider.id}/start", params={"return_to": return_to, **query})
    assert start.status_code == 303, start.text
    async with httpx.AsyncClient() as outside:
        page = await outside.get(start.headers["location"])
    assert page.status_code == 200
    return form_fields(page.text)


async def post_acs(
    http: httpx.AsyncClient, provider: IdentityProvider, form: dict[str, str]
) -> httpx.Response:
    return await http.post(f"/sso/saml/{provider.id}/acs", data=form)


def refusal(answer: httpx.Response) -> str | None:
    location = answer.headers.get("location", "")
    return location.split("sso_error=", 1)[1] if "sso_error=" in location else None


def landing(answer: httpx.Response) -> str:
    """Where the SSO core's continue page sends a signed-in browser."""
    assert answer.status_code == 200, answer.headers
    found = re.search(r'http-equiv="refresh" content="0;url=([^"]*)"', answer.text)
    assert found is not None, answer.text
    return html.unescape(found.group(1))


async def session_of(answer: httpx.Response) -> AuthSession | None:
    token = answer.cookies.get("__Host-twofold-session")
    if token is None:
        return None
    return await AuthSession.get_or_none(token_sha256=hashlib.sha256(token.encode()).hexdigest())


async def test_a_payor_signed_in_by_saml_must_still_enroll(
    new_http: HttpFactory, provider: IdentityProvider, make_user: MakeUser
) -> None:
    # given
    payor = await member(make_user, provider, PayRole.PAYOR)
    async with new_http() as http:
        # when
        answer = await post_acs(http, provider, await idp_form(http, provider))

        # then
        assert (answer.status_code, refusal(answer)) == (200, None)
        session = await session_of(answer)
        assert session is not None and session.kind is SessionKind.PENDING
        assert session.user_id == payor.id
        data = await GraphQLClient(http).execute(ENROLLMENT_STEP)
        assert data["mfaEnrollment"]["step"] is not None


async def test_a_payee_with_an_app_gets_the_challenge(
    new_http: HttpFactory, provider: IdentityProvider, make_user: MakeUser, clock: ManualClock
) -> None:
    # given
    payee = await member(make_user, provider, PayRole.PAYEE)
    payee.totp_secret_sealed = seal(SECRET_KEY, Sealed.TOTP_SECRET, APP_SECRET)
    payee.totp_added_at = clock.now()
    await payee.save(update_fields=["totp_secret_sealed", "totp_added_at"])
    async with new_http() as http:
        # when
        answer = await post_acs(http, provider, await idp_form(http, provider))
        session = await session_of(answer)
        code = pyotp.TOTP(APP_SECRET).at(clock.now())
        verified = await GraphQLClient(http).execute(
            VERIFY_LOGIN_CODE_WITH_METHOD, {"input": {"code": code, "method": "AUTHENTICATOR_APP"}}
        )

    # then
    assert session is not None and session.kind is SessionKind.PENDING
    assert verified["verifyLoginCode"]["__typename"] == "LoggedIn"


async def test_the_sign_in_returns_to_the_path_it_started_from(
    new_http: HttpFactory, provider: IdentityProvider, make_user: MakeUser
) -> None:
    # given
    await member(make_user, provider, PayRole.NONE)
    async with new_http() as http:
        # when
        own = await post_acs(http, provider, await idp_form(http, provider, "/settings"))
        other = await post_acs(
            http, provider, await idp_form(http, provider, "https://evil.example/")
        )

    # then
    assert landing(own) == "/settings"
    assert landing(other) == "/"


async def test_another_browsers_response_is_refused(
    new_http: HttpFactory, provider: IdentityProvider, make_user: MakeUser
) -> None:
    # given: the attacker's browser started a sign-in; the victim's started its own
    await member(make_user, provider, PayRole.NONE)
    async with new_http() as attacker, new_http() as victim:
        stolen = await idp_form(attacker, provider)
        await idp_form(victim, provider)

        # when
        answer = await post_acs(victim, provider, stolen)

        # then
        assert refusal(answer) == "SSO_INVALID_STATE"
        assert await session_of(answer) is None
        # the response still works in the browser that asked for it
        assert refusal(await post_acs(attacker, provider, stolen)) is None


async def test_a_reply_to_no_request_of_this_browser_is_refused_even_when_unsolicited_is_allowed(
    new_http: HttpFactory, provider: IdentityProvider, make_user: MakeUser
) -> None:
    # given
    await member(make_user, provider, PayRole.NONE)
    await allow_idp_initiated(provider)
    async with new_http() as asker, new_http() as other:
        form = await idp_form(asker, provider)

        # when
        answer = await post_acs(other, provider, form)

    # then
    assert refusal(answer) == "SSO_INVALID_STATE"


async def test_an_answered_request_cannot_be_answered_again(
    new_http: HttpFactory, provider: IdentityProvider, make_user: MakeUser
) -> None:
    # given: the same form posted twice with the request cookie still sent
    await member(make_user, provider, PayRole.NONE)
    async with new_http() as http:
        form = await idp_form(http, provider)
        cookie = http.cookies.get(REQUEST_COOKIE)
        first = await post_acs(http, provider, form)
        http.cookies.set(REQUEST_COOKIE, cookie or "", domain="testserver")

        # when
        second = await post_acs(http, provider, form)

    # then
    assert refusal(first) is None
    assert refusal(second) is not None


def unsolicited_form(
    idp: SamlIdp, provider: IdentityProvider, relay_state: str = ""
) -> dict[str, str]:
    form = {"SAMLResponse": idp.response(service_provider(BASE, str(provider.id)), None)}
    return {**form, "RelayState": relay_state} if relay_state else form


async def test_an_unsolicited_response_needs_the_provider_to_allow_it(
    new_http: HttpFactory, provider: IdentityProvider, make_user: MakeUser, live_idp: SamlIdp
) -> None:
    # given
    await member(make_user, provider, PayRole.NONE)
    async with new_http() as http:
        # when
        refused = await post_acs(http, provider, unsolicited_form(live_idp, provider))
        await allow_idp_initiated(provider)
        allowed = await post_acs(http, provider, unsolicited_form(live_idp, provider))

    # then
    assert refusal(refused) == "SSO_INVALID_STATE"
    assert refusal(allowed) is None and await session_of(allowed) is not None


@pytest.mark.parametrize(
    ("relay_state", "lands_on"),
    [
        ("/settings", "/settings"),
        ("https://evil.example/phish", "/"),
        ("//evil.example/phish", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
async def test_relay_state_only_leads_to_our_own_paths(
    new_http: HttpFactory,
    provider: IdentityProvider,
    make_user: MakeUser,
    live_idp: SamlIdp,
    relay_state: str,
    lands_on: str,
) -> None:
    # given
    await member(make_user, provider, PayRole.NONE)
    await allow_idp_initiated(provider)
    async with new_http() as http:
        # when
        answer = await post_acs(http, provider, unsolicited_form(live_idp, provider, relay_state))

    # then
    assert refusal(answer) is None
    assert landing(answer) == lands_on


async def test_a_replayed_assertion_is_refused(
    new_http: HttpFactory, provider: IdentityProvider, make_user: MakeUser, live_idp: SamlIdp
) -> None:
    # given
    await member(make_user, provider, PayRole.NONE)
    await allow_idp_initiated(provider)
    form = unsolicited_form(live_idp, provider)
    async with new_http() as http, new_http() as replayer:
        first = await post_acs(http, provider, form)

        # when
        second = await post_acs(replayer, provider, form)

    # then
    assert refusal(first) is None
    assert refusal(second) == "SSO_INVALID_RESPONSE"
    assert await session_of(second) is None


async def test_parallel_replays_sign_in_exactly_once(
    new_http: HttpFactory, provider: IdentityProvider, make_user: MakeUser, live_idp: SamlIdp
) -> None:
    # given
    await member(make_user, provider, PayRole.NONE)
    await allow_idp_initiated(provider)
    form = unsolicited_form(live_idp, provider)
    clients = [new_http() for _ in range(5)]

    # when
    answers = await asyncio.gather(*(post_acs(c, provider, form) for c in clients))
    for client in clients:
        await client.aclose()

    # then
    assert sorted(str(refusal(a)) for a in answers) == ["None"] + ["SSO_INVALID_RESPONSE"] * 4


async def test_the_sp_metadata_names_our_entity_acs_and_name_id_formats(
    new_http: HttpFactory, provider: IdentityProvider
) -> None:
    # given
    sp = service_provider(BASE, str(provider.id))
    async with new_http() as http:
        # when
        answer = await http.get(f"/sso/saml/{provider.id}/metadata")

    # then
    assert answer.status_code == 200
    root = fromstring(answer.content)
    md = "{urn:oasis:names:tc:SAML:2.0:metadata}"
    assert root.get("entityID") == sp.entity_id
    acs = root.find(f"{md}SPSSODescriptor/{md}AssertionConsumerService")
    assert acs is not None and acs.get("Location") == sp.acs_url
    formats = [f.text for f in root.iter(f"{md}NameIDFormat")]
    assert "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent" in formats


async def test_the_acs_takes_only_a_form_for_a_saml_provider(
    new_http: HttpFactory, provider: IdentityProvider
) -> None:
    # given
    async with new_http() as http:
        # when
        as_json = await http.post(f"/sso/saml/{provider.id}/acs", json={"SAMLResponse": "x"})
        unknown = await http.post(
            "/sso/saml/00000000-0000-0000-0000-000000000000/acs", data={"SAMLResponse": "x"}
        )
        garbage = await post_acs(http, provider, {"SAMLResponse": "not base64!"})

    # then
    assert (as_json.status_code, unknown.status_code) == (400, 404)
    assert refusal(garbage) == "SSO_INVALID_RESPONSE"


async def test_the_request_cookie_is_host_only_secure_and_sent_with_the_idps_post(
    new_http: HttpFactory, provider: IdentityProvider
) -> None:
    # given
    async with new_http() as http:
        # when
        start = await http.get(f"/sso/{provider.id}/start")

    # then
    cookie = start.headers["set-cookie"]
    assert cookie.startswith(REQUEST_COOKIE + "=")
    attributes = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert {"path=/", "secure", "httponly", "samesite=none"} <= attributes
    assert not any(a.startswith("domain=") for a in attributes)


async def test_a_native_app_gets_its_one_time_code_and_the_pending_token(
    new_http: HttpFactory, provider: IdentityProvider, make_user: MakeUser
) -> None:
    # given: the app's registered redirect, and its PKCE verifier
    await member(make_user, provider, PayRole.PAYOR)
    provider.native_redirect_uri = APP_REDIRECT
    await provider.save(update_fields=["native_redirect_uri"])
    verifier = secrets.token_urlsafe(32)
    async with new_http() as system_browser, new_http() as app:
        form = await idp_form(
            system_browser, provider, client="native", code_challenge=s256(verifier)
        )

        # when
        answer = await post_acs(system_browser, provider, form)
        location = answer.headers["location"]
        code = parse_qs(urlsplit(location).query)["code"][0]
        exchanged = await GraphQLClient(app).execute(
            EXCHANGE_SSO_CODE, {"code": code, "verifier": verifier}
        )

    # then
    assert answer.status_code == 303 and location.startswith(APP_REDIRECT + "?")
    assert exchanged["exchangeSsoCode"]["__typename"] == "MfaSetupRequired"
