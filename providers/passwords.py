"""argon2id password hashing off the event loop, in a bounded pool behind a bounded queue.

Parameters follow OWASP's Password Storage Cheat Sheet (argon2id, m=19 MiB, t=2, p=1): one
lane per hash, so a pool of one thread per CPU runs at most one hashing thread per CPU. The
hashing threads run at a lower scheduling priority (nice 10) than the event loop, which so
keeps a CPU whenever it has work, however many sign-ins hash. At most `max_waiting` hashes are
admitted at once; past that, `HasherBusy` says at once when to try again, instead of a queue
that grows without end.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import threading
import time
import unicodedata
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher as Argon2Hasher
from argon2 import Type
from argon2.exceptions import InvalidHashError, VerificationError

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 128
# OWASP Password Storage Cheat Sheet, argon2id: m=19456 KiB (19 MiB), t=2, p=1.
ARGON2_PARAMETERS: dict[str, Any] = {
    "time_cost": 2,
    "memory_cost": 19456,
    "parallelism": 1,
    "hash_len": 32,
    "salt_len": 16,
    "type": Type.ID,
}
HASHING_THREAD_NICENESS = 10
DEFAULT_MAX_WAITING = 64


def normalized(password: str) -> str:
    """The form a password is hashed in: Unicode NFKC (NIST SP 800-63B rev. 4, 3.1.1.2), so
    the same password typed on two keyboards is one password."""
    return unicodedata.normalize("NFKC", password)


@dataclass(frozen=True)
class PasswordCheck:
    ok: bool
    legacy_form: bool
    """The password matched only as typed: its hash predates normalisation; hash it anew."""


class HasherBusy(Exception):
    """More hashes are admitted than the queue holds; try again after `retry_after_seconds`."""

    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(f"password hashing is busy: retry after {retry_after_seconds} s")
        self.retry_after_seconds = retry_after_seconds


def _lower_priority() -> None:
    """Runs in each hashing thread: Linux applies a thread id's niceness to that thread only."""
    with contextlib.suppress(OSError, AttributeError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), HASHING_THREAD_NICENESS)


class PasswordHasher:
    """One argon2 lane per thread, one thread per CPU, at most `max_waiting` hashes admitted."""

    def __init__(
        self,
        hasher: Argon2Hasher | None = None,
        max_workers: int | None = None,
        max_waiting: int = DEFAULT_MAX_WAITING,
    ) -> None:
        self._hasher = hasher or Argon2Hasher(**ARGON2_PARAMETERS)
        self._workers = max_workers or os.cpu_count() or 1
        self._executor = ThreadPoolExecutor(
            max_workers=self._workers, thread_name_prefix="argon2", initializer=_lower_priority
        )
        self._max_waiting = max_waiting
        self._admitted = 0
        self._seconds_per_hash = 0.05  # a moving average, for the retry hint
        # Unknown emails are verified against this so they cost the same as a wrong password.
        self._dummy_hash = self._hasher.hash("twofold-dummy-password")

    @contextlib.contextmanager
    def admitted(self) -> Iterator[None]:
        """Hold one of the `max_waiting` places, or raise `HasherBusy` at once.

        The event loop is one thread, so the count needs no lock.
        """
        if self._admitted >= self._max_waiting:
            backlog = self._admitted * self._seconds_per_hash / self._workers
            raise HasherBusy(max(1, math.ceil(backlog)))
        self._admitted += 1
        try:
            yield
        finally:
            self._admitted -= 1

    async def hash(self, password: str) -> str:
        """The hash of the password's normalised form."""
        digest: str = await self._run(self._hasher.hash, normalized(password))
        return digest

    async def verify(self, stored_hash: str | None, password: str) -> bool:
        """Check `password`; with no stored hash, burn the same work and answer False."""
        return (await self.check(stored_hash, password)).ok

    async def check(self, stored_hash: str | None, password: str) -> PasswordCheck:
        """Check the normalised form, then, for hashes made before normalisation, the form as
        typed when it differs. The second try depends only on what was typed, never on the
        account, so unknown emails (checked against the dummy hash) cost the same."""
        target = stored_hash or self._dummy_hash
        form = normalized(password)
        ok: bool = await self._run(self._verify_blocking, target, form)
        legacy = False
        if not ok and form != password:
            ok = legacy = await self._run(self._verify_blocking, target, password)
        found = ok and stored_hash is not None
        return PasswordCheck(found, legacy and found)

    def needs_rehash(self, stored_hash: str) -> bool:
        return self._hasher.check_needs_rehash(stored_hash)

    async def _run(self, function: Any, *args: str) -> Any:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._timed, function, *args)

    def _timed(self, function: Any, *args: str) -> Any:
        started = time.perf_counter()
        try:
            return function(*args)
        finally:
            elapsed = time.perf_counter() - started
            self._seconds_per_hash += (elapsed - self._seconds_per_hash) / 8

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
