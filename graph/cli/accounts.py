"""Creating accounts from the command line (Twofold has no sign-up screen)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain.accounts import normalize_email
from domain.policy import end_sessions_policy_disallows
from domain.settings import Settings
from graph.startup.db import apply_migrations, close_database, open_database
from models.company import Company
from models.enums import PayRole
from models.user import User
from providers.clock import Clock, SystemClock
from providers.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, PasswordHasher


class AccountError(ValueError):
    """The account cannot be created as asked; the message says why."""


async def create_user(
    settings: Settings,
    *,
    email: str,
    password: str,
    role: str,
    company: str | None = None,
    admin: bool = False,
) -> UUID:
    address = normalize_email(email)
    if "@" not in address or len(address) > 254:
        raise AccountError("email must be an address of at most 254 characters")
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise AccountError(
            f"password must be {MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters"
        )
    hasher = PasswordHasher()
    await apply_migrations(settings.database_url, settings.secret_key)
    await open_database(settings.database_url)
    try:
        owner = (await Company.get_or_create(name=company))[0] if company else None
        user = await User.create(
            email=address,
            password_hash=await hasher.hash(password),
            pay_role=PayRole(role),
            company=owner,
            is_company_admin=admin,
        )
    except IntegrityError:
        raise AccountError(f"a user with email {address} already exists") from None
    finally:
        await close_database()
        hasher.close()
    return user.id


@dataclass(frozen=True)
class PolicyChange:
    requires_app: bool
    ended_sessions: int
    allows_trusted_browsers: bool = False
    payors_need_key: bool = False


async def set_company_policy(
    settings: Settings,
    name: str,
    require_app: bool | None,
    clock: Clock | None = None,
    allow_trusted_browsers: bool | None = None,
    payors_need_key: bool | None = None,
) -> PolicyChange:
    """Create the company if new and set its policy when given; sessions whose factor the
    new policy disallows end at once."""
    await apply_migrations(settings.database_url, settings.secret_key)
    await open_database(settings.database_url)
    try:
        async with in_transaction():
            company = (await Company.get_or_create(name=name))[0]
            ended = 0
            if require_app is not None or payors_need_key is not None:
                if require_app is not None:
                    company.require_authenticator_app = require_app
                if payors_need_key is not None:
                    company.require_security_key_for_payors = payors_need_key
                await company.save(
                    update_fields=["require_authenticator_app", "require_security_key_for_payors"]
                )
                now = (clock or SystemClock()).now()
                ended = await end_sessions_policy_disallows(company, now)
            if allow_trusted_browsers is not None:
                # Turned off, the company's trusted browsers stop skipping the challenge at once.
                company.allow_trusted_browsers = allow_trusted_browsers
                await company.save(update_fields=["allow_trusted_browsers"])
        return PolicyChange(
            company.require_authenticator_app,
            ended,
            company.allow_trusted_browsers,
            company.require_security_key_for_payors,
        )
    finally:
        await close_database()
