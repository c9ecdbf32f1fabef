"""requestPasswordReset tells nobody whether an account exists: the same answer, at the same
cost, for known and unknown addresses, and limits counted by the address typed (known or not)
and by the caller's network address (ASVS 6.3.8; OWASP Forgot Password Cheat Sheet)."""

from __future__ import annotations

import statistics
import time
from dataclasses import replace
from typing import Any

import pytest

from domain import password_reset
from domain.settings import Settings
from tests.support import documents as doc
from tests.support.clients import HttpFactory, from_address
from tests.support.graphql import GraphQLClient
from tests.support.mailbox import Mailbox
from tests.support.users import cheap_user

KNOWN = "known@example.com"
UNKNOWN = "nobody.here@example.com"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return replace(settings, password_resets_per_ip_per_hour=200)


def asking(email: str) -> dict[str, Any]:
    return {"input": {"email": email}}


async def test_known_and_unknown_addresses_get_the_same_answer(
    new_http: HttpFactory, mailbox: Mailbox
) -> None:
    # given
    await cheap_user(KNOWN)

    # when
    async with new_http() as first, new_http() as second:
        known = await GraphQLClient(first).post(doc.REQUEST_PASSWORD_RESET, asking(KNOWN))
        unknown = await GraphQLClient(second).post(doc.REQUEST_PASSWORD_RESET, asking(UNKNOWN))
    await password_reset.settled()

    # then: same status and body, no cookie; only the account's owner gets an email
    assert known.status_code == unknown.status_code == 200
    assert known.json() == unknown.json()
    assert known.json()["data"]["requestPasswordReset"]["__typename"] == "PasswordResetRequested"
    assert "set-cookie" not in known.headers and "set-cookie" not in unknown.headers
    assert len(mailbox.to(KNOWN)) == 1 and mailbox.to(UNKNOWN) == []


async def test_an_unknown_address_takes_as_long_as_a_known_one(
    browser: GraphQLClient,
) -> None:
    # given: one account per round, so the per-address limit never answers instead
    rounds = 40
    for n in range(rounds):
        await cheap_user(f"timed{n}@example.com")
    await browser.post(doc.REQUEST_PASSWORD_RESET, asking("warm.up@example.com"))

    # when: interleaved, and in turns which goes first (see test_password_guessing); each
    # answer timed alone (a known address's link is sent after its answer: that work is no
    # part of the answer, and would otherwise land on whichever request comes next)
    known: list[float] = []
    unknown: list[float] = []
    for n in range(rounds):
        pair = [(f"timed{n}@example.com", known), (f"ghost{n}@example.com", unknown)]
        for email, timings in pair if n % 2 else reversed(pair):
            await password_reset.settled()
            started = time.perf_counter()
            response = await browser.post(doc.REQUEST_PASSWORD_RESET, asking(email))
            timings.append(time.perf_counter() - started)
            answer = response.json()["data"]["requestPasswordReset"]
            assert answer["__typename"] == "PasswordResetRequested"
    await password_reset.settled()

    # then: the lower quartiles within 20 % of each other
    known_time, unknown_time = lower_quartile(known), lower_quartile(unknown)
    assert abs(known_time - unknown_time) <= 0.2 * max(known_time, unknown_time), (
        known_time,
        unknown_time,
    )


def lower_quartile(timings: list[float]) -> float:
    return statistics.quantiles(timings, n=4)[0]


async def test_the_limit_per_address_typed_answers_alike_for_known_and_unknown(
    browser: GraphQLClient, mailbox: Mailbox
) -> None:
    # given: three requests each (PASSWORD_RESETS_PER_EMAIL_PER_HOUR)
    await cheap_user(KNOWN)
    for email in (KNOWN, UNKNOWN):
        for _ in range(3):
            answer = await browser.execute(doc.REQUEST_PASSWORD_RESET, asking(email))
            assert answer["requestPasswordReset"]["__typename"] == "PasswordResetRequested"

    # when
    known = await browser.execute(doc.REQUEST_PASSWORD_RESET, asking(KNOWN))
    unknown = await browser.execute(doc.REQUEST_PASSWORD_RESET, asking(UNKNOWN))
    await password_reset.settled()

    # then: both refused the same way; no fourth email
    assert known["requestPasswordReset"]["__typename"] == "RateLimitedError"
    assert known["requestPasswordReset"]["code"] == unknown["requestPasswordReset"]["code"]
    assert unknown["requestPasswordReset"]["__typename"] == "RateLimitedError"
    assert known["requestPasswordReset"]["retryAfterSeconds"] > 0
    assert len(mailbox.to(KNOWN)) == 3


async def test_one_network_address_gets_a_limited_number_of_requests(app: Any) -> None:
    # given: 200 requests from one address (the limit this module sets)
    async with from_address(app, "198.51.100.77") as http:
        client = GraphQLClient(http)
        for n in range(200):
            answer = await client.execute(doc.REQUEST_PASSWORD_RESET, asking(f"ip{n}@example.com"))
            assert answer["requestPasswordReset"]["__typename"] == "PasswordResetRequested"

        # when
        refused = await client.execute(doc.REQUEST_PASSWORD_RESET, asking("one.more@example.com"))

    # then
    assert refused["requestPasswordReset"]["__typename"] == "RateLimitedError"
