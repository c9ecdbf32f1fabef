"""startPasskeySignIn needs no sign-in and stores a challenge per call: each client address may
ask PASSKEY_CHALLENGES_PER_IP_PER_HOUR times an hour, so nobody can fill the table."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import replace
from datetime import timedelta

import pytest
from starlette.applications import Starlette

from domain.settings import Settings
from models.passkey_challenge import PasskeyChallenge
from providers.clock import ManualClock
from tests.support.clients import HttpFactory, from_address
from tests.support.graphql import GraphQLClient

LIMIT = 3

START = """
mutation { startPasskeySignIn {
  __typename
  ... on RateLimitedError { code retryAfterSeconds }
} }
"""


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return replace(settings, passkey_sign_in=True, passkey_challenges_per_ip_per_hour=LIMIT)


async def start(client: GraphQLClient) -> dict:
    return (await client.execute(START))["startPasskeySignIn"]


async def test_parallel_challenges_past_the_limit_are_refused_and_store_nothing(
    new_http: HttpFactory,
) -> None:
    # given: ten clients at one address
    clients = [GraphQLClient(new_http()) for _ in range(10)]

    # when
    answers = await asyncio.gather(*(start(c) for c in clients))

    # then
    kinds = Counter(a["__typename"] for a in answers)
    assert kinds == {"PasskeySignInStarted": LIMIT, "RateLimitedError": 10 - LIMIT}
    refused = [a for a in answers if a["__typename"] == "RateLimitedError"]
    assert {a["code"] for a in refused} == {"RATE_LIMITED"}
    assert all(0 < a["retryAfterSeconds"] <= 3600 for a in refused)
    assert await PasskeyChallenge.all().count() == LIMIT


async def test_another_address_and_the_next_hour_get_challenges_again(
    app: Starlette, new_http: HttpFactory, clock: ManualClock
) -> None:
    # given: one address has spent its hour
    spent = GraphQLClient(new_http())
    for _ in range(LIMIT):
        assert (await start(spent))["__typename"] == "PasskeySignInStarted"
    assert (await start(spent))["__typename"] == "RateLimitedError"

    # when
    elsewhere = await start(GraphQLClient(from_address(app, "198.51.100.9")))
    clock.advance(timedelta(hours=1, seconds=1))
    later = await start(spent)

    # then
    assert elsewhere["__typename"] == "PasskeySignInStarted"
    assert later["__typename"] == "PasskeySignInStarted"
