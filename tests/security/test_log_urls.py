"""Secrets in URLs stay out of the log: a real `twofold serve` writes one access line per
request with method, path, status and duration, never a query string, and every record it
logs can be formatted (ASVS 16.2; review finding 9)."""

from __future__ import annotations

import logging
import re
import socket
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.types import Receive, Scope, Send

from graph.context import SESSION_COOKIE
from graph.http.access_log import AccessLog
from tests.support import documents as doc
from tests.support.mailbox import Mailbox
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.served import serve, server_environment

PASSWORD_IN_URL = "correct-horse-battery"
# Only the digits 7-9, so no port, year or time of day in the log can contain a run of it.
ACCESS_TOKEN = "978798879789"
SECRET_QUERY = {
    "query": "{ viewer { email } }",
    "password": PASSWORD_IN_URL,
    "access_token": ACCESS_TOKEN,
}
PASSWORD_IN_BODY = "vZ8-qK2x-Lr7w-3Np-logged"
ACCESS_LINE = re.compile(
    r"twofold\.access \[(?P<request_id>[^\]]+)\] (?P<client>\S+) \"(?P<method>[A-Z]+) (?P<path>\S+)\" "
    r"(?P<status>\d{3}) (?P<ms>\d+\.\d)ms$"
)


def _token_runs() -> set[str]:
    """Every run of five digits of the access token: a partial redaction leaves one."""
    return {ACCESS_TOKEN[i : i + 5] for i in range(len(ACCESS_TOKEN) - 4)}


def _malformed_request(base: str) -> bytes:
    """An HTTP request with the secrets in its URL that the server's parser rejects."""
    host, port = base.removeprefix("http://").split(":")
    target = f"/graphql?password={PASSWORD_IN_URL}&access_token={ACCESS_TOKEN}"
    with socket.create_connection((host, int(port)), timeout=5) as raw:
        raw.sendall(f"GET {target} HTTP/1.1\r\nHost: {host}\r\nnot a header\r\n\r\n".encode())
        return raw.recv(1024)


@pytest.mark.server
async def test_served_requests_log_one_access_line_each_without_the_query(
    database_url: str,
    messagebird: MessageBirdStandIn,
    mailbox: Mailbox,
    tmp_path: Path,
    app: Starlette,  # empties the shared database first
) -> None:
    # given: a served process, and requests that carry secrets in their URL or body
    env = server_environment(database_url, messagebird, mailbox)
    log_in = {
        "query": doc.LOG_IN,
        "variables": {
            "input": {"email": "nobody@example.com", "password": PASSWORD_IN_BODY},
        },
    }

    # when
    with serve(env, tmp_path) as server, httpx.Client(base_url=server.base, timeout=10) as http:
        json_get = http.get("/graphql", params=SECRET_QUERY, headers={"Accept": "application/json"})
        # the GraphiQL route: Strawberry itself reads this query string
        html_get = http.get("/graphql", params=SECRET_QUERY, headers={"Accept": "text/html"})
        log_in_post = http.post("/graphql", params=SECRET_QUERY, json=log_in)
        text_post = http.post(
            "/graphql",
            params=SECRET_QUERY,
            content=doc.VIEWER,
            headers={"Content-Type": "text/plain"},
        )
        cookie_post = http.post(
            "/graphql",
            params=SECRET_QUERY,
            json={"query": doc.VIEWER},
            headers={"Cookie": f"{SESSION_COOKIE}=not-a-session"},
        )
        rejected = _malformed_request(server.base)
    log = server.log.read_text()
    lines = log.splitlines()

    # then: the requests were answered, refusals included...
    responses = [json_get, html_get, log_in_post, text_post, cookie_post]
    assert [json_get.status_code, log_in_post.status_code] == [200, 200]  # GET runs queries
    assert [text_post.status_code, cookie_post.status_code] == [415, 403]
    assert rejected.startswith(b"HTTP/1.1 400")
    # ...each one that reached the app has exactly one access line, with the path alone...
    access = [m for line in lines if (m := ACCESS_LINE.search(line)) and m["path"] == "/graphql"]
    assert [(m["client"], m["method"], m["path"], int(m["status"])) for m in access] == [
        ("127.0.0.1", r.request.method, "/graphql", r.status_code) for r in responses
    ]
    # ...naming the id its answer carried
    assert [m["request_id"] for m in access] == [r.headers["x-request-id"] for r in responses]
    # ...every record could be formatted, and no line holds a query string or a secret
    assert "--- Logging error ---" not in log
    for line in lines:
        assert "?" not in line, line
        assert "query=" not in line, line
        assert PASSWORD_IN_URL not in line, line
        assert PASSWORD_IN_BODY not in line, line
        assert not [run for run in _token_runs() if run in line], line


async def failing_app(scope: Scope, receive: Receive, send: Send) -> None:
    raise RuntimeError("the app broke before answering")


async def test_a_request_the_app_fails_still_gets_its_access_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # given: an app that fails before it answers, behind the access log
    transport = httpx.ASGITransport(
        app=AccessLog(failing_app), raise_app_exceptions=False, client=("203.0.113.7", 50000)
    )
    caplog.set_level(logging.INFO, logger="twofold.access")

    # when
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as http:
        response = await http.get("/graphql", params=SECRET_QUERY)

    # then: the server's 500, logged once, with the path alone
    assert response.status_code == 500
    lines = [r.getMessage() for r in caplog.records if r.name == "twofold.access"]
    assert len(lines) == 1
    assert ACCESS_LINE.search(f"twofold.access [-] {lines[0]}")
    assert lines[0].startswith('203.0.113.7 "GET /graphql" 500 ')
