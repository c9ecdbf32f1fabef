"""Which pages may use the session cookie: the server's own origin on any host and port, and
the origins in ALLOWED_ORIGINS; CORS lets those pages send the headers clients commonly add."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from graph.context import SESSION_COOKIE
from models.enums import PayRole
from tests.support import documents as doc
from tests.support.constants import PASSWORD
from tests.support.graphql import ORIGIN, GraphQLClient
from tests.support.mailbox import Mailbox
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.served import serve, server_environment
from tests.support.users import MakeUser

EMAIL = "own.origin@example.com"
FOREIGN = "https://evil.example"
CLIENT_HEADERS = [
    "content-type",
    "x-request-id",
    "traceparent",
    "tracestate",
    "baggage",
    "apollo-require-preflight",
    "x-apollo-operation-name",
    "apollographql-client-name",
    "apollographql-client-version",
    "graphql-client-name",
    "graphql-client-version",
]


def session_cookie(response: httpx.Response) -> str:
    """The session cookie's value, read from Set-Cookie (an http:// client would not send back
    a Secure cookie; a browser does, to 127.0.0.1)."""
    for header in response.headers.get_list("set-cookie"):
        name, _, rest = header.partition("=")
        if name == SESSION_COOKIE:
            return rest.partition(";")[0]
    raise AssertionError(f"no session cookie in {response.headers}")


@pytest.mark.server
async def test_served_on_a_random_port_its_own_origin_signs_in_and_works(
    database_url: str,
    messagebird: MessageBirdStandIn,
    mailbox: Mailbox,
    tmp_path: Path,
    app: Starlette,  # empties the shared database first
    make_user: MakeUser,
) -> None:
    # given: a server on a random port, ALLOWED_ORIGINS left at its default (port 8000)
    await make_user(EMAIL, PayRole.NONE)
    env = server_environment(database_url, messagebird, mailbox)
    env.pop("ALLOWED_ORIGINS", None)
    log_in = {"input": {"email": EMAIL, "password": PASSWORD}}

    with serve(env, tmp_path) as server, httpx.Client(base_url=server.base, timeout=10) as http:
        own = {"Origin": server.base}
        # when: the page of its own origin signs in and goes on with the cookie
        signed_in = http.post("/graphql", json={"query": doc.LOG_IN, "variables": log_in})
        cookie = {"Cookie": f"{SESSION_COOKIE}={session_cookie(signed_in)}"}
        by_post = http.post("/graphql", json={"query": doc.VIEWER_EMAIL}, headers=own | cookie)
        by_get = http.get("/graphql", params={"query": doc.VIEWER_EMAIL}, headers=own | cookie)
        same_origin_get = http.get(
            "/graphql",
            params={"query": doc.VIEWER_EMAIL},
            headers={"Sec-Fetch-Site": "same-origin"} | cookie,
        )
        # ...while another origin, even on the same host, may not
        foreign = [
            http.post("/graphql", json={"query": doc.VIEWER_EMAIL}, headers=headers | cookie)
            for headers in (
                {"Origin": FOREIGN},
                {"Origin": server.base.replace("127.0.0.1", "localhost")},
                {"Origin": "http://127.0.0.1:1"},
                {},
            )
        ]
        foreign_gets = [
            http.get("/graphql", params={"query": doc.VIEWER_EMAIL}, headers=headers | cookie)
            for headers in (
                {"Origin": FOREIGN},
                {"Sec-Fetch-Site": "cross-site"},
                {"Sec-Fetch-Site": "same-site"},
                {},
            )
        ]

    # then
    assert signed_in.json()["data"]["logIn"]["__typename"] == "LoggedIn"
    for answer in (by_post, by_get, same_origin_get):
        assert answer.status_code == 200, answer.text
        assert answer.json()["data"]["viewer"] == {"email": EMAIL}
    for answer in foreign + foreign_gets:
        assert answer.status_code == 403, answer.text
        error = answer.json()["errors"][0]
        assert error["extensions"]["code"] == "FORBIDDEN_ORIGIN"
        assert "ALLOWED_ORIGINS" in error["message"]
        assert "data" not in answer.json()


async def test_an_origin_in_allowed_origins_may_preflight_with_common_client_headers(
    browser: GraphQLClient,
) -> None:
    # when: a page of an allowed origin asks before a cookie GET and a cookie POST
    answers = [
        await browser.http.options(
            "/graphql",
            headers={
                "Origin": ORIGIN,
                "Access-Control-Request-Method": method,
                "Access-Control-Request-Headers": ", ".join(CLIENT_HEADERS),
            },
        )
        for method in ("GET", "POST")
    ]

    # then: allowed, with credentials, and never by wildcard
    for answer in answers:
        assert answer.status_code == 200, answer.text
        assert answer.headers["access-control-allow-origin"] == ORIGIN
        assert answer.headers["access-control-allow-credentials"] == "true"
        allowed = {
            h.strip().lower() for h in answer.headers["access-control-allow-headers"].split(",")
        }
        assert set(CLIENT_HEADERS) <= allowed
        assert "*" not in allowed
        assert "*" not in answer.headers["access-control-allow-methods"]


async def test_a_foreign_origin_gets_no_cors_permission(browser: GraphQLClient) -> None:
    # when
    answer = await browser.http.options(
        "/graphql",
        headers={
            "Origin": FOREIGN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )

    # then: refused in JSON with a code, like every refusal
    assert answer.status_code == 400
    assert "access-control-allow-origin" not in answer.headers
    assert answer.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert "origin" in answer.json()["errors"][0]["message"]
