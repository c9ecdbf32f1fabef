"""Consumed assertion ids: refused a second time, in parallel too, and forgotten only once the
assertion has expired (when its time window refuses it anyway)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from starlette.applications import Starlette

from domain.sso.saml import consume, errors
from models.saml_assertion import UsedSamlAssertion
from providers.clock import ManualClock


async def test_an_assertion_id_is_consumed_once_per_provider(
    app: Starlette, clock: ManualClock
) -> None:
    # given
    until = clock.now() + timedelta(minutes=5)
    await consume("provider-a", "_id1", until, clock.now())

    # when / then
    with pytest.raises(errors.Replayed):
        await consume("provider-a", "_id1", until, clock.now())
    await consume("provider-b", "_id1", until, clock.now())  # another IdP's id space


async def test_of_twenty_parallel_consumptions_exactly_one_wins(
    app: Starlette, clock: ManualClock
) -> None:
    # given
    until = clock.now() + timedelta(minutes=5)

    # when
    results = await asyncio.gather(
        *(consume("provider-a", "_same", until, clock.now()) for _ in range(20)),
        return_exceptions=True,
    )

    # then
    assert sum(r is None for r in results) == 1
    assert all(isinstance(r, errors.Replayed) for r in results if r is not None)


async def test_ids_are_kept_until_their_assertion_expires(
    app: Starlette, clock: ManualClock
) -> None:
    # given
    await consume("provider-a", "_old", clock.now() + timedelta(minutes=5), clock.now())

    # when: a later consumption sweeps what has expired, and only that
    await consume("provider-a", "_new", clock.now() + timedelta(minutes=5), clock.now())
    kept_while_valid = await UsedSamlAssertion.all().count()
    clock.advance(timedelta(minutes=6))
    await consume("provider-a", "_newest", clock.now() + timedelta(minutes=5), clock.now())

    # then
    assert kept_while_valid == 2
    assert await UsedSamlAssertion.all().count() == 1
