"""`twofold sso add|list|remove`: each company's identity providers (docs/sso.md)."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx

from domain.settings import Settings
from domain.sso import providers
from domain.sso.paths import oidc_callback_path
from graph.cli.settings import settings_from_environment
from graph.startup.db import apply_migrations, close_database, open_database
from models.company import Company
from models.sso import IdentityProvider
from providers.clock import SystemClock


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sso = subparsers.add_parser("sso", help="single sign-on: add, list, remove identity providers")
    commands = sso.add_subparsers(dest="sso_command", required=True)
    add = commands.add_parser("add", help="connect a company's identity provider")
    add.add_argument("company", help="the company's name (it must exist)")
    kind = add.add_mutually_exclusive_group(required=True)
    kind.add_argument("--oidc", action="store_true", help="OpenID Connect")
    kind.add_argument("--saml", action="store_true", help="SAML 2.0")
    add.add_argument("--name", default="", help="shown on the sign-in button (default: company)")
    add.add_argument("--issuer", help="OIDC: the issuer URL (discovery under it)")
    add.add_argument("--client-id", help="OIDC: the client id registered at the provider")
    add.add_argument("--client-secret-file", type=Path, help="OIDC: a file holding the secret")
    add.add_argument("--metadata", help="SAML: the metadata XML file or https:// URL")
    add.add_argument(
        "--allow-acr",
        action="append",
        default=[],
        metavar="VALUE",
        help="an acr value whose word replaces Twofold's MFA for users outside payments",
    )
    add.add_argument(
        "--allow-amr",
        action="append",
        default=[],
        metavar="VALUE",
        help="an amr value whose word replaces Twofold's MFA for users outside payments",
    )
    add.add_argument("--native-redirect", help="the app's redirect URI for native sign-ins")
    add.set_defaults(handler=_add)
    listing = commands.add_parser("list", help="list identity providers (never their secrets)")
    listing.set_defaults(handler=_list)
    remove = commands.add_parser("remove", help="remove a provider and the identities it linked")
    remove.add_argument("id", type=UUID)
    remove.set_defaults(handler=_remove)


def _fail(message: str) -> int:
    print(f"twofold: {message}", file=sys.stderr)
    return 1


def _add(args: argparse.Namespace) -> int:
    settings = settings_from_environment()
    try:
        provider = asyncio.run(add_provider(settings, args))
    except (providers.ProviderRefused, OSError, httpx.HTTPError) as error:
        return _fail(str(error))
    print(f"added {provider.kind.value} provider {provider.id} for {args.company}")
    if provider.kind.value == "oidc":
        print(f"redirect URI to register: {redirect_uri(settings, provider.id)}")
    return 0


def redirect_uri(settings: Settings, provider_id: UUID) -> str:
    base = settings.public_url.rstrip("/") or "https://<PUBLIC_URL>"
    return base + oidc_callback_path(provider_id)


def _saml_parser() -> Callable[[str], dict[str, Any]]:
    try:
        module = importlib.import_module("domain.sso.saml")
    except ImportError:
        raise providers.ProviderRefused("SAML is not available in this build") from None
    parse = getattr(module, "provider_config_from_metadata", None)
    if parse is None:
        raise providers.ProviderRefused("SAML is not available in this build")
    return parse  # type: ignore[no-any-return]


def _metadata_text(source: str, timeout: float) -> str:
    if source.startswith("https://"):
        response = httpx.get(source, timeout=timeout, follow_redirects=False)
        response.raise_for_status()
        return response.text
    return Path(source).read_text(encoding="utf-8")


async def add_provider(settings: Settings, args: argparse.Namespace) -> IdentityProvider:
    """Check the arguments, then store the provider (the company must exist)."""
    now = SystemClock().now()
    if args.saml:
        if not args.metadata:
            raise providers.ProviderRefused("--saml needs --metadata FILE|URL")
        config = _saml_parser()(_metadata_text(args.metadata, settings.sso_timeout_seconds))
    else:
        if not (args.issuer and args.client_id and args.client_secret_file):
            raise providers.ProviderRefused(
                "--oidc needs --issuer, --client-id and --client-secret-file"
            )
        secret = args.client_secret_file.read_text(encoding="utf-8").strip()
    await apply_migrations(settings.database_url, settings.secret_key)
    await open_database(settings.database_url)
    try:
        company = await Company.get_or_none(name=args.company)
        if company is None:
            raise providers.ProviderRefused(f"no company named {args.company!r}")
        if args.saml:
            return await providers.add_saml(
                company,
                config,
                now,
                name=args.name,
                allow_acr=tuple(args.allow_acr),
                native_redirect_uri=args.native_redirect,
            )
        registration = providers.OidcRegistration(
            issuer=args.issuer,
            client_id=args.client_id,
            client_secret=secret,
            allow_acr=tuple(args.allow_acr),
            allow_amr=tuple(args.allow_amr),
            native_redirect_uri=args.native_redirect,
            name=args.name,
        )
        return await providers.add_oidc(company, registration, settings.secret_key, now)
    finally:
        await close_database()


def _list(_: argparse.Namespace) -> int:
    lines = asyncio.run(list_providers(settings_from_environment()))
    print("\n".join(lines) if lines else "no identity providers: add one with `twofold sso add`")
    return 0


async def list_providers(settings: Settings) -> list[str]:
    """One line per provider: id, kind, company, issuer, allowlists."""
    await open_database(settings.database_url)
    try:
        rows = await providers.all_providers()
    finally:
        await close_database()
    return [
        f"{p.id}  {p.kind.value}  {p.company.name}  {p.issuer}"
        f"  acr=[{p.allowed_acr}] amr=[{p.allowed_amr}]"
        for p in rows
    ]


def _remove(args: argparse.Namespace) -> int:
    removed = asyncio.run(remove_provider(settings_from_environment(), args.id))
    if not removed:
        return _fail(f"no identity provider {args.id}")
    print(f"removed identity provider {args.id}")
    return 0


async def remove_provider(settings: Settings, provider_id: UUID) -> bool:
    await open_database(settings.database_url)
    try:
        return await providers.remove(provider_id)
    finally:
        await close_database()
