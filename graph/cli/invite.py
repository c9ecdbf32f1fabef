"""`twofold invite`: the operator invites someone to a company by email (the way to a
company's first admin); the invitee chooses a password through the emailed link."""

from __future__ import annotations

import argparse
import asyncio
import sys

from domain import account_links, invitations
from domain.runtime import RequestMeta, Runtime
from domain.settings import Settings
from graph.cli.settings import settings_from_environment
from graph.startup.db import apply_migrations, close_database, open_database
from graph.startup.wiring import build_providers
from i18n.negotiation import supported
from models.company import Company
from models.enums import PayRole


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    invite = commands.add_parser(
        "invite", help="email an invitation to open an account in a company (7 days)"
    )
    invite.add_argument("--email", required=True)
    invite.add_argument("--role", required=True, choices=["payor", "payee", "none"])
    invite.add_argument("--company", required=True, help="company name; created when new")
    invite.add_argument("--admin", action="store_true", help="the account becomes a company admin")
    invite.add_argument("--locale", help="the invitee's language, a BCP 47 tag (en, es, fr)")
    invite.set_defaults(handler=_invite)


def _invite(args: argparse.Namespace) -> int:
    settings = settings_from_environment()
    locale = supported(args.locale) if args.locale is not None else None
    if args.locale is not None and locale is None:
        print(f"twofold: unsupported locale {args.locale!r}", file=sys.stderr)
        return 1
    try:
        outcome = asyncio.run(
            invite_by_operator(
                settings,
                email=args.email,
                role=args.role,
                company=args.company,
                admin=args.admin,
                locale=locale,
            )
        )
    except invitations.BadEmail as error:
        print(f"twofold: {error}", file=sys.stderr)
        return 1
    if outcome is None:
        print(f"twofold: {args.email} already has an account in {args.company}", file=sys.stderr)
        return 1
    invitation, delivered = outcome
    where = "sent" if delivered else "queued in the outbox (see `twofold outbox`)"
    print(
        f"invitation {invitation} for {args.email} ({args.role}) {where}; the link works for 7 days"
    )
    return 0


async def invite_by_operator(
    settings: Settings,
    *,
    email: str,
    role: str,
    company: str,
    admin: bool,
    locale: str | None = None,
) -> tuple[str, bool] | None:
    """The invitation's id and whether its email went out now; None when the address has an
    account in that company already."""
    providers = build_providers(settings)
    runtime = Runtime(settings, providers, RequestMeta("-", "twofold invite"))
    await apply_migrations(settings.database_url, settings.secret_key)
    await open_database(settings.database_url)
    try:
        owner = (await Company.get_or_create(name=company))[0]
        outcome = await invitations.invite(
            runtime,
            email=email,
            role=PayRole(role),
            company=owner,
            admin=admin,
            inviter=None,
            base_url=account_links.base_url(settings),
            locale=locale,
        )
        if isinstance(outcome, invitations.AccountExists):
            return None
        return str(outcome.invitation.id), await invitations.send(runtime, outcome)
    finally:
        await close_database()
        providers.close()
