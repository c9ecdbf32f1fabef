"""argon2id hashing runs off the event loop and unknown users cost the same work."""

from __future__ import annotations

import asyncio
import os
import threading

import pytest
from argon2 import PasswordHasher as Argon2Hasher

from providers.passwords import HasherBusy, PasswordHasher


async def test_hash_then_verify() -> None:
    hasher = PasswordHasher()
    stored = await hasher.hash("correct horse battery")
    assert stored.startswith("$argon2id$")
    assert await hasher.verify(stored, "correct horse battery")
    assert not await hasher.verify(stored, "wrong password")
    hasher.close()


async def test_unknown_user_is_never_verified() -> None:
    hasher = PasswordHasher()
    assert not await hasher.verify(None, "twofold-dummy-password")
    assert not await hasher.verify(None, "anything")
    hasher.close()


async def test_old_parameters_need_rehash() -> None:
    hasher = PasswordHasher()
    weak = Argon2Hasher(time_cost=1, memory_cost=8192, parallelism=1).hash("pw-12345678")
    assert hasher.needs_rehash(weak)
    assert not hasher.needs_rehash(await hasher.hash("pw-12345678"))
    hasher.close()


async def test_hashing_does_not_block_the_event_loop() -> None:
    hasher = PasswordHasher()
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.005)
            ticks += 1

    task = asyncio.create_task(ticker())
    await asyncio.gather(*(hasher.hash(f"password-{i}") for i in range(4)))
    task.cancel()
    # Four hashes take well over 50 ms; the loop ticked throughout.
    assert ticks >= 5
    hasher.close()


def test_parameters_are_owasps_argon2id_with_one_lane() -> None:
    hasher = PasswordHasher()
    stored = hasher._hasher.hash("pw-12345678")
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    hasher.close()


async def test_past_the_queue_bound_a_hash_is_refused_at_once() -> None:
    # given: a hasher that admits two hashes at a time, both places held
    hasher = PasswordHasher(max_workers=1, max_waiting=2)
    with hasher.admitted(), hasher.admitted():
        # when / then
        with pytest.raises(HasherBusy) as refused:
            with hasher.admitted():
                pass
        assert refused.value.retry_after_seconds >= 1
    # and the places come back once their hashes are done
    with hasher.admitted(), hasher.admitted():
        pass
    hasher.close()


def test_hashing_threads_run_at_a_lower_priority_than_the_event_loop() -> None:
    hasher = PasswordHasher(max_workers=1)
    niceness = hasher._executor.submit(
        lambda: os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    ).result()
    assert niceness >= os.getpriority(os.PRIO_PROCESS, 0) + 1
    hasher.close()
