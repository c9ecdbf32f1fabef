"""The app built with other settings than the suite's, on the suite's database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any

import httpx
from tortoise.contrib.test import truncate_all_models

from domain.settings import Settings
from graph.http.app import create_app
from providers.registry import Providers
from tests.support.clients import PEER, PeerHttpFactory, from_address
from tests.support.mailbox import Mailbox
from tests.support.messagebird_standin import MessageBirdStandIn


@asynccontextmanager
async def running_app(
    settings: Settings,
    providers: Providers,
    messagebird: MessageBirdStandIn,
    mailbox: Mailbox,
    **overrides: Any,
) -> AsyncIterator[PeerHttpFactory]:
    """Yields a factory of HTTP clients (optionally from another peer address) on the app.

    The database is emptied first; use it instead of the `app` fixture, whose lifespan would
    close the database under this one.
    """
    app = create_app(replace(settings, **overrides), providers, migrate=False)
    async with app.router.lifespan_context(app):
        await truncate_all_models()
        messagebird.reset()
        mailbox.reset()

        def make(peer: str = PEER) -> httpx.AsyncClient:
            return from_address(app, peer)

        yield make
