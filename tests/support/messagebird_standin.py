"""A local HTTP server that speaks MessageBird's REST contract for `POST /messages`.

The real `messagebird` SDK talks to it over HTTP. A test can tell it to answer 401, 422 with
MessageBird's `errors` body, 500, or never (hang past the client's read timeout).
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlencode

import jwt

ACCESS_KEY = "test_standin_access_key"


@dataclass
class ReceivedMessage:
    originator: str
    recipients: list[str]
    body: str
    authorization: str
    reference: str | None = None
    report_url: str | None = None


@dataclass
class MessageBirdStandIn:
    """Records accepted messages; `mode` is one of ok, 401, 422, 500, hang."""

    mode: str = "ok"
    hang_seconds: float = 3.0
    messages: list[ReceivedMessage] = field(default_factory=list)
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

    def codes_for(self, phone_e164: str) -> list[str]:
        """The 6-digit codes texted to a number, oldest first."""
        digits = phone_e164.lstrip("+")
        return [
            word.rstrip(".")
            for m in self.messages
            if digits in m.recipients
            for word in m.body.split()
            if word.rstrip(".").isdigit() and len(word.rstrip(".")) == 6
        ]

    def last_code(self, phone_e164: str) -> str:
        codes = self.codes_for(phone_e164)
        assert codes, f"no code was texted to {phone_e164}"
        return codes[-1]

    def delivery_report(
        self, message: ReceivedMessage, status: str, signing_key: str
    ) -> tuple[str, dict[str, str]]:
        """The path with query and headers of MessageBird's GET status report for `message`,
        signed as MessageBird signs it (a JWT over the SHA-256 of the URL it calls)."""
        assert message.reference and message.report_url, "the text asked for no report"
        query = urlencode(
            {
                "id": uuid.uuid4().hex,
                "reference": message.reference,
                "recipient": message.recipients[0],
                "status": status,
                "statusDatetime": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00"),
            }
        )
        url = f"{message.report_url}?{query}"
        now = int(time.time())
        claims = {
            "iss": "MessageBird",
            "nbf": now,
            "exp": now + 60,
            "jti": str(uuid.uuid4()),
            "url_hash": hashlib.sha256(url.encode()).hexdigest(),
        }
        token = jwt.encode(claims, signing_key, algorithm="HS256")
        path = url.split("://", 1)[1].split("/", 1)[1]
        return f"/{path}", {"MessageBird-Signature-JWT": token}

    def start(self) -> None:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                raw = self.rfile.read(length)
                with standin._lock:
                    standin.requests += 1
                    mode = standin.mode
                if mode == "hang":
                    time.sleep(standin.hang_seconds)
                    return
                auth = self.headers.get("Authorization", "")
                if mode == "401" or auth != f"AccessKey {ACCESS_KEY}":
                    self._reply(
                        401,
                        {
                            "errors": [
                                {
                                    "code": 2,
                                    "description": "Request not allowed (incorrect access_key)",
                                    "parameter": "access_key",
                                }
                            ]
                        },
                    )
                    return
                if mode == "500":
                    self._reply(
                        500,
                        {
                            "errors": [
                                {"code": 99, "description": "Internal error", "parameter": None}
                            ]
                        },
                    )
                    return
                if self.path.rstrip("/") != "/messages":
                    self._reply(
                        404,
                        {"errors": [{"code": 20, "description": "not found", "parameter": None}]},
                    )
                    return
                payload = json.loads(raw or b"{}")
                recipients = [r for r in str(payload.get("recipients", "")).split(",") if r]
                if mode == "422" or not recipients or not payload.get("body"):
                    self._reply(
                        422,
                        {
                            "errors": [
                                {
                                    "code": 9,
                                    "description": "no (correct) recipients found",
                                    "parameter": "recipient",
                                }
                            ]
                        },
                    )
                    return
                with standin._lock:
                    standin.messages.append(
                        ReceivedMessage(
                            payload.get("originator", ""),
                            recipients,
                            payload["body"],
                            auth,
                            payload.get("reference"),
                            payload.get("reportUrl"),
                        )
                    )
                self._reply(201, _message_object(payload, recipients))

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


def _message_object(payload: dict[str, Any], recipients: list[str]) -> dict[str, Any]:
    """A message object shaped like MessageBird's documented `201 Created` answer."""
    message_id = uuid.uuid4().hex
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    return {
        "id": message_id,
        "href": f"https://rest.messagebird.com/messages/{message_id}",
        "direction": "mt",
        "type": "sms",
        "originator": payload.get("originator"),
        "body": payload.get("body"),
        "reference": payload.get("reference"),
        "validity": None,
        "gateway": 10,
        "typeDetails": {},
        "datacoding": "plain",
        "mclass": 1,
        "scheduledDatetime": None,
        "createdDatetime": now,
        "recipients": {
            "totalCount": len(recipients),
            "totalSentCount": len(recipients),
            "totalDeliveredCount": 0,
            "totalDeliveryFailedCount": 0,
            "items": [
                {"recipient": int(r), "status": "sent", "statusDatetime": now} for r in recipients
            ],
        },
    }
