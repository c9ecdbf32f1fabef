"""The SSO gate every protocol ends in: links only by (provider, subject) or, once, by a
verified email of a verified domain of the provider's company; then the password sign-in's
gate, so payments users always get Twofold's enrollment or challenge."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from starlette.applications import Starlette

from domain.runtime import RequestMeta, Runtime
from domain.settings import Settings
from domain.sign_in import SecondFactorNeeded, SignedIn
from domain.sso.gate import ExternalAssertion, SsoClient, complete_sso_sign_in
from domain.sso.providers import OidcRegistration, add_oidc
from domain.sso.refusals import SsoRefusalCode, SsoRefused
from models.audit_event import AuditEvent
from models.company import Company
from models.enums import PayRole
from models.sealing import Sealed, seal
from models.session import AuthSession
from models.sso import ExternalIdentity, IdentityProvider, SsoDomain
from models.user import User
from providers.registry import Providers
from tests.support.constants import SECRET_KEY
from tests.support.users import MakeUser

ISSUER = "https://idp.acme.example"
CALLER = RequestMeta("203.0.113.7", "sso-gate-test")


@pytest.fixture
def runtime(app: Starlette, settings: Settings, providers: Providers) -> Runtime:
    return Runtime(settings, providers, CALLER)


async def acme_provider(
    runtime: Runtime, *, verified: bool = True, **allow: tuple[str, ...]
) -> IdentityProvider:
    company = await Company.create(name="Acme")
    await SsoDomain.create(
        domain="acme.example", company=company, verified=verified, created_at=runtime.now()
    )
    registration = OidcRegistration(ISSUER, "twofold", "s3cret", **allow)
    return await add_oidc(company, registration, SECRET_KEY, runtime.now())


def assertion(provider: IdentityProvider, email: str, **changes: object) -> ExternalAssertion:
    fields: dict[str, object] = {
        "provider_id": provider.id,
        "issuer": ISSUER,
        "subject": "sub-" + email,
        "email": email,
        "email_verified": True,
    }
    fields.update(changes)
    return ExternalAssertion(**fields)  # type: ignore[arg-type]


async def member(
    make_user: MakeUser, provider: IdentityProvider, email: str, role: PayRole
) -> User:
    user = await make_user(email, role)
    user.company_id = provider.company_id
    await user.save(update_fields=["company_id"])
    return user


async def with_authenticator_app(user: User, runtime: Runtime) -> None:
    user.totp_secret_sealed = seal(SECRET_KEY, Sealed.TOTP_SECRET, "JBSWY3DPEHPK3PXP")
    user.totp_added_at = runtime.now()
    await user.save(update_fields=["totp_secret_sealed", "totp_added_at"])


async def refused_outcomes() -> list[str]:
    return [e.outcome for e in await AuditEvent.filter(event="sso").order_by("id")]


async def test_a_payor_linked_by_verified_email_must_still_enroll(
    runtime: Runtime, make_user: MakeUser
) -> None:
    # given
    provider = await acme_provider(runtime)
    payor = await member(make_user, provider, "pat@acme.example", PayRole.PAYOR)

    # when
    outcome = await complete_sso_sign_in(
        runtime, provider, assertion(provider, "Pat@ACME.example"), SsoClient.BROWSER
    )

    # then
    assert isinstance(outcome, SecondFactorNeeded) and outcome.enroll
    assert await ExternalIdentity.exists(provider_id=provider.id, user_id=payor.id)


async def test_a_payee_with_an_app_gets_the_challenge_even_when_the_idp_vouches(
    runtime: Runtime, make_user: MakeUser
) -> None:
    # given: the provider's acr is on its allowlist and recent
    provider = await acme_provider(runtime, allow_acr=("phr",))
    payee = await member(make_user, provider, "pam@acme.example", PayRole.PAYEE)
    await with_authenticator_app(payee, runtime)
    said = assertion(provider, payee.email, acr="phr", auth_time=runtime.now())

    # when
    outcome = await complete_sso_sign_in(runtime, provider, said, SsoClient.BROWSER)

    # then
    assert isinstance(outcome, SecondFactorNeeded) and not outcome.enroll


async def test_the_idp_word_on_the_allowlist_signs_in_a_user_outside_payments(
    runtime: Runtime, make_user: MakeUser
) -> None:
    # given
    provider = await acme_provider(runtime, allow_acr=("phr",))
    user = await member(make_user, provider, "nia@acme.example", PayRole.NONE)
    await with_authenticator_app(user, runtime)

    # when
    vouched = await complete_sso_sign_in(
        runtime,
        provider,
        assertion(provider, user.email, acr="phr", auth_time=runtime.now()),
        SsoClient.BROWSER,
    )
    stale = await complete_sso_sign_in(
        runtime,
        provider,
        assertion(provider, user.email, acr="phr", auth_time=runtime.now() - timedelta(hours=1)),
        SsoClient.BROWSER,
    )
    unlisted = await complete_sso_sign_in(
        runtime,
        provider,
        assertion(provider, user.email, acr="pwd", auth_time=runtime.now()),
        SsoClient.BROWSER,
    )

    # then
    assert isinstance(vouched, SignedIn)
    assert "urn:twofold:acr:mfa" in vouched.session.proofs
    assert isinstance(stale, SecondFactorNeeded)
    assert isinstance(unlisted, SecondFactorNeeded)


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"email_verified": False}, SsoRefusalCode.EMAIL_NOT_VERIFIED),
        ({"issuer": "https://evil.example"}, SsoRefusalCode.WRONG_ISSUER),
        (
            {"email": "pat@elsewhere.example", "subject": "sub-x"},
            SsoRefusalCode.DOMAIN_NOT_VERIFIED,
        ),
    ],
)
async def test_an_assertion_that_fails_a_check_is_refused_and_audited(
    runtime: Runtime, make_user: MakeUser, changes: dict[str, object], code: SsoRefusalCode
) -> None:
    # given
    provider = await acme_provider(runtime)
    await member(make_user, provider, "pat@acme.example", PayRole.PAYOR)
    await member(make_user, provider, "pat@elsewhere.example", PayRole.PAYOR)

    # when
    said = assertion(provider, "pat@acme.example")
    outcome = await complete_sso_sign_in(
        runtime, provider, replace(said, **changes), SsoClient.BROWSER
    )

    # then
    assert outcome == SsoRefused(code)
    assert await refused_outcomes() == ["refused_" + code.value.removeprefix("SSO_").lower()]
    assert not await ExternalIdentity.exists()
    assert not await AuthSession.exists()


async def test_a_domain_the_operator_did_not_verify_links_nobody(
    runtime: Runtime, make_user: MakeUser
) -> None:
    # given
    provider = await acme_provider(runtime, verified=False)
    await member(make_user, provider, "pat@acme.example", PayRole.PAYOR)

    # when
    outcome = await complete_sso_sign_in(
        runtime, provider, assertion(provider, "pat@acme.example"), SsoClient.BROWSER
    )

    # then
    assert outcome == SsoRefused(SsoRefusalCode.DOMAIN_NOT_VERIFIED)


async def test_another_companys_user_is_never_linked(runtime: Runtime, make_user: MakeUser) -> None:
    # given: the address is on Acme's domain but the account is another company's
    provider = await acme_provider(runtime)
    other = await Company.create(name="Other")
    stranger = await make_user("sam@acme.example", PayRole.PAYOR)
    stranger.company_id = other.id
    await stranger.save(update_fields=["company_id"])

    # when
    outcome = await complete_sso_sign_in(
        runtime, provider, assertion(provider, stranger.email), SsoClient.BROWSER
    )

    # then
    assert outcome == SsoRefused(SsoRefusalCode.NO_ACCOUNT)
    assert await refused_outcomes() == ["refused_other_company"]
    assert not await ExternalIdentity.exists()


async def test_unknown_addresses_are_created_only_with_auto_provisioning(runtime: Runtime) -> None:
    # given
    provider = await acme_provider(runtime)

    # when
    off = await complete_sso_sign_in(
        runtime, provider, assertion(provider, "new@acme.example"), SsoClient.BROWSER
    )
    await Company.filter(id=provider.company_id).update(sso_auto_provisioning=True)
    on = await complete_sso_sign_in(
        runtime, provider, assertion(provider, "new@acme.example"), SsoClient.BROWSER
    )

    # then
    assert off == SsoRefused(SsoRefusalCode.NO_ACCOUNT)
    assert isinstance(on, SignedIn) and on.user.company_id == provider.company_id


async def test_once_linked_the_subject_alone_finds_the_user(
    runtime: Runtime, make_user: MakeUser
) -> None:
    # given: a first sign-in linked the subject
    provider = await acme_provider(runtime)
    payor = await member(make_user, provider, "pat@acme.example", PayRole.PAYOR)
    await complete_sso_sign_in(
        runtime, provider, assertion(provider, payor.email), SsoClient.BROWSER
    )

    # when: the provider now states another (unverified) email for the same subject
    again = await complete_sso_sign_in(
        runtime,
        provider,
        assertion(provider, "x@acme.example", subject="sub-" + payor.email, email_verified=False),
        SsoClient.BROWSER,
    )
    # and a new subject claims the linked user's email
    other_subject = await complete_sso_sign_in(
        runtime,
        provider,
        assertion(provider, payor.email, subject="someone-else"),
        SsoClient.BROWSER,
    )

    # then
    assert isinstance(again, SecondFactorNeeded) and again.user.id == payor.id
    assert isinstance(other_subject, SecondFactorNeeded)
    assert await ExternalIdentity.filter(user_id=payor.id).count() == 2
