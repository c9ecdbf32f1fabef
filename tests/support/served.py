"""A real `twofold serve` process on a loopback port, configured only by its environment.

The MessageBird SDK in that process sends HTTP to the stand-in; email goes over SMTP to the
local server; the database is the suite's (SQLite file or PostgreSQL). Everything the process
writes, stdout and stderr, lands in one log file that a test can read once it has stopped.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.support.constants import SECRET_KEY
from tests.support.mailbox import Mailbox
from tests.support.messagebird_standin import ACCESS_KEY, MessageBirdStandIn


def twofold_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "graph.cli", *args]


def run_twofold(env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """One `twofold` command run to its end, as an operator runs it; its output as text."""
    return subprocess.run(
        twofold_command(*args), env=env, cwd=cwd, capture_output=True, text=True, timeout=60
    )


def server_environment(
    database_url: str, messagebird: MessageBirdStandIn, mailbox: Mailbox
) -> dict[str, str]:
    messagebird.reset()
    mailbox.reset()
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "TWOFOLD_SECRET_KEY": SECRET_KEY,
        "MESSAGEBIRD_ACCESS_KEY": ACCESS_KEY,
        "MESSAGEBIRD_ENDPOINT": messagebird.endpoint,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(mailbox.port),
        "SMTP_STARTTLS": "false",
    }


@dataclass(frozen=True)
class ServedProcess:
    """A running `twofold serve`: its base URL, its log file, and its pid (for its memory)."""

    base: str
    log: Path
    pid: int


def free_port() -> int:
    """A loopback port free now, for a server whose settings must name its port in advance."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serve(env: dict[str, str], cwd: Path, port: int | None = None) -> Iterator[ServedProcess]:
    """Start `twofold serve` (on a free port unless told), wait until it answers, and stop it
    (SIGTERM) on leaving."""
    port = port or free_port()
    log_path = cwd / "serve.log"
    # A file, not a pipe: an unread pipe fills up and blocks the server's logging.
    with log_path.open("w") as log:
        process = subprocess.Popen(
            twofold_command("serve", "--host", "127.0.0.1", "--port", str(port)),
            env=env,
            cwd=cwd,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                assert process.poll() is None, log_path.read_text()
                try:
                    if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            else:
                pytest.fail("twofold serve did not come up in 30 s")
            yield ServedProcess(base, log_path, process.pid)
        finally:
            process.terminate()
            process.wait(timeout=10)


def post(
    base: str,
    query: str,
    variables: dict | None = None,
    token: str | None = None,
    seen: list[str] | None = None,
) -> dict:
    """The `data` of a GraphQL POST to a served process; no top-level errors, no caching.
    The answer's request id is appended to `seen` when given."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = httpx.post(
        f"{base}/graphql",
        json={"query": query, "variables": variables or {}},
        headers=headers,
        timeout=10,
    )
    if seen is not None:
        seen.append(response.headers["x-request-id"])
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert "errors" not in body, body
    return dict(body["data"])
