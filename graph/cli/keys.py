"""`twofold keys list|rotate`: the keys that sign access tokens."""

from __future__ import annotations

import argparse
import asyncio
from datetime import datetime
from typing import Any

from domain import signing_keys
from domain.runtime import RequestMeta, Runtime
from domain.settings import Settings
from domain.signing_keys import KeyView
from graph.cli.settings import settings_from_environment
from graph.startup.db import close_database, open_database
from graph.startup.wiring import build_providers


def register(subparsers: Any) -> None:
    keys = subparsers.add_parser("keys", help="list or rotate the keys that sign access tokens")
    actions = keys.add_subparsers(dest="keys_command", required=True)
    listing = actions.add_parser("list", help="kid, state, created, signs from, published until")
    listing.set_defaults(handler=_list)
    rotate = actions.add_parser(
        "rotate", help="publish a new key; it signs after JWKS_MAX_AGE_SECONDS"
    )
    rotate.set_defaults(handler=_rotate)


def _time(at: datetime | None) -> str:
    return f"{at:%Y-%m-%dT%H:%M:%SZ}" if at else "-"


def _line(view: KeyView) -> str:
    return (
        f"{view.kid} {view.state.value} created={_time(view.created_at)} "
        f"signs_from={_time(view.signs_from)} published_until={_time(view.published_until)}"
    )


async def _with_runtime(settings: Settings, rotate: bool) -> list[str]:
    providers = build_providers(settings)
    runtime = Runtime(settings, providers, RequestMeta("-", "twofold keys"))
    await open_database(settings.database_url)
    try:
        if rotate:
            return [_line(await signing_keys.rotate(runtime))]
        return [_line(view) for view in await signing_keys.key_views(runtime)]
    finally:
        await close_database()
        providers.close()


def _list(_: argparse.Namespace) -> int:

    print("\n".join(asyncio.run(_with_runtime(settings_from_environment(), rotate=False))))
    return 0


def _rotate(_: argparse.Namespace) -> int:

    print(*asyncio.run(_with_runtime(settings_from_environment(), rotate=True)))
    return 0
