"""Posting a signed webhook delivery to an endpoint, over an async HTTP client."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Protocol

import httpx


class WebhookDeliveryError(Exception):
    """The endpoint could not be reached or did not answer in time."""


class WebhookSender(Protocol):
    async def post(self, url: str, headers: Mapping[str, str], body: bytes) -> int:
        """POST `body` and return the answer's status, or raise `WebhookDeliveryError`."""


class HttpWebhooks:
    """httpx on the event loop, one short timeout per call. Redirects are not followed (a
    3xx counts as not delivered) and the answer's body is never read."""

    def __init__(self, timeout: float = 5.0) -> None:
        self.timeout = timeout

    async def post(self, url: str, headers: Mapping[str, str], body: bytes) -> int:
        try:
            # httpx's timeout holds per phase (connect, each read): the outer one bounds the
            # whole call, so a receiver trickling its answer cannot hold a sender longer.
            async with (
                asyncio.timeout(self.timeout),
                httpx.AsyncClient(timeout=self.timeout, follow_redirects=False) as client,
                client.stream("POST", url, content=body, headers=dict(headers)) as response,
            ):
                return response.status_code
        except (httpx.TimeoutException, TimeoutError) as error:
            raise WebhookDeliveryError(f"no answer within {self.timeout:g} s") from error
        except httpx.HTTPError as error:
            raise WebhookDeliveryError(f"{type(error).__name__}: {error}") from error
