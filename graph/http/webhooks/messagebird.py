"""`/webhooks/messagebird/status`: MessageBird's SMS delivery reports, signed.

Each report carries a `MessageBird-Signature-JWT` header, checked with the SDK's
`RequestValidator` and MESSAGEBIRD_SIGNING_KEY: issuer MessageBird, not before / expiry, the
SHA-256 of the URL MessageBird called (PUBLIC_URL, the path and the query string as sent) and
of the body. A report that is unsigned, signed with another key, for another URL or body,
expired, or whose token (`jti`) was already used answers 401 and changes nothing.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

from messagebird.error import ValidationError
from messagebird.request_validator import RequestValidator
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from domain import delivery_reports
from domain.runtime import RequestMeta, Runtime
from domain.settings import DELIVERY_REPORT_PATH, Settings, SettingsError
from providers.registry import Providers

logger = logging.getLogger("twofold.sms")

SIGNATURE_HEADER = "MessageBird-Signature-JWT"

__all__ = ["DELIVERY_REPORT_PATH", "SIGNATURE_HEADER", "delivery_report_endpoint"]


def _refused(reason: str) -> Response:
    logger.warning("delivery report refused: %s", reason)
    return JSONResponse({"error": "invalid signature"}, status_code=401)


def _fields(query: str, body: bytes, content_type: str) -> dict[str, str]:
    """The report's fields: the query string (MessageBird's GET reports), a form or JSON body."""
    fields = dict(parse_qsl(query))
    if body and content_type.startswith("application/json"):
        try:
            parsed = json.loads(body)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):
            fields.update({k: str(v) for k, v in parsed.items() if isinstance(v, str | int)})
    elif body:
        fields.update(parse_qsl(body.decode("utf-8", "replace")))
    return fields


def delivery_report_endpoint(
    settings: Settings, providers: Providers
) -> Callable[[Request], Awaitable[Response]]:
    if not settings.public_url or not settings.messagebird_signing_key:
        raise SettingsError("MESSAGEBIRD_SIGNING_KEY is required with PUBLIC_URL")
    validator = RequestValidator(settings.messagebird_signing_key)

    async def report(request: Request) -> Response:
        signature = request.headers.get(SIGNATURE_HEADER, "")
        if not signature:
            return _refused("unsigned")
        body = await request.body()
        url = settings.public_url + request.url.path
        if request.url.query:
            url += "?" + request.url.query
        try:
            claims: dict[str, Any] = validator.validate_signature(signature, url, body)
        except ValidationError as refused:
            return _refused(str(refused))
        token_id = claims.get("jti")
        if not isinstance(token_id, str) or not token_id or len(token_id) > 128:
            return _refused("no token id")
        fields = _fields(request.url.query, body, request.headers.get("content-type", ""))
        accepted = delivery_reports.Report(
            token_id=token_id,
            token_expires_at=datetime.fromtimestamp(int(claims["exp"]), UTC),
            reference=fields.get("reference", ""),
            status=fields.get("status", ""),
            status_at=delivery_reports.parse_time(fields.get("statusDatetime")),
        )
        runtime = Runtime(settings, providers, RequestMeta("-", "messagebird"))
        if not await delivery_reports.accept(accepted, runtime):
            return _refused("token already used")
        return JSONResponse({"status": "ok"})

    return report
