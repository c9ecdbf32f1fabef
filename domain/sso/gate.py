"""The one way every single sign-on protocol signs a user in.

Interface (stable; SAML and OpenID Connect both call it):

    ExternalAssertion(provider_id, issuer, subject, email, email_verified, acr, amr, auth_time)
    await complete_sso_sign_in(runtime, provider, assertion, client) -> SsoOutcome

`client` is `SsoClient.BROWSER` or `SsoClient.NATIVE` (the HTTP layer delivers the tokens:
a cookie for browsers, a one-time code for apps, domain/sso/handoff.py). The outcome is
`SsoRefused(code)` (already audited) or what the password sign-in's gate answers:
`SecondFactorNeeded` (Twofold's enrollment or challenge on a pending session),
`SignedIn`, or `SecondFactorLocked`.

Rules kept here, whatever the protocol:
- The assertion's issuer must be the provider's. A user is found ONLY by (provider, subject),
  or, the first time, by exact email (compared as sign-in compares emails) to an existing user
  of the provider's company, when the email's domain is a verified SSO domain of that company
  and `email_verified` is true. Linking then records (provider, subject).
  `email_verified` is the protocol's business: OpenID Connect passes the `email_verified`
  claim (absent means false); SAML decides how its provider is authoritative for its domains.
- No user is created unless the company turned auto-provisioning on.
- Then `domain.sign_in.second_factor_gate`, the gate of the password sign-in: payments users
  always get Twofold's enrollment or challenge. Others too, unless the provider's allowlist
  (`--allow-acr`/`--allow-amr`, empty by default) holds the assertion's `acr` or one of its
  `amr` and `auth_time` is within SSO_MAX_AUTH_AGE_SECONDS. Trusted browsers never skip an
  SSO challenge.
- The session records the proof as domain/proofs.py's `federated` states it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain import audit, proofs
from domain.accounts import normalize_email
from domain.runtime import Runtime
from domain.sign_in import GateOutcome, SecondFactorLocked, second_factor_gate
from domain.sso.domains import is_verified_domain_of
from domain.sso.refusals import AUDIT_OUTCOME, SsoRefusalCode, SsoRefused
from models.company import Company
from models.enums import PayRole
from models.sso import ExternalIdentity, IdentityProvider
from models.user import User

SSO_ONLY_PASSWORD_HASH = "!sso"
"""The password hash of a provisioned user: no password ever matches it."""


class SsoClient(StrEnum):
    BROWSER = "browser"
    NATIVE = "native"


@dataclass(frozen=True)
class ExternalAssertion:
    """What an identity provider said about who signed in, checked by the protocol's code
    (signature, audience, expiry, replay) before it gets here."""

    provider_id: UUID
    issuer: str
    subject: str
    email: str
    email_verified: bool
    acr: str | None = None
    amr: list[str] = field(default_factory=list)
    auth_time: datetime | None = None


SsoOutcome = SsoRefused | GateOutcome


async def refuse(runtime: Runtime, code: SsoRefusalCode, user_id: UUID | None = None) -> SsoRefused:
    """Audit the refusal and return it (every protocol refuses through here)."""
    await audit.record(runtime, "sso", AUDIT_OUTCOME[code], user_id)
    return SsoRefused(code)


async def complete_sso_sign_in(
    runtime: Runtime,
    provider: IdentityProvider,
    assertion: ExternalAssertion,
    client: SsoClient,
) -> SsoOutcome:
    """Link the assertion to its user and pass the sign-in gate; see the module docstring."""
    if assertion.provider_id != provider.id or assertion.issuer != provider.issuer:
        return await refuse(runtime, SsoRefusalCode.WRONG_ISSUER)
    found = await _linked_user(runtime, provider, assertion)
    if isinstance(found, SsoRefused):
        return found
    vouched = _vouched(provider, assertion, runtime)
    first = proofs.federated(assertion.amr, runtime.now())
    accepted = proofs.federated(assertion.amr, runtime.now(), vouched=True) if vouched else None
    outcome = await second_factor_gate(found, runtime, None, None, first, accepted)
    if isinstance(outcome, SecondFactorLocked):
        return await refuse(runtime, SsoRefusalCode.ACCOUNT_LOCKED, found.id)
    await audit.record(runtime, "sso", "accepted", found.id)
    return outcome


async def _linked_user(
    runtime: Runtime, provider: IdentityProvider, assertion: ExternalAssertion
) -> User | SsoRefused:
    identity = await ExternalIdentity.get_or_none(
        provider_id=provider.id, subject=assertion.subject
    ).prefetch_related("user")
    if identity is not None:
        return identity.user
    if not assertion.email_verified:
        return await refuse(runtime, SsoRefusalCode.EMAIL_NOT_VERIFIED)
    email = normalize_email(assertion.email)
    if not await is_verified_domain_of(provider.company_id, email):
        return await refuse(runtime, SsoRefusalCode.DOMAIN_NOT_VERIFIED)
    user = await User.get_or_none(email=email)
    if user is not None and user.company_id != provider.company_id:
        # Another company's user: never linked, and answered as an unknown address.
        await audit.record(runtime, "sso", "refused_other_company", user.id)
        return SsoRefused(SsoRefusalCode.NO_ACCOUNT)
    if user is None:
        company = await Company.get(id=provider.company_id)
        if not company.sso_auto_provisioning:
            return await refuse(runtime, SsoRefusalCode.NO_ACCOUNT)
        user = await _provision(runtime, company, email)
    try:
        async with in_transaction():
            await ExternalIdentity.create(
                provider=provider, subject=assertion.subject, user=user, created_at=runtime.now()
            )
    except IntegrityError:
        # A parallel first sign-in of the same subject linked it: use that link.
        again = await ExternalIdentity.get(provider_id=provider.id, subject=assertion.subject)
        if again.user_id != user.id:
            return await refuse(runtime, SsoRefusalCode.NO_ACCOUNT)
    await audit.record(runtime, "sso", "linked", user.id)
    return user


async def _provision(runtime: Runtime, company: Company, email: str) -> User:
    user = await User.create(
        email=email,
        password_hash=SSO_ONLY_PASSWORD_HASH,
        pay_role=PayRole.NONE,
        company=company,
    )
    await audit.record(runtime, "sso", "provisioned", user.id)
    return user


def _vouched(provider: IdentityProvider, assertion: ExternalAssertion, runtime: Runtime) -> bool:
    """The provider's own MFA counts only for a value on its allowlist, recently proven."""
    listed = (assertion.acr is not None and assertion.acr in provider.acr_allowlist) or any(
        value in provider.amr_allowlist for value in assertion.amr
    )
    if not listed or assertion.auth_time is None:
        return False
    age = runtime.now() - assertion.auth_time
    return (
        timedelta(0) - timedelta(minutes=1)
        <= age
        <= timedelta(seconds=runtime.settings.sso_max_auth_age_seconds)
    )
