"""Cross-site request forgery and transport abuse: only JSON POSTs reach GraphQL, a session
cookie works only with an allowed Origin, batches are refused, nothing is cached, and the
session cookie carries every attribute a browser needs to keep it to itself (ASVS 3.3, 3.5)."""

from __future__ import annotations

import json
from http.cookies import SimpleCookie

import httpx
import pytest

from graph.context import SESSION_COOKIE
from models.enums import PayRole
from models.session import AuthSession
from tests.support import documents as doc
from tests.support.clients import HttpFactory
from tests.support.constants import PASSWORD
from tests.support.flows import log_in
from tests.support.graphql import ORIGIN, GraphQLClient
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.records import nothing_ran
from tests.support.users import MakeUser

EMAIL = "transported@example.com"
FOREIGN = "https://evil.example"
LOG_IN = doc.log_in_written_out(EMAIL)


async def sign_in_browser(http: httpx.AsyncClient, make_user: MakeUser) -> None:
    """Give the browser a full session cookie (a user without a payments role needs no MFA)."""
    await make_user(EMAIL, PayRole.NONE)
    assert (await log_in(GraphQLClient(http), EMAIL))["__typename"] == "LoggedIn"
    assert SESSION_COOKIE in http.cookies


async def native_token(new_http: HttpFactory, email: str = EMAIL) -> str:
    async with new_http() as http:
        variables = {"input": {"email": email, "password": PASSWORD, "client": "NATIVE"}}
        data = await GraphQLClient(http).execute(doc.LOG_IN_NATIVE, variables)
    token = data["logIn"]["sessionToken"]
    assert token
    return str(token)


def graphql_body(query: str) -> bytes:
    return json.dumps({"query": query}).encode()


@pytest.mark.parametrize("accept", ["application/json", "*/*", "text/html"])
async def test_mutation_over_get_is_refused_and_runs_nothing(
    accept: str, new_http: HttpFactory, make_user: MakeUser
) -> None:
    # given
    await make_user(EMAIL, PayRole.NONE)

    # when
    async with new_http() as http:
        response = await http.get(
            "/graphql", params={"query": LOG_IN}, headers={"Accept": accept, "Origin": ORIGIN}
        )

    # then: 405 naming POST for API clients; a browser gets the development GraphiQL page
    if accept == "text/html":
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/html")
    else:
        assert response.status_code == 405
        assert response.headers["allow"] == "POST"
        assert response.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"
    assert await nothing_ran()


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/plain", graphql_body(LOG_IN)),
        ("text/plain; charset=utf-8", graphql_body(LOG_IN)),
        ("application/x-www-form-urlencoded", b"query=" + LOG_IN.encode()),
        (
            "multipart/form-data; boundary=x",
            b'--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n'
            + graphql_body(LOG_IN)
            + b"\r\n--x--\r\n",
        ),
        ("application/graphql", LOG_IN.encode()),
        (None, graphql_body(LOG_IN)),
    ],
    ids=["text-plain", "text-plain-charset", "form", "multipart", "application-graphql", "none"],
)
async def test_post_that_is_not_json_is_refused_and_runs_nothing(
    content_type: str | None, body: bytes, new_http: HttpFactory, make_user: MakeUser
) -> None:
    # given
    await make_user(EMAIL, PayRole.NONE)
    headers = {"Origin": ORIGIN}
    if content_type:
        headers["Content-Type"] = content_type

    # when
    async with new_http() as http:
        response = await http.post("/graphql", content=body, headers=headers)

    # then
    assert response.status_code == 415
    assert await nothing_ran()


async def test_cookie_without_an_allowed_origin_is_forbidden(
    new_http: HttpFactory, make_user: MakeUser
) -> None:
    # given: a signed-in browser, and a second device of the same user
    origins = [
        FOREIGN,
        None,
        "null",
        "https://app.twofold.test.evil.example",
        "http://app.twofold.test",
    ]
    async with new_http() as http:
        await sign_in_browser(http, make_user)
        other_device = await native_token(new_http)

        # when: forged requests try to sign every other device out
        answers = []
        for origin in origins:
            headers = {"Origin": origin} if origin else {}
            response = await http.post(
                "/graphql", json={"query": doc.LOG_OUT_EVERYWHERE}, headers=headers
            )
            answers.append(
                (response.status_code, response.json()["errors"][0]["extensions"]["code"])
            )

    # then
    assert answers == [(403, "FORBIDDEN_ORIGIN")] * len(origins)
    assert await AuthSession.filter(revoked_at__isnull=False).count() == 0
    async with new_http() as device:
        still = await GraphQLClient(device, bearer=other_device).execute(doc.VIEWER_EMAIL)
    assert still["viewer"] == {"email": EMAIL}


async def test_allowed_origin_with_the_cookie_works(
    new_http: HttpFactory, make_user: MakeUser
) -> None:
    # given
    async with new_http() as http:
        await sign_in_browser(http, make_user)
        # when
        response = await http.post(
            "/graphql", json={"query": doc.VIEWER_EMAIL}, headers={"Origin": ORIGIN + "/"}
        )

    # then
    assert response.status_code == 200
    assert response.json()["data"]["viewer"] == {"email": EMAIL}


async def test_bearer_token_without_origin_works(
    new_http: HttpFactory, make_user: MakeUser
) -> None:
    # given: a mobile app sends no Origin; it has no ambient credential to forge
    await make_user(EMAIL, PayRole.NONE)
    token = await native_token(new_http)

    # when
    async with new_http() as http:
        response = await http.post(
            "/graphql",
            json={"query": doc.VIEWER_EMAIL},
            headers={"Authorization": f"Bearer {token}"},
        )

    # then
    assert response.status_code == 200
    assert response.json()["data"]["viewer"] == {"email": EMAIL}


@pytest.mark.parametrize("blank", [b"\xa0", b"\x85"], ids=["nbsp", "next-line"])
async def test_blank_bearer_does_not_let_the_cookie_skip_the_origin_check(
    blank: bytes, new_http: HttpFactory, make_user: MakeUser
) -> None:
    # given: a signed-in browser and a second device. "Bearer <NBSP>" starts with "bearer ",
    # so the transport guard skips the Origin check; the token inside strips to nothing.
    # HTTP servers keep these bytes (they trim only spaces and tabs).
    async with new_http() as http:
        await sign_in_browser(http, make_user)
        other_device = await native_token(new_http)
        headers = [
            (b"Origin", FOREIGN.encode()),
            (b"Content-Type", b"application/json"),
            (b"Authorization", b"Bearer " + blank),
        ]

        # when
        response = await http.post(
            "/graphql", content=graphql_body(doc.LOG_OUT_EVERYWHERE), headers=headers
        )

    # then: refused, or run without the cookie's session; either way no device is signed out
    assert response.status_code in (200, 403)
    assert await AuthSession.filter(revoked_at__isnull=False).count() == 0
    async with new_http() as device:
        still = await GraphQLClient(device, bearer=other_device).execute(doc.VIEWER_EMAIL)
    assert still["viewer"] == {"email": EMAIL}


async def test_json_array_batch_is_refused_and_runs_nothing(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given: a payee at the phone-number screen
    await make_user(EMAIL)
    await log_in(browser, EMAIL)
    await browser.execute(doc.START_MFA_SETUP)
    await browser.execute(doc.CHOOSE_MFA_METHOD, {"input": {"method": "SMS"}})
    sessions = await AuthSession.all().count()
    send = {
        "query": doc.SEND_SMS_CODE,
        "variables": {"input": {"countryCode": "+1", "phoneNumber": "201 555 0123"}},
    }

    # when
    response = await browser.http.post(
        "/graphql", json=[send, send, {"query": LOG_IN}], headers={"Origin": ORIGIN}
    )

    # then
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert messagebird.requests == 0
    assert await AuthSession.all().count() == sessions


NO_STORE_CASES = {
    "ok": ("POST", {"Origin": ORIGIN}, graphql_body(doc.VIEWER_EMAIL), 200),
    "invalid-document": ("POST", {"Origin": ORIGIN}, graphql_body("{ nope }"), 200),
    "bad-json": ("POST", {"Origin": ORIGIN}, b"{not json", 400),
    "batch": ("POST", {"Origin": ORIGIN}, b'[{"query": "{ viewer { email } }"}]', 400),
    "forbidden": ("POST", {"Origin": FOREIGN}, graphql_body(doc.VIEWER_EMAIL), 403),
    "get-without-query": ("GET", {"Origin": ORIGIN}, b"", 400),
    "put": ("PUT", {"Origin": ORIGIN}, graphql_body(doc.VIEWER_EMAIL), 405),
    "not-json": ("POST", {"Origin": ORIGIN, "Content-Type": "text/plain"}, b"{}", 415),
}


async def test_every_graphql_response_says_no_store(
    new_http: HttpFactory, make_user: MakeUser
) -> None:
    # given: a signed-in browser, so answers could hold personal data
    async with new_http() as http:
        await sign_in_browser(http, make_user)

        # when
        answers = {}
        for case, (method, headers, body, _) in NO_STORE_CASES.items():
            response = await http.request(
                method,
                "/graphql",
                content=body,
                headers={"Content-Type": "application/json", **headers},
            )
            answers[case] = (response.status_code, response.headers.get("cache-control"))

    # then
    assert answers == {
        case: (status, "no-store") for case, (_, _, _, status) in NO_STORE_CASES.items()
    }


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
async def test_other_methods_are_refused_with_no_store_too(
    method: str, browser: GraphQLClient
) -> None:
    # given
    body = graphql_body(doc.VIEWER_EMAIL)

    # when
    response = await browser.http.request(
        method,
        "/graphql",
        content=body,
        headers={"Content-Type": "application/json", "Origin": ORIGIN},
    )

    # then: the router answers these before the endpoint, so they need the header as well
    assert response.status_code == 405
    assert response.headers.get("cache-control") == "no-store"


async def test_preflight_allows_only_the_configured_origin(new_http: HttpFactory) -> None:
    # given
    request = {"Access-Control-Request-Method": "POST"}

    # when
    async with new_http() as http:
        allowed = await http.options("/graphql", headers={**request, "Origin": ORIGIN})
        foreign = await http.options("/graphql", headers={**request, "Origin": FOREIGN})
        foreign_post = await http.post(
            "/graphql", json={"query": doc.VIEWER_EMAIL}, headers={"Origin": FOREIGN}
        )

    # then
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == ORIGIN
    assert allowed.headers["access-control-allow-credentials"] == "true"
    assert "access-control-allow-origin" not in foreign.headers
    assert "access-control-allow-origin" not in foreign_post.headers


@pytest.mark.parametrize("role", [PayRole.NONE, PayRole.PAYEE], ids=["session", "pending"])
async def test_session_cookie_is_host_only_http_only_secure_and_strict(
    role: PayRole, browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    await make_user(EMAIL, role)

    # when
    response = await browser.post(
        doc.LOG_IN, {"input": {"email": EMAIL, "password": PASSWORD, "client": "BROWSER"}}
    )
    logged_out = await browser.post(doc.LOG_OUT)

    # then: the token travels only in the cookie, never in the payload
    payload = response.json()["data"]["logIn"]
    assert payload["__typename"] == ("LoggedIn" if role is PayRole.NONE else "MfaSetupRequired")
    assert payload.get("sessionToken") is None
    assert payload.get("pendingToken") is None
    for answer, alive in ((response, True), (logged_out, False)):
        cookies = [c for c in answer.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE)]
        assert len(cookies) == 1
        jar: SimpleCookie = SimpleCookie()
        jar.load(cookies[0])
        [(name, morsel)] = jar.items()
        assert name.startswith("__Host-")
        assert morsel["httponly"] is True
        assert morsel["secure"] is True
        assert morsel["samesite"].lower() == "strict"
        assert morsel["path"] == "/"
        assert morsel["domain"] == ""
        assert (int(morsel["max-age"] or 0) > 0) is alive
