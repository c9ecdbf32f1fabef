"""argon2id hashing runs off the event loop and unknown users cost the same work."""

from __future__ import annotations

import asyncio

from argon2 import PasswordHasher as Argon2Hasher

from providers.passwords import PasswordHasher


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
    # Four 64 MiB hashes take well over 50 ms; the loop ticked throughout.
    assert ticks >= 5
    hasher.close()
