"""SMS through Twilio's Programmable Messaging API with the official `twilio` SDK.

Like MessageBird's, the SDK's client is synchronous: it runs in a bounded thread pool, on a
pooled `requests` session with a connect/read timeout (TwilioHttpClient's own). Its REST domain
is pointed at TWILIO_ENDPOINT, so tests reach a local stand-in that speaks Twilio's contract.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlencode

import requests
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from providers.sms import SmsDeliveryError

logger = logging.getLogger("twofold.sms")


class ForgetfulHttpClient(TwilioHttpClient):  # type: ignore[misc]
    """TwilioHttpClient that does not keep the last request and answer: the SDK holds both for
    its own tests, and the request's body is the text with its code."""

    def request(self, *args: Any, **kwargs: Any) -> Response:
        try:
            return super().request(*args, **kwargs)
        finally:
            self._test_only_last_request = None
            self._test_only_last_response = None


class TwilioSms:
    """Sends texts with `Client.messages.create` in worker threads."""

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        sender: str,
        endpoint: str,
        timeout: float = 10.0,
        max_workers: int = 8,
        status_url: str | None = None,
    ) -> None:
        self._http = ForgetfulHttpClient(timeout=timeout)
        self._client = Client(account_sid, auth_token, http_client=self._http)
        # Every API call of the messages resource builds its URL from this domain's base.
        self._client.api.base_url = endpoint.rstrip("/")
        self._sender = sender
        self._status_url = status_url
        self._executor = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="twilio")

    async def send(self, phone_e164: str, body: str, reference: str | None = None) -> None:
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(
                self._executor, self._send_blocking, phone_e164, body, reference
            )
        except TwilioRestException as exc:
            logger.warning("Twilio refused the message: status %s code %s", exc.status, exc.code)
            raise SmsDeliveryError("the SMS provider refused the message") from exc
        except (TwilioException, requests.RequestException, ValueError) as exc:
            logger.warning("Twilio request failed: %s", type(exc).__name__)
            raise SmsDeliveryError("the SMS provider did not answer") from exc

    def _send_blocking(self, phone_e164: str, body: str, reference: str | None) -> None:
        # With a reference and a status URL, Twilio reports each status change there; the
        # reference rides in the callback's query string, which Twilio signs with the rest.
        if reference is not None and self._status_url is not None:
            callback = f"{self._status_url}?{urlencode({'reference': reference})}"
            self._client.messages.create(
                to=phone_e164, from_=self._sender, body=body, status_callback=callback
            )
        else:
            self._client.messages.create(to=phone_e164, from_=self._sender, body=body)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
        if self._http.session is not None:
            self._http.session.close()
