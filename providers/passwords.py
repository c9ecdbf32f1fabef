"""argon2id password hashing off the event loop, with at most one hash per CPU in flight."""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor

from argon2 import PasswordHasher as Argon2Hasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 128


class PasswordHasher:
    """Each argon2 hash holds 64 MiB, so the pool is never larger than the CPU count."""

    def __init__(self, hasher: Argon2Hasher | None = None, max_workers: int | None = None) -> None:
        self._hasher = hasher or Argon2Hasher()
        workers = max_workers or os.cpu_count() or 1
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="argon2")
        # Unknown emails are verified against this so they cost the same as a wrong password.
        self._dummy_hash = self._hasher.hash("twofold-dummy-password")

    async def hash(self, password: str) -> str:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._hasher.hash, password)

    async def verify(self, stored_hash: str | None, password: str) -> bool:
        """Check `password`; with no stored hash, burn the same work and answer False."""
        loop = asyncio.get_running_loop()
        target = stored_hash or self._dummy_hash
        ok = await loop.run_in_executor(self._executor, self._verify_blocking, target, password)
        return ok and stored_hash is not None

    def needs_rehash(self, stored_hash: str) -> bool:
        return self._hasher.check_needs_rehash(stored_hash)

    def _verify_blocking(self, stored_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(stored_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def queued(self) -> int:
        """Hashes waiting for a free hashing thread (for the metrics)."""
        return self._executor._work_queue.qsize()

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
