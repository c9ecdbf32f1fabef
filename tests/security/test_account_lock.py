"""100 consecutive second-factor failures lock the factor until a company admin resets it."""

from __future__ import annotations

from datetime import timedelta

from models.audit_event import AuditEvent
from models.enums import PayRole
from models.user import User
from tests.support import documents as doc
from tests.support.flows import app_code, enroll_with_app, log_in
from tests.support.graphql import GraphQLClient

EMAIL = "payor@example.com"
WRONG = "000000"


async def _fail_one_sign_in(new_http, clock) -> list[str]:
    """A pending sign-in spending all five app-code attempts on wrong codes."""
    client = GraphQLClient(new_http())
    started = await log_in(client, EMAIL)
    if started["__typename"] != "MfaChallengeRequired":
        return [started["__typename"]]
    answers = []
    for _ in range(5):
        body = await client.post(
            doc.VERIFY_LOGIN_CODE_WITH_METHOD,
            {"input": {"code": WRONG, "method": "AUTHENTICATOR_APP"}},
        )
        data = body.json().get("data") or {}
        answers.append((data.get("verifyLoginCode") or {}).get("__typename", "UNAUTHENTICATED"))
    return answers


async def test_the_hundredth_failure_locks_the_factor_until_an_admin_reset(
    new_http, make_user, clock
) -> None:
    # given: a payor with an app, and a code that would be right
    await make_user(EMAIL, PayRole.PAYOR)
    await enroll_with_app(GraphQLClient(new_http()), EMAIL, clock)
    # when: 20 sign-ins with 5 wrong app codes each
    for _ in range(20):
        await _fail_one_sign_in(new_http, clock)
    # then: the account counted exactly 100 and locked
    user = await User.get(email=EMAIL)
    assert user.second_factor_failures == 100
    assert user.second_factor_locked_at is not None
    assert await AuditEvent.filter(event="second_factor", outcome="locked").count() == 1
    # and the next sign-in is refused even with the right password
    client = GraphQLClient(new_http())
    assert (await log_in(client, EMAIL))["__typename"] == "AccountLockedError"


async def test_a_lock_refuses_the_right_code_in_an_open_sign_in(new_http, make_user, clock) -> None:
    # given: a sign-in opened before the 100th failure
    await make_user(EMAIL, PayRole.PAYOR)
    secret, _ = await enroll_with_app(GraphQLClient(new_http()), EMAIL, clock)
    waiting = GraphQLClient(new_http())
    assert (await log_in(waiting, EMAIL))["__typename"] == "MfaChallengeRequired"
    await User.filter(email=EMAIL).update(second_factor_failures=99)
    attacker = GraphQLClient(new_http())
    await log_in(attacker, EMAIL)
    # when: the 100th failure, then the right code in the other sign-in
    await attacker.post(
        doc.VERIFY_LOGIN_CODE_WITH_METHOD, {"input": {"code": WRONG, "method": "AUTHENTICATOR_APP"}}
    )
    clock.advance(timedelta(seconds=30))
    response = await waiting.post(
        doc.VERIFY_LOGIN_CODE_WITH_METHOD,
        {"input": {"code": app_code(secret, clock.now()), "method": "AUTHENTICATOR_APP"}},
    )
    # then: the open sign-in was ended by the lock
    body = response.json()
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert (await User.get(email=EMAIL)).second_factor_locked_at is not None


async def test_a_success_resets_the_count(new_http, make_user, clock) -> None:
    # given: 95 failures so far
    await make_user(EMAIL, PayRole.PAYOR)
    secret, _ = await enroll_with_app(GraphQLClient(new_http()), EMAIL, clock)
    await User.filter(email=EMAIL).update(second_factor_failures=95)
    client = GraphQLClient(new_http())
    await log_in(client, EMAIL)
    # when: the right code
    done = await client.execute(
        doc.VERIFY_LOGIN_CODE_WITH_METHOD,
        {"input": {"code": app_code(secret, clock.now()), "method": "AUTHENTICATOR_APP"}},
    )
    # then
    assert done["verifyLoginCode"]["__typename"] == "LoggedIn"
    assert (await User.get(email=EMAIL)).second_factor_failures == 0
