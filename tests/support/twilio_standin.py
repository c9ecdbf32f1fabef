"""A local HTTP server that speaks Twilio's REST contract for sending a message:
`POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, form-encoded, HTTP Basic auth with the
account SID and auth token, `201 Created` with the message resource, and Twilio's error JSON
(`code`, `message`, `more_info`, `status`) otherwise.

The real `twilio` SDK talks to it over HTTP. A test can tell it to answer 400 (21211, an
invalid number), 401 (20003), 500, or never (hang past the client's read timeout), and makes
the status callbacks Twilio would send, signed with the SDK's own `RequestValidator`.
"""

from __future__ import annotations

import base64
import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from twilio.request_validator import RequestValidator

ACCOUNT_SID = "AC" + "5" * 32
AUTH_TOKEN = "test_twilio_auth_token_0123456789"
FROM = "+15005550006"
MESSAGES_PATH = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"


@dataclass
class TwilioMessage:
    sid: str
    to: str
    sender: str
    body: str
    status_callback: str | None


@dataclass
class TwilioStandIn:
    """Records accepted messages; `mode` is one of ok, 400, 401, 500, hang."""

    mode: str = "ok"
    hang_seconds: float = 3.0
    messages: list[TwilioMessage] = field(default_factory=list)
    requests: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None

    @property
    def endpoint(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def reset(self) -> None:
        with self._lock:
            self.mode = "ok"
            self.messages.clear()
            self.requests = 0

    def last_code(self, phone_e164: str) -> str:
        codes = [
            word.rstrip(".")
            for m in self.messages
            if m.to == phone_e164
            for word in m.body.split()
            if word.rstrip(".").isdigit() and len(word.rstrip(".")) == 6
        ]
        assert codes, f"no code was texted to {phone_e164} through Twilio"
        return codes[-1]

    def status_callback(
        self, message: TwilioMessage, status: str, token: str = AUTH_TOKEN
    ) -> tuple[str, dict[str, str], dict[str, str]]:
        """The path with query, form fields and headers of Twilio's status callback for
        `message`, signed as Twilio signs it (HMAC-SHA1 of the URL and sorted fields)."""
        assert message.status_callback, "the message asked for no status callback"
        fields = {
            "AccountSid": ACCOUNT_SID,
            "ApiVersion": "2010-04-01",
            "From": message.sender,
            "MessageSid": message.sid,
            "MessageStatus": status,
            "SmsSid": message.sid,
            "SmsStatus": status,
            "To": message.to,
        }
        if status in ("undelivered", "failed"):
            fields["ErrorCode"] = "30003"  # Unreachable destination handset
        signature = RequestValidator(token).compute_signature(message.status_callback, fields)
        parts = urlsplit(message.status_callback)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        return path, fields, {"X-Twilio-Signature": signature}

    def start(self) -> None:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                raw = self.rfile.read(length).decode()
                with standin._lock:
                    standin.requests += 1
                    mode = standin.mode
                if mode == "hang":
                    time.sleep(standin.hang_seconds)
                    return
                expected = base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
                if mode == "401" or self.headers.get("Authorization") != f"Basic {expected}":
                    self._error(401, 20003, "Authenticate")
                    return
                if mode == "500":
                    self._error(500, 20500, "Internal Server Error")
                    return
                if self.path != MESSAGES_PATH:
                    self._error(404, 20404, "The requested resource was not found")
                    return
                form = dict(parse_qsl(raw))
                to = form.get("To", "")
                if mode == "400" or not to.startswith("+") or not form.get("Body"):
                    self._error(400, 21211, f"The 'To' number {to} is not a valid phone number.")
                    return
                message = TwilioMessage(
                    "SM" + uuid.uuid4().hex,
                    to,
                    form.get("From", ""),
                    form["Body"],
                    form.get("StatusCallback"),
                )
                with standin._lock:
                    standin.messages.append(message)
                self._reply(201, _message_resource(message))

            def _error(self, status: int, code: int, message: str) -> None:
                more_info = f"https://www.twilio.com/docs/errors/{code}"
                self._reply(
                    status,
                    {"code": code, "message": message, "more_info": more_info, "status": status},
                )

            def _reply(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()


def _message_resource(message: TwilioMessage) -> dict[str, Any]:
    """A message resource shaped like Twilio's documented `201 Created` answer."""
    now = format_datetime(datetime.now(UTC), usegmt=True)
    uri = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{message.sid}.json"
    return {
        "account_sid": ACCOUNT_SID,
        "api_version": "2010-04-01",
        "body": message.body,
        "date_created": now,
        "date_sent": None,
        "date_updated": now,
        "direction": "outbound-api",
        "error_code": None,
        "error_message": None,
        "from": message.sender,
        "messaging_service_sid": None,
        "num_media": "0",
        "num_segments": "1",
        "price": None,
        "price_unit": "USD",
        "sid": message.sid,
        "status": "queued",
        "subresource_uris": {"media": uri.replace(".json", "/Media.json")},
        "to": message.to,
        "uri": uri,
    }
