"""Quotas cost the same whatever their limit, and stay exact under parallel takes."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

import pytest
from starlette.applications import Starlette

from domain.quotas import Quota, Refused, Taken, give_back, is_spent, take

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def statements(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "tortoise.db_client"]


async def test_a_take_costs_the_same_statements_whatever_the_limit(
    app: Starlette, caplog: pytest.LogCaptureFixture
) -> None:
    # given: two keys, one allowed 10 a day and one 10000, each used a few times
    costs = []
    for limit in (10, 10000):
        quota = Quota(f"cost:{limit}", limit, timedelta(days=1))
        for minute in range(5):
            assert not isinstance(await take([quota], NOW + timedelta(minutes=minute)), Refused)
        caplog.set_level(logging.DEBUG, logger="tortoise.db_client")
        caplog.clear()

        # when
        taken = await take([quota], NOW + timedelta(minutes=10))

        # then
        assert not isinstance(taken, Refused)
        costs.append(statements(caplog))
        caplog.set_level(logging.WARNING, logger="tortoise.db_client")
    assert len(costs[0]) == len(costs[1]) <= 5, costs
    # and each statement reads or writes one row by its key: no scan of the free slots
    for statement in costs[1]:
        assert "ORDER BY" not in statement and '"slot"<' not in statement, statement


async def test_a_sliding_window_refuses_until_its_oldest_use_leaves(app: Starlette) -> None:
    # given: 3 an hour, used at :00, :10, :20
    quota = Quota("window", 3, HOUR)
    for minute in (0, 10, 20):
        assert not isinstance(await take([quota], NOW + timedelta(minutes=minute)), Refused)

    # when / then: at :30 the quota is spent until the :00 use leaves, at 1:00
    refused = await take([quota], NOW + timedelta(minutes=30))
    assert refused == Refused(30 * 60)
    assert await is_spent(quota, NOW + timedelta(minutes=30)) == Refused(30 * 60)
    assert not isinstance(await take([quota], NOW + timedelta(minutes=60)), Refused)
    assert await take([quota], NOW + timedelta(minutes=61)) == Refused(9 * 60)
    assert not isinstance(await take([quota], NOW + timedelta(minutes=70)), Refused)


async def test_a_take_given_back_is_free_again(app: Starlette) -> None:
    # given
    quota = Quota("given-back", 2, HOUR)
    assert not isinstance(await take([quota], NOW), Refused)
    second = await take([quota], NOW)
    assert isinstance(second, list)

    # when
    await give_back(second)

    # then
    assert not isinstance(await take([quota], NOW), Refused)
    assert isinstance(await take([quota], NOW), Refused)


async def test_parallel_takes_get_no_more_than_the_limit(app: Starlette) -> None:
    # given
    quota = Quota("parallel", 5, HOUR)

    # when
    results = await asyncio.gather(*(take([quota], NOW) for _ in range(30)))

    # then
    assert sum(1 for r in results if isinstance(r, list) and isinstance(r[0], Taken)) == 5
