"""Talking to OpenID Connect providers: discovery, their keys, the token endpoint.

Async httpx, one short timeout per call, redirects never followed. Discovery documents and
key sets are cached per URL for an hour; a key set is fetched again when a token names a key
it does not hold (the provider rotated its keys), at most once a minute.
"""

from __future__ import annotations

import time
from typing import Any, Protocol

import httpx

_FRESH_SECONDS = 3600.0
_REFETCH_SECONDS = 60.0
_MAX_BYTES = 512 * 1024


class OidcUnavailable(Exception):
    """The provider could not be reached, answered too slowly, or answered nonsense."""


class OidcHttp(Protocol):
    async def discovery(self, issuer: str) -> dict[str, Any]:
        """`{issuer}/.well-known/openid-configuration`, cached."""

    async def jwks(self, url: str, *, refresh: bool = False) -> dict[str, Any]:
        """The key set at `url`, cached; `refresh` fetches it again unless just fetched."""

    async def token(
        self, endpoint: str, form: dict[str, str], client_id: str, client_secret: str
    ) -> tuple[int, dict[str, Any]]:
        """POST the authorization code grant (client_secret_basic): status and JSON body."""


class HttpOidc:
    def __init__(self, timeout: float = 5.0) -> None:
        self.timeout = timeout
        self._cache: dict[str, tuple[float, dict[str, Any]]] = {}

    async def discovery(self, issuer: str) -> dict[str, Any]:
        return await self._cached(issuer.rstrip("/") + "/.well-known/openid-configuration")

    async def jwks(self, url: str, *, refresh: bool = False) -> dict[str, Any]:
        if refresh:
            held = self._cache.get(url)
            if held is None or time.monotonic() - held[0] >= _REFETCH_SECONDS:
                self._cache.pop(url, None)
        return await self._cached(url)

    async def token(
        self, endpoint: str, form: dict[str, str], client_id: str, client_secret: str
    ) -> tuple[int, dict[str, Any]]:
        try:
            async with httpx.AsyncClient(timeout=self.timeout, follow_redirects=False) as client:
                response = await client.post(
                    endpoint,
                    data=form,
                    auth=(client_id, client_secret),
                    headers={"Accept": "application/json"},
                )
            return response.status_code, _json(response)
        except httpx.HTTPError as error:
            raise OidcUnavailable(f"{type(error).__name__}: {error}") from error

    async def _cached(self, url: str) -> dict[str, Any]:
        held = self._cache.get(url)
        if held is not None and time.monotonic() - held[0] < _FRESH_SECONDS:
            return held[1]
        try:
            async with httpx.AsyncClient(timeout=self.timeout, follow_redirects=False) as client:
                response = await client.get(url, headers={"Accept": "application/json"})
        except httpx.HTTPError as error:
            raise OidcUnavailable(f"{type(error).__name__}: {error}") from error
        if response.status_code != 200:
            raise OidcUnavailable(f"{url} answered {response.status_code}")
        body = _json(response)
        self._cache[url] = (time.monotonic(), body)
        return body


def _json(response: httpx.Response) -> dict[str, Any]:
    if len(response.content) > _MAX_BYTES:
        raise OidcUnavailable("the answer is too large")
    try:
        body = response.json()
    except ValueError as error:
        raise OidcUnavailable("the answer is not JSON") from error
    if not isinstance(body, dict):
        raise OidcUnavailable("the answer is not a JSON object")
    return body
