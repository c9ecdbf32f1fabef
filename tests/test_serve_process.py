"""A real `twofold serve` process on a loopback port, configured only by its environment.

The MessageBird SDK in that process sends HTTP to the stand-in; email goes over SMTP to the
local server; the database is the suite's (SQLite file or PostgreSQL).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from tests.conftest import PASSWORD, PHONE, SECRET_KEY
from tests.support import documents as doc
from tests.support.mailbox import Mailbox
from tests.support.messagebird_standin import ACCESS_KEY, MessageBirdStandIn

pytestmark = pytest.mark.server
EMAIL = "process.payee@example.com"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _twofold(*args: str) -> list[str]:
    return [sys.executable, "-m", "graph.cli", *args]


@pytest.fixture
def server_env(
    database_url: str, messagebird: MessageBirdStandIn, mailbox: Mailbox, tmp_path: Path
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
class Served:
    """A running `twofold serve`: its base URL, and its pid for reading its memory."""

    url: str
    pid: int


@pytest.fixture
def served(server_env: dict[str, str], tmp_path: Path, app: Starlette) -> Iterator[Served]:
    # `app` empties the shared database first, so earlier tests' quotas do not carry over.
    created = subprocess.run(
        _twofold(
            "create-user",
            "--email",
            EMAIL,
            "--password",
            PASSWORD,
            "--role",
            "payee",
            "--company",
            "Process Test Co",
        ),
        env=server_env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert created.returncode == 0 or "already exists" in created.stderr, created.stderr
    port = _free_port()
    # A file, not a pipe: an unread pipe fills up and blocks the server's logging.
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(
        _twofold("serve", "--host", "127.0.0.1", "--port", str(port)),
        env=server_env,
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, (tmp_path / "serve.log").read_text()
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.1)
    else:
        pytest.fail("twofold serve did not come up in 30 s")
    yield Served(base, process.pid)
    process.terminate()
    process.wait(timeout=10)
    log.close()


@pytest.fixture
def server(served: Served) -> str:
    return served.url


def _post(base: str, query: str, variables: dict | None = None, token: str | None = None) -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = httpx.post(
        f"{base}/graphql",
        json={"query": query, "variables": variables or {}},
        headers=headers,
        timeout=10,
    )
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


async def test_native_client_enrolls_and_signs_in_against_a_served_process(
    server: str, messagebird: MessageBirdStandIn, mailbox: Mailbox
) -> None:
    # given: a payee created with the command line signs in from a mobile app
    login = {"input": {"email": EMAIL, "password": PASSWORD, "client": "NATIVE"}}
    started = _post(server, doc.LOG_IN, login)["logIn"]
    assert started["__typename"] == "MfaSetupRequired"
    pending = started["pendingToken"]
    # when: the app walks every enrollment screen
    assert _post(server, doc.START_MFA_SETUP, token=pending)["startMfaSetup"]["__typename"] == (
        "MfaMethodSelection"
    )
    _post(server, doc.CHOOSE_MFA_METHOD, {"input": {"method": "SMS"}}, pending)
    sent = _post(
        server,
        doc.SEND_SMS_CODE,
        {"input": {"countryCode": "+1", "phoneNumber": "201 555 0123"}},
        pending,
    )
    assert sent["sendSmsCode"]["__typename"] == "SmsCodeSent"
    code = messagebird.last_code(PHONE)
    issued = _post(server, doc.VERIFY_SMS_CODE, {"input": {"code": code}}, pending)
    assert issued["verifySmsCode"]["__typename"] == "RecoveryCodeIssued"
    done = _post(server, doc.CONFIRM_RECOVERY_CODE_SAVED, {"input": {"saved": True}}, pending)
    # then: a session token, a signed-in viewer, and the email at the SMTP server
    logged_in = done["confirmRecoveryCodeSaved"]
    assert logged_in["__typename"] == "LoggedIn"
    session = logged_in["sessionToken"]
    assert session and session != pending
    assert _post(server, doc.VIEWER, token=session)["viewer"]["email"] == EMAIL
    assert [m["Subject"] for m in mailbox.to(EMAIL)] == ["MFA is now enabled on your account"]
    # and the next sign-in is a challenge answered with a texted code
    challenge = _post(server, doc.LOG_IN, login)["logIn"]
    assert challenge["__typename"] == "MfaChallengeRequired"
    assert (
        _post(server, doc.SEND_LOGIN_CODE, token=challenge["pendingToken"])["sendLoginCode"][
            "__typename"
        ]
        == "SmsCodeSent"
    )
    verified = _post(
        server,
        doc.VERIFY_LOGIN_CODE,
        {"input": {"code": messagebird.last_code(PHONE)}},
        challenge["pendingToken"],
    )
    assert verified["verifyLoginCode"]["__typename"] == "LoggedIn"
    assert _post(server, doc.LOG_OUT, token=session)["logOut"]["__typename"] == "LoggedOut"
    assert _post(server, doc.VIEWER, token=session)["viewer"] is None
