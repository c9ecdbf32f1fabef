"""The `iss` of Twofold's access tokens and the base of its metadata's URLs."""

from __future__ import annotations

from starlette.requests import Request

from domain.settings import Settings


def issuer(settings: Settings, request: Request) -> str:
    """PUBLIC_URL; unset (development), the server's own address as this request reached it.
    Behind a proxy that changes the scheme or host, set PUBLIC_URL."""
    if settings.public_url:
        return settings.public_url
    return str(request.base_url).rstrip("/")
