"""Password brakes slow attackers down without locking the owner out (OWASP authentication
cheat sheet, account lockout): failures count per account and address, guessers spread over
many addresses meet an account-wide brake, and the owner's known devices get through it."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta
from typing import Any

import httpx
from starlette.applications import Starlette

from graph.context import SESSION_COOKIE
from models.audit_event import AuditEvent
from models.enums import PayRole
from models.known_device import KnownDevice
from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.clients import from_address
from tests.support.constants import PASSWORD
from tests.support.flows import app_code, enroll_with_app
from tests.support.graphql import GraphQLClient
from tests.support.users import cheap_user

EMAIL = "owner@example.com"
WRONG_PASSWORD = "Tr0ub4dor&3-wrong"
DEVICE_COOKIE = "__Host-twofold-device"
LOG_IN_KEEPING_THE_DEVICE = """
mutation LogIn($input: LogInInput!) { logIn(input: $input) {
  __typename
  ... on LoggedIn { deviceToken sessionToken }
  ... on RateLimitedError { code retryAfterSeconds }
  ... on UserError { code }
} }
"""


def attacker(n: int) -> str:
    return f"198.51.{n // 250}.{n % 250 + 1}"


async def log_in(
    http: httpx.AsyncClient, password: str, email: str = EMAIL, **more: Any
) -> dict[str, Any]:
    """A sign-in attempt; with `more` (client, deviceToken), one that reads the device token."""
    variables = {"input": {"email": email, "password": password, **more}}
    document = LOG_IN_KEEPING_THE_DEVICE if more else doc.LOG_IN
    return (await GraphQLClient(http).execute(document, variables))["logIn"]


async def guess_from_many_addresses(app: Starlette, count: int, email: str = EMAIL) -> Counter:
    answers: Counter[str] = Counter()
    for n in range(count):
        async with from_address(app, attacker(n)) as http:
            answers[(await log_in(http, WRONG_PASSWORD, email))["__typename"]] += 1
    return answers


async def test_a_guesser_elsewhere_never_delays_the_owner(
    app: Starlette, clock: ManualClock
) -> None:
    # given: someone who knows the email keeps guessing from one address, earning delays
    await cheap_user(EMAIL)
    async with from_address(app, attacker(0)) as stranger:
        answers = [(await log_in(stranger, WRONG_PASSWORD))["__typename"] for _ in range(8)]
        clock.advance(timedelta(minutes=15))
        answers.append((await log_in(stranger, WRONG_PASSWORD))["__typename"])
    assert answers[:5] == ["InvalidCredentialsError"] * 5
    assert "RateLimitedError" in answers

    # when: the owner signs in from their own address on a new browser
    async with from_address(app, "192.0.2.10") as owner:
        signed_in = await log_in(owner, PASSWORD)

    # then
    assert signed_in["__typename"] == "LoggedIn"


async def test_guessers_on_many_addresses_meet_the_account_wide_brake(
    app: Starlette, clock: ManualClock
) -> None:
    # given: twenty addresses, one wrong guess each
    await cheap_user(EMAIL)
    assert await guess_from_many_addresses(app, 20) == {"InvalidCredentialsError": 20}

    # when: one more address tries, then another after the delay
    async with from_address(app, attacker(20)) as late, from_address(app, attacker(21)) as later:
        braked = await log_in(late, PASSWORD)
        clock.advance(timedelta(seconds=braked["retryAfterSeconds"]))
        judged = await log_in(later, WRONG_PASSWORD)

    # then: even the right password waits on an unknown device, then one guess is judged
    assert braked["__typename"] == "RateLimitedError"
    assert braked["code"] == "RATE_LIMITED"
    assert judged["__typename"] == "InvalidCredentialsError"


async def test_the_owners_known_browser_passes_the_account_wide_brake(app: Starlette) -> None:
    # given: the owner signed in once on this browser, then strangers spread their guesses
    await cheap_user(EMAIL)
    async with from_address(app, "192.0.2.10") as owner:
        first = await log_in(owner, PASSWORD, client="BROWSER")
        assert first["__typename"] == "LoggedIn"
        assert DEVICE_COOKIE in owner.cookies
        assert first["deviceToken"] is None  # browsers hold it only in the HttpOnly cookie
        await guess_from_many_addresses(app, 25)
        async with from_address(app, "192.0.2.99") as new_browser:
            stranger_with_password = await log_in(new_browser, PASSWORD)

        # when
        again = await log_in(owner, PASSWORD)

    # then
    assert stranger_with_password["__typename"] == "RateLimitedError"
    assert again["__typename"] == "LoggedIn"


async def test_a_native_app_keeps_its_device_token_for_the_same_account_only(
    app: Starlette,
) -> None:
    # given: the app signed in once and kept the token it was given
    await cheap_user(EMAIL)
    await cheap_user("other@example.com")
    async with from_address(app, "192.0.2.10") as phone:
        first = await log_in(phone, PASSWORD, client="NATIVE")
    token = first["deviceToken"]
    assert first["__typename"] == "LoggedIn"
    assert token
    await guess_from_many_addresses(app, 25)
    await guess_from_many_addresses(app, 25, "other@example.com")

    # when (the owner's completed sign-in comes last: it clears the account-wide brake)
    async with from_address(app, "192.0.2.11") as phone:
        foreign = await log_in(
            phone, PASSWORD, "other@example.com", client="NATIVE", deviceToken=token
        )
        forged = await log_in(phone, PASSWORD, client="NATIVE", deviceToken=token[:-2] + "xx")
        own = await log_in(phone, PASSWORD, client="NATIVE", deviceToken=token)

    # then: the token is known (and not reissued) for its account only
    assert own["__typename"] == "LoggedIn"
    assert own["deviceToken"] is None
    assert foreign["__typename"] == "RateLimitedError"
    assert forged["__typename"] == "RateLimitedError"
    assert await KnownDevice.all().count() == 1


async def test_only_a_completed_sign_in_makes_a_device_known_and_clears_the_brake(
    app: Starlette, clock: ManualClock
) -> None:
    # given: an app-enrolled payor, and strangers spread over many addresses
    async with from_address(app, "192.0.2.10") as enrolling:
        await cheap_user(EMAIL, PayRole.PAYOR)
        secret, _ = await enroll_with_app(GraphQLClient(enrolling), EMAIL, clock)
    await KnownDevice.all().delete()
    await guess_from_many_addresses(app, 20)
    clock.advance(timedelta(seconds=1))

    async with from_address(app, "192.0.2.20") as owner:
        # when: the right password alone, then the second factor too
        challenged = await log_in(owner, PASSWORD)
        known_after_password = await KnownDevice.all().count()
        verified = await GraphQLClient(owner).execute(
            doc.VERIFY_LOGIN_CODE, {"input": {"code": app_code(secret, clock.now())}}
        )
        await GraphQLClient(owner).execute(doc.LOG_OUT)
        async with from_address(app, "192.0.2.30") as elsewhere:
            after = await log_in(elsewhere, WRONG_PASSWORD)

    # then
    assert challenged["__typename"] == "MfaChallengeRequired"
    assert known_after_password == 0
    assert verified["verifyLoginCode"]["__typename"] == "LoggedIn"
    assert await KnownDevice.all().count() == 1
    assert after["__typename"] == "InvalidCredentialsError"


async def test_unknown_emails_meet_the_same_account_wide_brake(app: Starlette) -> None:
    # when
    answers = await guess_from_many_addresses(app, 21, "nobody@example.com")

    # then: nothing tells the email is not an account
    assert answers == {"InvalidCredentialsError": 20, "RateLimitedError": 1}


async def test_parallel_guesses_from_many_addresses_get_no_more_than_the_free_failures(
    app: Starlette,
) -> None:
    # given
    await cheap_user(EMAIL)

    # when
    async def guess(n: int) -> str:
        async with from_address(app, attacker(n)) as http:
            return str((await log_in(http, f"{WRONG_PASSWORD}-{n}"))["__typename"])

    answers = Counter(await asyncio.gather(*(guess(n) for n in range(40))))

    # then
    assert set(answers) <= {"InvalidCredentialsError", "RateLimitedError"}, answers
    assert 1 <= answers["InvalidCredentialsError"] <= 20
    judged = await AuditEvent.filter(event="password", outcome="failed").count()
    assert judged == answers["InvalidCredentialsError"]


async def test_the_device_cookie_is_host_only_http_only_secure_and_strict(app: Starlette) -> None:
    # given
    await cheap_user(EMAIL)

    # when
    async with from_address(app, "192.0.2.10") as http:
        response = await GraphQLClient(http).post(
            doc.LOG_IN, {"input": {"email": EMAIL, "password": PASSWORD}}
        )

    # then
    cookies = {c.split("=", 1)[0]: c.lower() for c in response.headers.get_list("set-cookie")}
    assert set(cookies) == {SESSION_COOKIE, DEVICE_COOKIE}
    for attribute in ("httponly", "secure", "samesite=strict", "path=/", "max-age="):
        assert attribute in cookies[DEVICE_COOKIE]
    assert "domain" not in cookies[DEVICE_COOKIE]


async def test_signing_out_everywhere_forgets_the_other_known_devices(app: Starlette) -> None:
    # given: the owner's laptop and phone browsers both completed a sign-in
    await cheap_user(EMAIL)
    async with from_address(app, "192.0.2.10") as laptop, from_address(app, "192.0.2.11") as phone:
        assert (await log_in(laptop, PASSWORD))["__typename"] == "LoggedIn"
        assert (await log_in(phone, PASSWORD))["__typename"] == "LoggedIn"

        # when: the laptop signs every other device out, and strangers spread their guesses
        await GraphQLClient(laptop).execute("mutation { logOutEverywhere { __typename } }")
        await guess_from_many_addresses(app, 25)
        from_phone = await log_in(phone, PASSWORD)
        from_laptop = await log_in(laptop, PASSWORD)  # last: completing clears the brake

    # then: the phone's browser is a stranger again; the laptop is still known
    assert from_laptop["__typename"] == "LoggedIn"
    assert from_phone["__typename"] == "RateLimitedError"
