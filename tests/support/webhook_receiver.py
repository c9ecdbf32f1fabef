"""A local HTTP server receiving security webhooks, as the payments service would.

Every delivery is checked with the `standardwebhooks` package: `verified` is the receiver's own
`Webhook(secret).verify(body, headers)` (which also holds the timestamp to five minutes of the
real time), `signature_ok` the signature alone (for attempts a test made days ahead on a moved
clock). `answers` scripts the next replies: a status code, "hang" to stay silent past the
sender's timeout, or "trickle" to send a 200 a byte at a time, each byte within the timeout but
the whole far past it; once it runs out every delivery gets 200.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from standardwebhooks import Webhook, WebhookVerificationError


@dataclass(frozen=True)
class Received:
    headers: dict[str, str]
    body: bytes
    answered: int | str
    verified: bool
    signature_ok: bool

    @property
    def webhook_id(self) -> str:
        return self.headers["webhook-id"]

    @property
    def event(self) -> dict[str, Any]:
        return dict(json.loads(self.body))


@dataclass
class WebhookReceiver:
    secret: str = ""
    answers: list[int | str] = field(default_factory=list)
    hang_seconds: float = 2.0
    received: list[Received] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/hooks/twofold"

    def reset(self) -> None:
        with self._lock:
            self.secret = ""
            self.answers.clear()
            self.received.clear()

    def accepted(self) -> list[Received]:
        """Deliveries answered 2xx, oldest first."""
        return [r for r in self.received if isinstance(r.answered, int) and r.answered < 300]

    def events(self, event_type: str) -> list[Received]:
        return [r for r in self.accepted() if r.event["type"] == event_type]

    def _check(self, headers: dict[str, str], body: bytes) -> tuple[bool, bool]:
        hook = Webhook(self.secret)
        try:
            hook.verify(body, headers)
            verified = True
        except WebhookVerificationError:
            verified = False
        stamp = datetime.fromtimestamp(int(headers.get("webhook-timestamp", "0")), UTC)
        expected = hook.sign(headers.get("webhook-id", ""), stamp, body)
        return verified, expected in headers.get("webhook-signature", "").split(" ")

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                headers = {k.lower(): v for k, v in self.headers.items()}
                with receiver._lock:
                    answer = receiver.answers.pop(0) if receiver.answers else 200
                    verified, signature_ok = receiver._check(headers, body)
                    receiver.received.append(
                        Received(headers, body, answer, verified, signature_ok)
                    )
                if answer == "hang":
                    time.sleep(receiver.hang_seconds)
                    return
                if answer == "trickle":
                    for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n":
                        time.sleep(receiver.hang_seconds / 20)
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                    return
                self.send_response(int(answer))
                self.send_header("Content-Length", "0")
                self.end_headers()

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    """A receiver of this test's own on a loopback port."""
    own = WebhookReceiver()
    own.start()
    yield own
    own.stop()
