"""`/webhooks/twilio/status`: Twilio's message status callbacks, signed.

Each callback is a form POST carrying `X-Twilio-Signature`, checked with the SDK's
`RequestValidator` and TWILIO_AUTH_TOKEN over the URL Twilio called (PUBLIC_URL, the path and
the query string with the text's `reference`) and the form's fields. A callback that is
unsigned, signed with another token, for another URL or fields, for another account, or already
accepted (the same message and status) answers 401 and changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from twilio.request_validator import RequestValidator

from domain import delivery_reports
from domain.runtime import RequestMeta, Runtime
from domain.settings import TWILIO_STATUS_PATH, Settings, SettingsError
from providers.registry import Providers

logger = logging.getLogger("twofold.sms")

SIGNATURE_HEADER = "X-Twilio-Signature"
# Twilio's message statuses in the words of the delivery records (models/sms_delivery.py).
STATUSES = {
    "accepted": "scheduled",
    "scheduled": "scheduled",
    "queued": "scheduled",
    "sending": "sent",
    "sent": "sent",
    "delivered": "delivered",
    "read": "delivered",
    "undelivered": "delivery_failed",
    "failed": "delivery_failed",
}
# Twilio sends no token id: a message's status is accepted once, remembered this long.
REPLAY_MEMORY = timedelta(days=2)

__all__ = ["SIGNATURE_HEADER", "TWILIO_STATUS_PATH", "status_callback_endpoint"]


def _refused(reason: str) -> Response:
    logger.warning("Twilio status callback refused: %s", reason)
    return JSONResponse({"error": "invalid signature"}, status_code=401)


def status_callback_endpoint(
    settings: Settings, providers: Providers
) -> Callable[[Request], Awaitable[Response]]:
    if not settings.public_url or not settings.twilio_auth_token:
        raise SettingsError("TWILIO_AUTH_TOKEN is required for Twilio's status callbacks")
    validator = RequestValidator(settings.twilio_auth_token)

    async def callback(request: Request) -> Response:
        signature = request.headers.get(SIGNATURE_HEADER, "")
        if not signature:
            return _refused("unsigned")
        body = (await request.body()).decode("utf-8", "replace")
        fields = dict(parse_qsl(body, keep_blank_values=True))
        url = settings.public_url + request.url.path
        if request.url.query:
            url += "?" + request.url.query
        if not validator.validate(url, fields, signature):
            return _refused("signature does not match")
        if fields.get("AccountSid") != settings.twilio_account_sid:
            return _refused("another account")
        message_sid, twilio_status = fields.get("MessageSid", ""), fields.get("MessageStatus", "")
        if not message_sid or len(message_sid) > 64 or len(twilio_status) > 32:
            return _refused("no message id")
        runtime = Runtime(settings, providers, RequestMeta("-", "twilio"))
        report = delivery_reports.Report(
            token_id=f"twilio:{message_sid}:{twilio_status}",
            token_expires_at=runtime.now() + REPLAY_MEMORY,
            reference=dict(parse_qsl(request.url.query)).get("reference", ""),
            status=STATUSES.get(twilio_status, twilio_status),
            status_at=None,
            provider="twilio",
        )
        if not await delivery_reports.accept(report, runtime):
            return _refused("already accepted")
        return JSONResponse({"status": "ok"})

    return callback
