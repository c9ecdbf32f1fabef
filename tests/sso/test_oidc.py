"""OpenID Connect sign-in against a real provider (oidc-provider on loopback): Twofold's MFA
after the provider, and each check of the provider's answer refusing, audited, on its own."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit, urlunsplit

import httpx
import pytest

from domain.sso.refusals import AUDIT_OUTCOME, SsoRefusalCode
from models.audit_event import AuditEvent
from models.company import Company
from models.enums import PayRole
from models.session import AuthSession
from models.sso import ExternalIdentity
from providers.clock import ManualClock
from tests.sso.oidc_setup import acme_at, back, start, to_callback
from tests.support import documents as doc
from tests.support.clients import HttpFactory
from tests.support.flows import enroll_with_app
from tests.support.graphql import GraphQLClient
from tests.support.idp import Idp, idp, query_of
from tests.support.users import MakeUser

__all__ = ["idp"]  # the fixture, used by name

SESSION_COOKIE = "__Host-twofold-session"


def with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = {**query_of(url), **changes}
    return urlunsplit(parts._replace(query=urlencode(query)))


async def member(make_user: MakeUser, email: str, role: PayRole, company: str = "Acme") -> None:
    user = await make_user(email, role)
    user.company_id = (await Company.get(name=company)).id
    await user.save(update_fields=["company_id"])


async def refused_with(answer: httpx.Response, code: SsoRefusalCode) -> None:
    """The browser went to the error screen naming `code`, with no session, and it was
    audited."""
    assert answer.status_code == 303
    assert query_of(answer.headers["location"]) == {"sso_error": code.value}
    assert SESSION_COOKIE not in answer.headers.get("set-cookie", "")
    assert await AuditEvent.exists(event="sso", outcome=AUDIT_OUTCOME[code])
    assert not await AuthSession.exists()


async def test_a_payor_signed_in_by_sso_must_still_enroll_an_app(
    idp: Idp, clock: ManualClock, new_http: HttpFactory, make_user: MakeUser
) -> None:
    # given
    provider = await acme_at(idp, clock)
    await member(make_user, "pat@acme.example", PayRole.PAYOR)
    account = idp.account("pat", "pat@acme.example")

    async with new_http() as twofold:
        # when
        trip = await to_callback(twofold, idp, provider, account)
        answer = await back(twofold, trip.callback_url)
        step = await GraphQLClient(twofold).execute(doc.ENROLLMENT_STEP)
        viewer = await GraphQLClient(twofold).execute(doc.VIEWER_EMAIL)

    # then: a pending session at Twofold's enrollment, not a signed-in one
    assert answer.status_code == 200
    assert step == {"mfaEnrollment": {"step": "SETUP_REQUIRED"}}
    assert viewer == {"viewer": None}
    assert await ExternalIdentity.exists(provider_id=provider.id, subject="pat")


async def test_a_payee_with_an_app_gets_the_challenge_whatever_the_provider_says(
    idp: Idp, clock: ManualClock, new_http: HttpFactory, make_user: MakeUser
) -> None:
    # given: an enrolled payee; the provider's acr is on the allowlist and recent
    provider = await acme_at(idp, clock, allow_acr=("urn:test:mfa",))
    await member(make_user, "pam@acme.example", PayRole.PAYEE)
    await Company.filter(name="Acme").update(allow_password_with_sso=True)
    async with new_http() as enrolling:
        await enroll_with_app(GraphQLClient(enrolling), "pam@acme.example", clock)
    account = idp.account("pam", "pam@acme.example", acr="urn:test:mfa", amr=["pwd", "otp"])

    async with new_http() as twofold:
        # when
        trip = await to_callback(twofold, idp, provider, account)
        await back(twofold, trip.callback_url)
        step = await GraphQLClient(twofold).execute(doc.ENROLLMENT_STEP)

    # then
    assert step == {"mfaEnrollment": {"step": "CHALLENGE"}}


async def test_the_callback_works_once_for_the_browser_that_started_it(
    idp: Idp, clock: ManualClock, new_http: HttpFactory, make_user: MakeUser
) -> None:
    # given
    provider = await acme_at(idp, clock)
    await member(make_user, "pat@acme.example", PayRole.PAYOR)
    account = idp.account("pat", "pat@acme.example")

    async with new_http() as twofold, new_http() as other_browser:
        trip = await to_callback(twofold, idp, provider, account)
        await start(other_browser, provider)  # it holds a binding cookie of its own
        # when: another browser brings the callback (login CSRF), then a wrong state
        stolen = await back(other_browser, trip.callback_url)
        forged = await back(twofold, with_query(trip.callback_url, state="forged"))
        first = await back(twofold, trip.callback_url)
        replayed = await back(twofold, trip.callback_url)

    # then
    assert first.status_code == 200
    for answer in (stolen, forged, replayed):
        assert query_of(answer.headers["location"]) == {"sso_error": "SSO_INVALID_STATE"}
    assert await AuditEvent.filter(event="sso", outcome="refused_invalid_state").count() == 3


async def test_an_id_token_with_another_nonce_is_refused(
    idp: Idp, clock: ManualClock, new_http: HttpFactory, make_user: MakeUser
) -> None:
    # given: the code was obtained for another nonce (an old callback's) with this request's
    # PKCE challenge, so only the nonce check can tell
    provider = await acme_at(idp, clock)
    await member(make_user, "pat@acme.example", PayRole.PAYOR)
    account = idp.account("pat", "pat@acme.example")

    async with new_http() as twofold:
        authorization_url = await start(twofold, provider)
        callback = await idp.sign_in(with_query(authorization_url, nonce="old-nonce"), account)
        # when
        answer = await back(twofold, callback)

    # then
    await refused_with(answer, SsoRefusalCode.INVALID_NONCE)


async def test_a_callback_naming_another_issuer_is_refused(
    idp: Idp, clock: ManualClock, new_http: HttpFactory, make_user: MakeUser
) -> None:
    # given
    provider = await acme_at(idp, clock)
    await member(make_user, "pat@acme.example", PayRole.PAYOR)
    account = idp.account("pat", "pat@acme.example")

    async with new_http() as twofold:
        trip = await to_callback(twofold, idp, provider, account)
        # when: RFC 9207's iss names another provider (a mix-up attack)
        answer = await back(twofold, with_query(trip.callback_url, iss="https://evil.example"))

    # then
    await refused_with(answer, SsoRefusalCode.WRONG_ISSUER)


async def test_a_provider_whose_discovery_names_another_issuer_is_refused(
    idp: Idp, clock: ManualClock, new_http: HttpFactory
) -> None:
    # given: registered as localhost, the provider calls itself 127.0.0.1
    provider = await acme_at(idp, clock, issuer=idp.issuer.replace("127.0.0.1", "localhost"))

    async with new_http() as twofold:
        # when
        answer = await twofold.get(f"/sso/{provider.id}/start")

    # then
    assert query_of(answer.headers["location"]) == {"sso_error": "SSO_WRONG_ISSUER"}
    assert await AuditEvent.exists(event="sso", outcome="refused_wrong_issuer")


async def test_a_tampered_id_token_is_refused(
    idp: Idp, clock: ManualClock, new_http: HttpFactory, make_user: MakeUser
) -> None:
    # given
    provider = await acme_at(idp, clock)
    await member(make_user, "pat@acme.example", PayRole.PAYOR)
    account = idp.account("pat", "pat@acme.example")

    async with new_http() as twofold:
        trip = await to_callback(twofold, idp, provider, account)
        idp.tamper_next_id_token()
        # when
        answer = await back(twofold, trip.callback_url)

    # then
    await refused_with(answer, SsoRefusalCode.INVALID_TOKEN)


@pytest.mark.parametrize(
    ("email_verified", "domain_verified", "code"),
    [
        (False, True, SsoRefusalCode.EMAIL_NOT_VERIFIED),
        (None, True, SsoRefusalCode.EMAIL_NOT_VERIFIED),
        (True, False, SsoRefusalCode.DOMAIN_NOT_VERIFIED),
    ],
)
async def test_an_email_the_provider_does_not_vouch_for_links_nobody(
    idp: Idp,
    clock: ManualClock,
    new_http: HttpFactory,
    make_user: MakeUser,
    email_verified: bool | None,
    domain_verified: bool,
    code: SsoRefusalCode,
) -> None:
    # given
    provider = await acme_at(idp, clock, domain_verified=domain_verified)
    await member(make_user, "pat@acme.example", PayRole.PAYOR)
    account = idp.account("pat-" + code.value, "pat@acme.example", email_verified=email_verified)

    async with new_http() as twofold:
        trip = await to_callback(twofold, idp, provider, account)
        # when
        answer = await back(twofold, trip.callback_url)

    # then
    await refused_with(answer, code)
    assert not await ExternalIdentity.exists()


async def test_another_companys_user_and_an_unknown_address_are_refused(
    idp: Idp, clock: ManualClock, new_http: HttpFactory, make_user: MakeUser
) -> None:
    # given: sam@acme.example belongs to Other; nobody has new@acme.example (no provisioning)
    provider = await acme_at(idp, clock)
    await Company.create(name="Other")
    await member(make_user, "sam@acme.example", PayRole.PAYOR, company="Other")
    sam = idp.account("sam", "sam@acme.example")
    new = idp.account("new", "new@acme.example")

    async with new_http() as twofold:
        # when
        stranger = await back(
            twofold, (await to_callback(twofold, idp, provider, sam)).callback_url
        )
        unknown = await back(twofold, (await to_callback(twofold, idp, provider, new)).callback_url)

    # then
    for answer in (stranger, unknown):
        assert query_of(answer.headers["location"]) == {"sso_error": "SSO_NO_ACCOUNT"}
    assert await AuditEvent.exists(event="sso", outcome="refused_other_company")
    assert await AuditEvent.exists(event="sso", outcome="refused_no_account")
    assert not await ExternalIdentity.exists()
    assert not await AuthSession.exists()


@pytest.mark.parametrize("provider_id", ["not-a-uuid", "6c1e4b9a-0000-4000-8000-000000000000"])
async def test_an_unknown_provider_is_refused_and_audited(
    new_http: HttpFactory, provider_id: str
) -> None:
    async with new_http() as twofold:
        # when
        start = await twofold.get(f"/sso/{provider_id}/start")
        callback = await twofold.get(f"/sso/oidc/{provider_id}/callback?state=x&code=y")

    # then
    for answer in (start, callback):
        assert query_of(answer.headers["location"]) == {"sso_error": "SSO_UNKNOWN_PROVIDER"}
    assert await AuditEvent.filter(event="sso", outcome="refused_unknown_provider").count() == 2
