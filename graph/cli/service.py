"""`twofold service create|list|revoke`: the credentials other services introspect with."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from domain import service_clients
from domain.runtime import RequestMeta, Runtime
from domain.settings import Settings
from graph.cli.settings import settings_from_environment
from graph.startup.db import close_database, open_database
from graph.startup.wiring import build_providers


def register(subparsers: Any) -> None:
    service = subparsers.add_parser(
        "service", help="create, list or revoke service credentials (client_secret_basic)"
    )
    actions = service.add_subparsers(dest="service_command", required=True)
    create = actions.add_parser("create", help="print a new client_id and client_secret once")
    create.add_argument("name")
    create.set_defaults(handler=_create)
    listing = actions.add_parser("list", help="client_id, name, created, revoked")
    listing.set_defaults(handler=_list)
    revoke = actions.add_parser("revoke", help="the credential stops working at once")
    revoke.add_argument("client_id")
    revoke.set_defaults(handler=_revoke)


async def _run(settings: Settings, args: argparse.Namespace) -> tuple[int, list[str]]:
    providers = build_providers(settings)
    runtime = Runtime(settings, providers, RequestMeta("-", "twofold service"))
    await open_database(settings.database_url)
    try:
        if args.service_command == "create":
            created = await service_clients.create(args.name, runtime)
            # Printed, never logged: the secret is kept only as a keyed hash from here on.
            return 0, [
                f"client_id={created.client.client_id}",
                f"client_secret={created.client_secret}",
                "the secret is shown only now: store it in the service's secret store",
            ]
        if args.service_command == "list":
            return 0, [
                f"{c.client_id} {c.name!r} created={c.created_at:%Y-%m-%dT%H:%M:%SZ} "
                + (f"revoked={c.revoked_at:%Y-%m-%dT%H:%M:%SZ}" if c.revoked_at else "active")
                for c in await service_clients.listed()
            ]
        if await service_clients.revoke(args.client_id, runtime):
            return 0, [f"revoked {args.client_id}"]
        return 1, []
    finally:
        await close_database()
        providers.close()


def _handle(args: argparse.Namespace) -> int:

    status, lines = asyncio.run(_run(settings_from_environment(), args))
    if status and args.service_command == "revoke":
        print(f"twofold: no active service credential {args.client_id}", file=sys.stderr)
    elif lines:
        print("\n".join(lines))
    elif args.service_command == "list":
        print("no service credentials")
    return status


_create = _list = _revoke = _handle
