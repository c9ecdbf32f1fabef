"""logOut: the session ends on the server, whatever the client keeps."""

from __future__ import annotations

import httpx

from graph.context import SESSION_COOKIE
from models.enums import PayRole
from tests.support import documents as doc
from tests.support.clients import HttpFactory
from tests.support.flows import enroll_with_sms, log_in, reach_code_verification
from tests.support.graphql import ORIGIN, GraphQLClient
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.users import MakeUser

EMAIL = "payee@example.com"
STAFF_EMAIL = "staff@example.com"


async def log_out(client: GraphQLClient) -> dict:
    return (await client.execute(doc.LOG_OUT))["logOut"]


async def with_cookie(
    http: httpx.AsyncClient, cookie: str, query: str, variables: dict | None = None
) -> dict:
    """Present a session cookie by hand, as a kept copy of an old cookie would be."""
    response = await http.post(
        "/graphql",
        json={"query": query, "variables": variables or {}},
        headers={"Origin": ORIGIN, "Cookie": f"{SESSION_COOKIE}={cookie}"},
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_browser_cookie_is_cleared_and_viewer_is_null(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    await make_user(EMAIL)
    await enroll_with_sms(browser, messagebird, EMAIL)
    assert (await browser.execute(doc.VIEWER))["viewer"]["email"] == EMAIL

    # when
    result = await log_out(browser)

    # then
    assert result["__typename"] == "LoggedOut"
    assert browser.http.cookies.get(SESSION_COOKIE) is None
    assert (await browser.execute(doc.VIEWER))["viewer"] is None
    assert (await browser.execute(doc.MFA_ENROLLMENT))["mfaEnrollment"] is None


async def test_response_tells_the_browser_to_drop_the_cookie(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    await make_user(STAFF_EMAIL, PayRole.NONE)
    await log_in(browser, STAFF_EMAIL)

    # when
    response = await browser.post(doc.LOG_OUT)

    # then
    set_cookie = response.headers["set-cookie"].lower()
    assert set_cookie.startswith(f"{SESSION_COOKIE.lower()}=")
    assert "max-age=0" in set_cookie or "expires=thu, 01 jan 1970" in set_cookie


async def test_old_browser_cookie_is_dead_on_the_server(
    browser: GraphQLClient,
    new_http: HttpFactory,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
) -> None:
    # given
    await make_user(EMAIL)
    await enroll_with_sms(browser, messagebird, EMAIL)
    cookie = browser.http.cookies.get(SESSION_COOKIE)
    assert cookie
    async with new_http() as http:
        assert (await with_cookie(http, cookie, doc.VIEWER))["data"]["viewer"]["email"] == EMAIL

        # when
        await log_out(browser)

        # then
        assert (await with_cookie(http, cookie, doc.VIEWER))["data"]["viewer"] is None


async def test_native_session_token_is_dead_after_log_out(
    new_http: HttpFactory, make_user: MakeUser
) -> None:
    # given
    await make_user(STAFF_EMAIL, PayRole.NONE)
    async with new_http() as http:
        signed_in = await log_in(GraphQLClient(http), STAFF_EMAIL, native=True)
        assert signed_in["__typename"] == "LoggedIn"
        app = GraphQLClient(http, bearer=signed_in["sessionToken"])
        assert (await app.execute(doc.VIEWER))["viewer"]["email"] == STAFF_EMAIL

        # when
        result = await log_out(app)

        # then
        assert result["__typename"] == "LoggedOut"
        assert (await app.execute(doc.VIEWER))["viewer"] is None
        assert (await app.execute(doc.MFA_ENROLLMENT))["mfaEnrollment"] is None


async def test_log_out_ends_only_its_own_session(
    new_http: HttpFactory, make_user: MakeUser
) -> None:
    # given: the same user is signed in on two devices
    await make_user(STAFF_EMAIL, PayRole.NONE)
    async with new_http() as first_http, new_http() as second_http:
        first, second = GraphQLClient(first_http), GraphQLClient(second_http)
        await log_in(first, STAFF_EMAIL)
        await log_in(second, STAFF_EMAIL)

        # when
        await log_out(first)

        # then
        assert (await first.execute(doc.VIEWER))["viewer"] is None
        assert (await second.execute(doc.VIEWER))["viewer"]["email"] == STAFF_EMAIL


async def test_log_out_during_enrollment_ends_the_pending_sign_in(
    browser: GraphQLClient,
    new_http: HttpFactory,
    make_user: MakeUser,
) -> None:
    # given
    await make_user(EMAIL)
    await reach_code_verification(browser, EMAIL)
    pending_cookie = browser.http.cookies.get(SESSION_COOKIE)
    assert pending_cookie

    # when
    result = await log_out(browser)

    # then
    assert result["__typename"] == "LoggedOut"
    assert browser.http.cookies.get(SESSION_COOKIE) is None
    async with new_http() as http:
        replayed = await with_cookie(
            http, pending_cookie, doc.VERIFY_SMS_CODE, {"input": {"code": "123456"}}
        )
    assert [e["extensions"]["code"] for e in replayed["errors"]] == ["UNAUTHENTICATED"]


async def test_without_a_session_logs_out_anyway(browser: GraphQLClient) -> None:
    # when
    response = await browser.post(doc.LOG_OUT)

    # then
    assert response.status_code == 200
    body = response.json()
    assert "errors" not in body
    assert body["data"]["logOut"]["__typename"] == "LoggedOut"


async def test_with_an_unknown_token_logs_out_anyway(
    new_http: HttpFactory,
) -> None:
    # given
    async with new_http() as http:
        app = GraphQLClient(http, bearer="not-a-real-token")

        # when
        result = await log_out(app)

        # then
        assert result["__typename"] == "LoggedOut"


async def test_logging_out_twice_is_harmless(browser: GraphQLClient, make_user: MakeUser) -> None:
    # given
    await make_user(STAFF_EMAIL, PayRole.NONE)
    await log_in(browser, STAFF_EMAIL)
    await log_out(browser)

    # when
    again = await log_out(browser)

    # then
    assert again["__typename"] == "LoggedOut"
    assert (await browser.execute(doc.VIEWER))["viewer"] is None
