"""`twofold mfa-reset list|approve ID`: the operator sees the MFA reset requests waiting for a
second admin, and may approve one as that second person (audited, actor `operator`)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from domain import admin_requests
from domain.admin_requests import Refusal
from domain.runtime import RequestMeta, Runtime
from domain.settings import Settings
from graph.cli.settings import settings_from_environment
from graph.startup.db import close_database, open_database
from graph.startup.wiring import build_providers
from models.admin_request import AdminRequest, AdminRequestKind

_WHY = {
    Refusal.NOT_FOUND: "no MFA reset request",
    Refusal.EXPIRED: "expired MFA reset request",
    Refusal.ALREADY_APPROVED: "already approved MFA reset request",
}


def register(subparsers: Any) -> None:
    group = subparsers.add_parser(
        "mfa-reset", help="list or approve MFA reset requests waiting for a second admin"
    )
    actions = group.add_subparsers(dest="mfa_reset_command", required=True)
    listing = actions.add_parser("list", help="id, company, user, requested by, expires")
    listing.set_defaults(handler=_handle)
    approve = actions.add_parser("approve", help="approve as the second person: the reset happens")
    approve.add_argument("id")
    approve.set_defaults(handler=_handle)


async def _run(settings: Settings, args: argparse.Namespace) -> tuple[int, list[str]]:
    providers = build_providers(settings)
    runtime = Runtime(settings, providers, RequestMeta("-", "twofold mfa-reset"))
    await open_database(settings.database_url)
    try:
        if args.mfa_reset_command == "list":
            waiting = await admin_requests.pending(runtime, kind=AdminRequestKind.MFA_RESET)
            return 0, [
                f"{r.id} company={r.company.name!r} user={r.target.email} "
                f"requested_by={r.requester.email if r.requester else '-'} "
                f"expires={r.expires_at:%Y-%m-%dT%H:%M:%SZ}"
                for r in waiting
            ]
        outcome = await admin_requests.approve(
            runtime, args.id, AdminRequestKind.MFA_RESET, approver=None
        )
        if isinstance(outcome, AdminRequest):
            return 0, [f"approved {outcome.id}: the user's MFA was reset"]
        return 1, [f"twofold: {_WHY[outcome]} {args.id}"]
    finally:
        await close_database()
        providers.close()


def _handle(args: argparse.Namespace) -> int:
    status, lines = asyncio.run(_run(settings_from_environment(), args))
    if status:
        print("\n".join(lines), file=sys.stderr)
    elif lines:
        print("\n".join(lines))
    else:
        print("no MFA reset requests waiting")
    return status
