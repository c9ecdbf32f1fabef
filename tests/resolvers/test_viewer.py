"""viewer: the signed-in user behind a full, live session, and null otherwise."""

from __future__ import annotations

from datetime import timedelta

from models.enums import PayRole
from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.clients import HttpFactory
from tests.support.flows import enroll_with_sms, log_in, reach_code_verification
from tests.support.graphql import GraphQLClient
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.users import MakeUser

EMAIL = "payee@example.com"
STAFF_EMAIL = "staff@example.com"


async def viewer(client: GraphQLClient) -> dict | None:
    return (await client.execute(doc.VIEWER))["viewer"]


async def test_null_without_a_session(browser: GraphQLClient) -> None:
    # when
    result = await viewer(browser)

    # then
    assert result is None


async def test_null_with_an_unknown_bearer_token(
    new_http: HttpFactory,
) -> None:
    # given
    async with new_http() as http:
        app = GraphQLClient(http, bearer="not-a-real-token")

        # when
        result = await viewer(app)

        # then
        assert result is None


async def test_null_with_a_pending_enrollment_session(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given: the password was right but no second factor is enrolled yet
    await make_user(EMAIL)
    await reach_code_verification(browser, EMAIL)

    # when
    result = await viewer(browser)

    # then
    assert result is None
    assert (await browser.execute(doc.MFA_ENROLLMENT))["mfaEnrollment"] is not None


async def test_null_with_a_pending_native_token(new_http: HttpFactory, make_user: MakeUser) -> None:
    # given
    await make_user(EMAIL)
    async with new_http() as http:
        started = await log_in(GraphQLClient(http), EMAIL, native=True)
        app = GraphQLClient(http, bearer=started["pendingToken"])

        # when
        result = await viewer(app)

        # then
        assert result is None


async def test_null_during_a_sign_in_challenge(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    await make_user(EMAIL)
    await enroll_with_sms(browser, messagebird, EMAIL)
    await browser.execute(doc.LOG_OUT)
    assert (await log_in(browser, EMAIL))["__typename"] == "MfaChallengeRequired"

    # when
    result = await viewer(browser)

    # then
    assert result is None


async def test_user_with_a_full_session(browser: GraphQLClient, make_user: MakeUser) -> None:
    # given
    user = await make_user(STAFF_EMAIL, PayRole.NONE)
    assert (await log_in(browser, STAFF_EMAIL))["__typename"] == "LoggedIn"

    # when
    result = await viewer(browser)

    # then
    assert result == {
        "id": str(user.id),
        "email": STAFF_EMAIL,
        "payRole": "NONE",
        "mfa": {"enrolled": False, "methods": [], "maskedPhoneNumber": None},
    }


async def test_user_after_enrollment(
    browser: GraphQLClient, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    user = await make_user(EMAIL)
    await enroll_with_sms(browser, messagebird, EMAIL)

    # when
    result = await viewer(browser)

    # then
    assert result == {
        "id": str(user.id),
        "email": EMAIL,
        "payRole": "PAYEE",
        "mfa": {"enrolled": True, "methods": ["SMS"], "maskedPhoneNumber": "+*********23"},
    }


async def test_user_with_a_native_session_token(new_http: HttpFactory, make_user: MakeUser) -> None:
    # given
    await make_user(STAFF_EMAIL, PayRole.NONE)
    async with new_http() as http:
        signed_in = await log_in(GraphQLClient(http), STAFF_EMAIL, native=True)
        app = GraphQLClient(http, bearer=signed_in["sessionToken"])

        # when
        result = await viewer(app)

        # then
        assert result is not None
        assert result["email"] == STAFF_EMAIL


async def test_still_signed_in_after_29_idle_minutes(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given
    await make_user(STAFF_EMAIL, PayRole.NONE)
    await log_in(browser, STAFF_EMAIL)
    clock.advance(timedelta(minutes=29))

    # when
    result = await viewer(browser)

    # then
    assert result is not None


async def test_null_after_31_idle_minutes(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given
    await make_user(STAFF_EMAIL, PayRole.NONE)
    await log_in(browser, STAFF_EMAIL)
    assert await viewer(browser) is not None
    clock.advance(timedelta(minutes=31))

    # when
    result = await viewer(browser)

    # then
    assert result is None


async def test_idle_session_does_not_come_back(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given: a request after the idle limit must not refresh the session
    await make_user(STAFF_EMAIL, PayRole.NONE)
    await log_in(browser, STAFF_EMAIL)
    clock.advance(timedelta(minutes=31))
    assert await viewer(browser) is None
    clock.advance(timedelta(minutes=1))

    # when
    result = await viewer(browser)

    # then
    assert result is None


async def test_null_after_the_absolute_lifetime_despite_activity(
    browser: GraphQLClient, make_user: MakeUser, clock: ManualClock
) -> None:
    # given: the user is active every 20 minutes for almost 12 hours
    await make_user(STAFF_EMAIL, PayRole.NONE)
    await log_in(browser, STAFF_EMAIL)
    for _ in range(35):  # 35 x 20 min = 11 h 40 min
        clock.advance(timedelta(minutes=20))
        assert await viewer(browser) is not None
    clock.advance(timedelta(minutes=20))  # 12 h after sign-in

    # when
    result = await viewer(browser)

    # then
    assert result is None
