"""`twofold create-user` and `twofold company`: accounts from the command line (Twofold has no
sign-up screen), and each company's MFA policy."""

from __future__ import annotations

import argparse
import asyncio
import sys
from dataclasses import dataclass
from uuid import UUID

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain import password_rules
from domain.accounts import normalize_email
from domain.policy import end_sessions_policy_disallows
from domain.settings import Settings
from domain.sso.domains import DomainRefused, add_domain
from graph.cli.settings import settings_from_environment
from graph.startup.db import apply_migrations, close_database, open_database
from i18n.catalogs import SUPPORTED_LOCALES
from i18n.negotiation import supported
from models.company import Company
from models.enums import PayRole
from models.sso import SsoDomain
from models.user import User
from providers.clock import Clock, SystemClock
from providers.passwords import PasswordHasher


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    create = commands.add_parser("create-user", help="create a user who can sign in")
    create.add_argument("--email", required=True)
    create.add_argument("--password", required=True)
    create.add_argument("--role", required=True, choices=["payor", "payee", "none"])
    create.add_argument("--company", help="company name; created when new")
    create.add_argument("--admin", action="store_true", help="make the user a company admin")
    create.add_argument(
        "--locale", help="the user's language, a BCP 47 tag (en, es, fr); default: the browser's"
    )
    create.set_defaults(handler=_create_user)

    company = commands.add_parser("company", help="create a company or change its MFA policy")
    company.add_argument("name")
    policy = company.add_mutually_exclusive_group()
    policy.add_argument(
        "--require-authenticator-app",
        dest="require_app",
        action="store_true",
        default=None,
        help="all users of the company must use an authenticator app",
    )
    policy.add_argument(
        "--allow-sms", dest="require_app", action="store_false", help="payees may use SMS"
    )
    trust = company.add_mutually_exclusive_group()
    trust.add_argument(
        "--allow-trusted-browsers",
        dest="allow_trusted_browsers",
        action="store_true",
        default=None,
        help="users may trust a browser for TRUSTED_BROWSER_DAYS and skip the sign-in challenge",
    )
    trust.add_argument(
        "--no-trusted-browsers",
        dest="allow_trusted_browsers",
        action="store_false",
        help="every sign-in asks for the second factor (the default)",
    )
    payors = company.add_mutually_exclusive_group()
    payors.add_argument(
        "--require-security-key-for-payors",
        dest="payors_need_key",
        action="store_true",
        default=None,
        help="payors must use a security key or passkey (phishing-resistant)",
    )
    payors.add_argument(
        "--allow-any-factor-for-payors",
        dest="payors_need_key",
        action="store_false",
        help="payors may use an authenticator app or a security key (the default)",
    )
    company.add_argument(
        "--sso-domain",
        action="append",
        default=[],
        metavar="DOMAIN",
        help="an email domain of the company's users, verified on your word (single sign-on)",
    )
    password = company.add_mutually_exclusive_group()
    password.add_argument(
        "--allow-password-with-sso",
        dest="password_with_sso",
        action="store_true",
        default=None,
        help="users of the SSO domains may also sign in with a password",
    )
    password.add_argument(
        "--sso-only",
        dest="password_with_sso",
        action="store_false",
        help="users of the SSO domains sign in through the identity provider only (the default)",
    )
    provisioning = company.add_mutually_exclusive_group()
    provisioning.add_argument(
        "--sso-auto-provisioning",
        dest="auto_provisioning",
        action="store_true",
        default=None,
        help="an SSO sign-in of an unknown address of a verified domain creates a user",
    )
    provisioning.add_argument(
        "--no-sso-auto-provisioning",
        dest="auto_provisioning",
        action="store_false",
        help="only existing users sign in by SSO (the default)",
    )
    admins = company.add_mutually_exclusive_group()
    admins.add_argument(
        "--require-two-admins-for-mfa-reset",
        dest="two_admins",
        action="store_true",
        default=None,
        help="an admin's MFA reset waits for a second admin of the company to approve it",
    )
    admins.add_argument(
        "--one-admin-for-mfa-reset",
        dest="two_admins",
        action="store_false",
        help="one admin resets a user's MFA alone (the default)",
    )
    company.set_defaults(handler=_company)


def _create_user(args: argparse.Namespace) -> int:
    settings = settings_from_environment()
    try:
        user_id = asyncio.run(
            create_user(
                settings,
                email=args.email,
                password=args.password,
                role=args.role,
                company=args.company,
                admin=args.admin,
                locale=args.locale,
            )
        )
    except AccountError as error:
        print(f"twofold: {error}", file=sys.stderr)
        return 1
    print(f"created user {user_id} ({args.email}, {args.role})")
    return 0


def _company(args: argparse.Namespace) -> int:
    settings = settings_from_environment()
    change = asyncio.run(
        set_company_policy(
            settings,
            args.name,
            args.require_app,
            allow_trusted_browsers=args.allow_trusted_browsers,
            payors_need_key=args.payors_need_key,
            two_admins=args.two_admins,
        )
    )
    try:
        sso = asyncio.run(
            set_company_sso(
                settings, args.name, args.sso_domain, args.password_with_sso, args.auto_provisioning
            )
        )
    except DomainRefused as error:
        print(f"twofold: {error}", file=sys.stderr)
        return 1
    rule = "authenticator app required" if change.requires_app else "SMS allowed for payees"
    rule += ", security key required for payors" if change.payors_need_key else ""
    rule += ", trusted browsers allowed" if change.allows_trusted_browsers else ""
    rule += ", two admins for an MFA reset" if change.two_admins_for_mfa_reset else ""
    rule += f", SSO domains {', '.join(sso)}" if sso else ""
    ended = f"; {change.ended_sessions} sessions ended" if change.ended_sessions else ""
    print(f"company {args.name}: {rule}{ended}")
    return 0


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
    locale: str | None = None,
) -> UUID:
    address = normalize_email(email)
    if "@" not in address or len(address) > 254:
        raise AccountError("email must be an address of at most 254 characters")
    language = supported(locale) if locale is not None else None
    if locale is not None and language is None:
        raise AccountError(
            f"unsupported locale {locale!r}: use one of {', '.join(SUPPORTED_LOCALES)}"
        )
    # The rules every password meets (domain/password_rules.py); payments users must enroll a
    # second factor at their first sign-in, so theirs is not their only factor.
    rules = password_rules.rules_for(
        settings, has_second_factor=PayRole(role) in (PayRole.PAYOR, PayRole.PAYEE)
    )
    reason = password_rules.check(password, address, rules)
    if reason is not None:
        raise AccountError(
            f"password refused ({reason.name}): {password_rules.explain(reason, rules)}"
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
            locale=language,
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
    two_admins_for_mfa_reset: bool = False


async def set_company_policy(
    settings: Settings,
    name: str,
    require_app: bool | None,
    clock: Clock | None = None,
    allow_trusted_browsers: bool | None = None,
    payors_need_key: bool | None = None,
    two_admins: bool | None = None,
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
            if two_admins is not None:
                company.require_two_admins_for_mfa_reset = two_admins
                await company.save(update_fields=["require_two_admins_for_mfa_reset"])
        return PolicyChange(
            company.require_authenticator_app,
            ended,
            company.allow_trusted_browsers,
            company.require_security_key_for_payors,
            company.require_two_admins_for_mfa_reset,
        )
    finally:
        await close_database()


async def set_company_sso(
    settings: Settings,
    name: str,
    domains: list[str],
    password_with_sso: bool | None = None,
    auto_provisioning: bool | None = None,
    clock: Clock | None = None,
) -> list[str]:
    """Add the company's SSO domains (`DomainRefused` for another company's or a consumer
    domain: then nothing changes) and its SSO settings; returns the company's domains."""
    await open_database(settings.database_url)
    try:
        async with in_transaction():
            company = await Company.get(name=name)
            now = (clock or SystemClock()).now()
            for domain in domains:
                await add_domain(company, domain, now)
            if password_with_sso is not None:
                company.allow_password_with_sso = password_with_sso
            if auto_provisioning is not None:
                company.sso_auto_provisioning = auto_provisioning
            await company.save(update_fields=["allow_password_with_sso", "sso_auto_provisioning"])
            held = await SsoDomain.filter(company_id=company.id).order_by("domain")
            return [row.domain for row in held]
    finally:
        await close_database()
