"""Password guessing and account enumeration: unknown emails look and cost the same as wrong
passwords, each account slows down after 5 failures from one address, parallel guesses get no
more than that, and one address gets 50 failures an hour (63B 3.2.2; ASVS 6.3.8)."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from starlette.applications import Starlette

from models.audit_event import AuditEvent
from models.enums import PayRole
from models.login_throttle import LoginThrottle
from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.clients import HttpFactory, from_address
from tests.support.constants import PASSWORD
from tests.support.graphql import GraphQLClient
from tests.support.users import MakeUser, cheap_user

EMAIL = "guessed@example.com"
UNKNOWN_EMAIL = "nobody.here@example.com"
WRONG_PASSWORD = "Tr0ub4dor&3-wrong"


def attempt(email: str, password: str) -> dict[str, Any]:
    return {"input": {"email": email, "password": password}}


async def log_in(client: GraphQLClient, email: str, password: str) -> dict[str, Any]:
    return (await client.execute(doc.LOG_IN, attempt(email, password)))["logIn"]


@pytest.fixture
async def other_address(app: Starlette) -> AsyncIterator[GraphQLClient]:
    """A client at another network address than every other client of the suite."""
    async with from_address(app, "198.51.100.23") as http:
        yield GraphQLClient(http)


async def test_unknown_email_and_wrong_password_get_the_same_answer(
    new_http: HttpFactory, make_user: MakeUser
) -> None:
    # given
    await make_user(EMAIL)

    # when
    async with new_http() as first, new_http() as second:
        wrong = await GraphQLClient(first).post(doc.LOG_IN, attempt(EMAIL, WRONG_PASSWORD))
        unknown = await GraphQLClient(second).post(
            doc.LOG_IN, attempt(UNKNOWN_EMAIL, WRONG_PASSWORD)
        )

    # then: same status, same body, and neither starts a session
    assert wrong.status_code == unknown.status_code == 200
    assert wrong.json() == unknown.json()
    assert wrong.json()["data"]["logIn"]["__typename"] == "InvalidCredentialsError"
    assert "set-cookie" not in wrong.headers
    assert "set-cookie" not in unknown.headers


async def test_unknown_email_takes_as_long_as_a_wrong_password(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given: a fresh account per wrong password, so no brake slows any of them down
    rounds = 15  # 31 failures: under the per-address limit, so none is braked
    for n in range(rounds):
        await make_user(f"timed{n}@example.com")
    await browser.post(doc.LOG_IN, attempt("warm.up@example.com", WRONG_PASSWORD))

    # when: interleaved, so drift in machine load hits both alike, and in turns which goes
    # first, so whatever a request leaves behind for the next one does too
    known, unknown = [], []
    for n in range(rounds):
        pair = [(f"timed{n}@example.com", known), (f"ghost{n}@example.com", unknown)]
        for email, timings in pair if n % 2 else reversed(pair):
            started = time.perf_counter()
            response = await browser.post(doc.LOG_IN, attempt(email, WRONG_PASSWORD))
            timings.append(time.perf_counter() - started)
            assert response.json()["data"]["logIn"]["__typename"] == "InvalidCredentialsError"

    # then: the fastest quarter of each (other work on the machine only ever adds time, so the
    # lower quartile shows the work a request itself does) within 20 % of each other
    known_time, unknown_time = lower_quartile(known), lower_quartile(unknown)
    assert abs(known_time - unknown_time) <= 0.2 * max(known_time, unknown_time), (
        known_time,
        unknown_time,
    )


def lower_quartile(timings: list[float]) -> float:
    return statistics.quantiles(timings, n=4)[0]


@pytest.mark.parametrize("email", [EMAIL, UNKNOWN_EMAIL], ids=["known", "unknown"])
async def test_five_failures_earn_delays_of_one_two_four_seconds(
    email: str, browser: GraphQLClient, clock: ManualClock
) -> None:
    # given: five wrong passwords in a row
    await cheap_user(EMAIL)
    free = [await log_in(browser, email, WRONG_PASSWORD) for _ in range(5)]
    assert [a["__typename"] for a in free] == ["InvalidCredentialsError"] * 5

    # when: each try right after a failure, then one when the delay is over
    delays = []
    for _ in range(3):
        braked = await log_in(browser, email, WRONG_PASSWORD)
        assert braked["__typename"] == "RateLimitedError", braked
        assert braked["code"] == "RATE_LIMITED"
        delays.append(braked["retryAfterSeconds"])
        clock.advance(timedelta(seconds=braked["retryAfterSeconds"] - 1))
        still = await log_in(browser, email, PASSWORD)  # even the right password waits
        assert still["__typename"] == "RateLimitedError", still
        clock.advance(timedelta(seconds=1))
        judged = await log_in(browser, email, WRONG_PASSWORD)
        assert judged["__typename"] == "InvalidCredentialsError", judged

    # then: the same for an existing and an unknown email, so the brake tells nothing
    assert delays == [1, 2, 4]
    shouting = await log_in(browser, f"  {email.upper()} ", WRONG_PASSWORD)
    assert shouting["__typename"] == "RateLimitedError"


async def test_success_resets_the_brake(browser: GraphQLClient, clock: ManualClock) -> None:
    # given: an account braked after five failures, then signed in once the delay passed
    await cheap_user(EMAIL)
    for _ in range(5):
        await log_in(browser, EMAIL, WRONG_PASSWORD)
    clock.advance(timedelta(seconds=1))
    assert (await log_in(browser, EMAIL, PASSWORD))["__typename"] == "LoggedIn"

    # when
    answers = [await log_in(browser, EMAIL, WRONG_PASSWORD) for _ in range(6)]

    # then: five free failures again, and the brake on the sixth starts at one second
    assert [a["__typename"] for a in answers] == ["InvalidCredentialsError"] * 5 + [
        "RateLimitedError"
    ]
    assert answers[5]["retryAfterSeconds"] == 1


@pytest.mark.parametrize("email", [EMAIL, UNKNOWN_EMAIL], ids=["known", "unknown"])
async def test_twenty_parallel_guesses_get_no_more_than_the_free_failures(
    email: str, browser: GraphQLClient
) -> None:
    # given
    await cheap_user(EMAIL)

    # when
    answers = await asyncio.gather(
        *(log_in(browser, email, f"{WRONG_PASSWORD}-{n}") for n in range(20))
    )

    # then: the few judged guesses are exactly the failures the account recorded
    kinds = Counter(a["__typename"] for a in answers)
    assert set(kinds) <= {"InvalidCredentialsError", "RateLimitedError"}, kinds
    assert 1 <= kinds["InvalidCredentialsError"] <= 6
    assert kinds["RateLimitedError"] == 20 - kinds["InvalidCredentialsError"]
    # both brakes (this account from this address, and this account) counted exactly those
    brakes = await LoginThrottle.all().values_list("failures", flat=True)
    assert brakes == [kinds["InvalidCredentialsError"]] * 2
    judged = await AuditEvent.filter(event="password", outcome="failed").count()
    assert judged == kinds["InvalidCredentialsError"]


async def test_sixty_parallel_right_passwords_from_one_address_all_sign_in(
    new_http: HttpFactory,
) -> None:
    # given: sixty accounts behind one address (an office's NAT), more than its 50 failures
    users = [await cheap_user(f"colleague{n}@example.com") for n in range(60)]

    async def sign_in(email: str) -> str:
        async with new_http() as http:
            return str((await log_in(GraphQLClient(http), email, PASSWORD))["__typename"])

    # when: all at once
    answers = Counter(await asyncio.gather(*(sign_in(user.email) for user in users)))

    # then: the address's quota counts failures, not attempts in flight
    assert answers == {"LoggedIn": 60}


async def test_fifty_failures_from_one_address_stop_even_a_right_password(
    browser: GraphQLClient,
    other_address: GraphQLClient,
    make_user: MakeUser,
    clock: ManualClock,
) -> None:
    # given: a successful sign-in (it uses up nothing), then fifty wrong passwords for fifty
    # different accounts, all from one address
    await make_user(EMAIL, PayRole.NONE)
    sprayed = [await cheap_user(f"sprayed{n}@example.com") for n in range(50)]
    success = await log_in(browser, EMAIL, PASSWORD)
    failures = Counter(
        [(await log_in(browser, user.email, WRONG_PASSWORD))["__typename"] for user in sprayed]
    )

    # when
    same_address = await log_in(browser, EMAIL, PASSWORD)
    elsewhere = await log_in(other_address, EMAIL, PASSWORD)

    # then
    assert success["__typename"] == "LoggedIn"
    assert failures == {"InvalidCredentialsError": 50}
    assert same_address["__typename"] == "RateLimitedError"
    assert 0 < same_address["retryAfterSeconds"] <= 3600
    assert elsewhere["__typename"] == "LoggedIn"
    clock.advance(timedelta(hours=1))
    assert (await log_in(browser, EMAIL, PASSWORD))["__typename"] == "LoggedIn"
