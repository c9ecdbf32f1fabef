"""Email domains of companies that sign in by SSO, and what the sign-in screen offers.

A domain belongs to one company only (a unique column). Domains the operator adds from the
command line are verified on the operator's word: Twofold has no DNS proof yet. Consumer
mail domains never name a company: anyone can hold an address there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain import raw_sql
from domain.accounts import normalize_email
from models.company import Company
from models.sso import IdentityProvider, SsoDomain

CONSUMER_DOMAINS = frozenset(
    """gmail.com googlemail.com outlook.com hotmail.com live.com msn.com yahoo.com ymail.com
    icloud.com me.com mac.com aol.com proton.me protonmail.com gmx.com gmx.de gmx.net web.de
    mail.com yandex.com yandex.ru zoho.com fastmail.com hey.com qq.com 163.com 126.com
    mail.ru tutanota.com""".split()
)


class DomainRefused(ValueError):
    """The domain cannot name this company; the message says why."""


def domain_of(email: str) -> str:
    """The part after the last `@`, compared as sign-in compares emails."""
    address = normalize_email(email)
    return address.rsplit("@", 1)[1] if "@" in address else ""


def normalize_domain(domain: str) -> str:
    return domain.strip().lower().rstrip(".")


def check_domain(domain: str) -> str:
    """The normalised domain, or `DomainRefused` for a malformed or consumer domain."""
    name = normalize_domain(domain)
    labels = name.split(".")
    if len(name) > 253 or len(labels) < 2 or not all(labels) or "@" in name:
        raise DomainRefused(f"{domain!r} is not a domain name")
    if name in CONSUMER_DOMAINS:
        raise DomainRefused(f"{name} is a consumer mail domain: it cannot belong to a company")
    return name


async def add_domain(company: Company, domain: str, now_at: datetime) -> SsoDomain:
    """The operator's domain for `company`, verified on their word; refused when another
    company holds it."""
    name = check_domain(domain)
    existing = await SsoDomain.get_or_none(domain=name)
    if existing is not None:
        if existing.company_id != company.id:
            raise DomainRefused(f"{name} belongs to another company")
        if not existing.verified:
            existing.verified = True
            await existing.save(update_fields=["verified"])
        return existing
    return await SsoDomain.create(domain=name, company=company, verified=True, created_at=now_at)


@dataclass(frozen=True)
class SsoChoice:
    """The SSO sign-in an email's domain leads to, and whether a password works too."""

    provider: IdentityProvider
    password_allowed: bool


async def sso_for_email(email: str) -> SsoChoice | None:
    """The company's first provider when the email's domain is a verified SSO domain of a
    company with one; depends only on the domain, never on whether an account exists."""
    name = domain_of(email)
    if not name:
        return None
    row = await raw_sql.first(SsoDomain, '"domain" = ? AND "verified" = ?', [name, True])
    if row is None:
        return None
    provider = (
        await IdentityProvider.filter(company_id=row.company_id).order_by("created_at").first()
    )
    if provider is None:
        return None
    company = await Company.get(id=row.company_id)
    return SsoChoice(provider, company.allow_password_with_sso)


async def is_verified_domain_of(company_id: UUID, email: str) -> bool:
    name = domain_of(email)
    return bool(name) and await SsoDomain.exists(domain=name, company_id=company_id, verified=True)
