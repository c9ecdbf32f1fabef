"""SMS through MessageBird's REST API with the official `messagebird` SDK.

The SDK is synchronous and its HTTP client has no timeouts, so Twofold gives it one of its own
(a pooled `requests` session with connect/read timeouts) and runs it in a bounded thread pool.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urljoin

import messagebird
import requests
from messagebird.client import ErrorException
from messagebird.serde import json_serialize

from providers.sms import SmsDeliveryError

logger = logging.getLogger("twofold.sms")

_SUPPORTED_STATUSES = {200, 201, 204, 401, 404, 405, 422}


class TimeoutHttpClient:
    """Drop-in for `messagebird.http_client.HttpClient` with a pooled session and timeouts."""

    def __init__(self, endpoint: str, access_key: str, timeout: float, pool_size: int) -> None:
        self.endpoint = endpoint.rstrip("/") + "/"
        self.access_key = access_key
        self.timeout = (timeout, timeout)
        self.session = requests.Session()
        adapter = requests.adapters.HTTPAdapter(pool_connections=1, pool_maxsize=pool_size)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def request(
        self, path: str, method: str = "GET", params: Any = None, format: Any = None
    ) -> str:
        headers = {
            "Accept": "application/json",
            "Authorization": "AccessKey " + self.access_key,
            "User-Agent": "Twofold (messagebird-python)",
            "Content-Type": "application/json; charset=UTF-8",
        }
        url = urljoin(self.endpoint, path)
        if method == "GET":
            response = self.session.get(url, headers=headers, params=params, timeout=self.timeout)
        else:
            response = self.session.request(
                method,
                url,
                headers=headers,
                data=json_serialize(params or {}),
                timeout=self.timeout,
            )
        if response.status_code not in _SUPPORTED_STATUSES:
            response.raise_for_status()
        return response.text

    def close(self) -> None:
        self.session.close()


class MessageBirdSms:
    """Sends texts with `messagebird.Client.message_create` in worker threads."""

    def __init__(
        self,
        access_key: str,
        originator: str,
        endpoint: str,
        timeout: float = 10.0,
        max_workers: int = 8,
        report_url: str | None = None,
    ) -> None:
        self._http = TimeoutHttpClient(endpoint, access_key, timeout, pool_size=max_workers)
        self._client = messagebird.Client(access_key, http_client=self._http)
        self._originator = originator
        self._report_url = report_url
        self._executor = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="sms")

    async def send(self, phone_e164: str, body: str, reference: str | None = None) -> None:
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(
                self._executor, self._send_blocking, phone_e164, body, reference
            )
        except ErrorException as exc:
            codes = [getattr(error, "code", None) for error in exc.errors]
            logger.warning("MessageBird refused the message: error codes %s", codes)
            raise SmsDeliveryError("the SMS provider refused the message") from exc
        except (requests.RequestException, ValueError) as exc:
            logger.warning("MessageBird request failed: %s", type(exc).__name__)
            raise SmsDeliveryError("the SMS provider did not answer") from exc

    def _send_blocking(self, phone_e164: str, body: str, reference: str | None) -> None:
        # With a reference and a report URL, MessageBird reports each status change there.
        params = {}
        if reference is not None and self._report_url is not None:
            params = {"reference": reference, "reportUrl": self._report_url}
        # MessageBird takes the number without the leading '+'.
        self._client.message_create(self._originator, [phone_e164.lstrip("+")], body, params)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._http.close()
