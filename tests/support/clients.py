"""HTTP clients on the app under test, each a separate device: its own cookie jar and, where a
test needs it, its own network address."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from starlette.types import ASGIApp

PEER = "203.0.113.7"
"""The address the test transport connects from, unless told otherwise."""

HttpFactory = Callable[[], httpx.AsyncClient]
"""The `new_http` fixture: each call is a new client on the app, from PEER."""

PeerHttpFactory = Callable[..., httpx.AsyncClient]
"""`running_app`'s factory: like HttpFactory, optionally from another address (`peer=`)."""


def from_address(app: ASGIApp, address: str = PEER) -> httpx.AsyncClient:
    """A new client on `app` whose requests come from `address`."""
    transport = httpx.ASGITransport(app=app, client=(address, 50000))
    return httpx.AsyncClient(transport=transport, base_url="https://testserver")
