"""Brakes on password guessing that slow an attacker down without locking the owner out.

As OWASP's guidance on lockout describes: failures are counted per account *and source
address*, so a guesser elsewhere cannot hold the owner back, and per account across all
sources, against guessers spread over many addresses; the owner's known devices (devices that
completed a sign-in, see known_devices.py) pass that account-wide brake and have a brake of
their own instead. One address also gets a quota of failures per hour across all accounts.

Every attempt is counted as a failure when it is let through (one conditional upsert of the
brake's row, committed before the hash), so parallel guesses cannot slip past a delay the first
failures are about to earn. A right password clears its own brake and is not counted by the
account-wide one, which clears only when a sign-in completes, second factor included. The
address's hourly quota counts failures only, once the password is known to be wrong; an address
that has spent it is refused before any password is checked. Attempts in flight from one
address are bounded by the password hasher's queue, so they can pass that quota by no more than
the queue's length.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from domain import audit, quotas, raw_sql
from domain.accounts import MAX_EMAIL_LENGTH
from domain.runtime import Runtime
from models.codes import keyed_hash
from models.known_device import KnownDevice
from models.login_throttle import LoginThrottle
from models.user import User
from providers.passwords import MAX_PASSWORD_LENGTH, HasherBusy

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_SWAP_TRIES = 8


class Braked(Exception):
    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(f"retry after {retry_after_seconds} s")
        self.retry_after_seconds = retry_after_seconds


@dataclass(frozen=True)
class Brake:
    key: str
    free_failures: int
    cleared_by_password: bool


@dataclass(frozen=True)
class Held:
    """An attempt let through by a brake; `version` is what the reservation wrote."""

    brake: Brake
    version: int
    failures: int
    blocked_until: datetime


def account_key(email: str, runtime: Runtime) -> str:
    """Names an account by the email typed, whether or not it exists."""
    return keyed_hash(runtime.secret_key, "login-throttle", email[:MAX_EMAIL_LENGTH])


def brakes_for(email: str, device: KnownDevice | None, runtime: Runtime) -> list[Brake]:
    settings, key = runtime.settings, runtime.secret_key
    if device is not None:
        device_key = keyed_hash(key, "login-brake-device", str(device.id))
        return [Brake(device_key, settings.login_free_failures, cleared_by_password=True)]
    source = keyed_hash(
        key, "login-brake-source", email[:MAX_EMAIL_LENGTH], runtime.caller.ip_address
    )
    return [
        Brake(source, settings.login_free_failures, cleared_by_password=True),
        Brake(account_key(email, runtime), settings.login_account_free_failures, False),
    ]


def delay_after(failures: int, free_failures: int, runtime: Runtime) -> timedelta:
    """None for the first few failures, then 1 s doubling per failure up to the cap."""
    over = failures - free_failures
    if over < 0:
        return timedelta(0)
    seconds = min(2 ** min(over, 20), runtime.settings.login_max_delay_seconds)
    return timedelta(seconds=seconds)


def _reservation_sql(brake: Brake, now: datetime, runtime: Runtime) -> tuple[str, list[Any]]:
    """One statement that counts a failure in advance unless the brake's delay runs: an upsert
    whose update applies only to a brake that is not blocked, and writes the delay the new count
    earns (`delay_after`, spelled out as a CASE over the counts that change it). Atomic on its
    own: PostgreSQL locks the row and re-checks the condition on its latest version, SQLite has
    one writer. It returns the new count and version, or no row while the delay runs."""
    free = brake.free_failures
    steps: list[datetime] = []  # blocked_until after failure free + i
    last = delay_after(free + 20, free, runtime)
    for over in range(21):
        delay = delay_after(free + over, free, runtime)
        steps.append(now + delay)
        if delay >= last:
            break
    count = '"login_throttle"."failures" + 1'
    branches = "".join(f" WHEN {count} = {free + i} THEN ?ts" for i in range(len(steps) - 1))
    # The text holds only integers from the settings; every value is a parameter.
    sql = (
        'INSERT INTO "login_throttle" ("key", "failures", "blocked_until", "version")'  # noqa: S608
        " VALUES (?, 1, ?, 1)"
        ' ON CONFLICT ("key") DO UPDATE SET "failures" = ' + count + ","
        f' "blocked_until" = CASE WHEN {count} < {free} THEN ?ts{branches} ELSE ?ts END,'
        ' "version" = "login_throttle"."version" + 1'
        ' WHERE "login_throttle"."blocked_until" <= ?'
        ' RETURNING "failures", "version"'
    )
    first = now + delay_after(1, free, runtime)
    return sql, [brake.key, first, now, *steps, now]


async def _reserve(brake: Brake, now: datetime, runtime: Runtime) -> Held:
    """Count one failure in advance, or raise `Braked` while the brake's delay runs."""
    sql, values = _reservation_sql(brake, now, runtime)
    for _ in range(_SWAP_TRIES):
        counted = await raw_sql.rows(LoginThrottle._meta.db, sql, values)
        if counted:
            failures, version = counted[0]["failures"], counted[0]["version"]
            # Given back, it is unblocked again: any time before now says so.
            return Held(brake, version, failures - 1, now)
        row = await LoginThrottle.get_or_none(key=brake.key)
        if row is not None and row.blocked_until > now:
            raise Braked(max(1, math.ceil((row.blocked_until - now).total_seconds())))
    raise Braked(1)  # other attempts on this brake keep winning: try again in a moment


async def _give_back(held: Held) -> None:
    """Undo a reservation, unless the brake moved on since (then the count stays, safely)."""
    await LoginThrottle.filter(key=held.brake.key, version=held.version).update(
        failures=held.failures, blocked_until=held.blocked_until, version=F("version") + 1
    )


async def _clear_all(keys: list[str]) -> None:
    marks = ", ".join("?" for _ in keys)
    sql = (
        'UPDATE "login_throttle" SET "failures" = 0, "blocked_until" = ?,'  # noqa: S608 - placeholders only
        f' "version" = "version" + 1 WHERE "key" IN ({marks})'
    )
    await raw_sql.rows(LoginThrottle._meta.db, sql, [_EPOCH, *keys])


async def clear(key: str) -> None:
    await LoginThrottle.filter(key=key).update(
        failures=0, blocked_until=_EPOCH, version=F("version") + 1
    )


def _ip_quota(runtime: Runtime) -> quotas.Quota:
    return quotas.Quota(
        f"login-failure-ip:{runtime.caller.ip_address}",
        runtime.settings.login_failures_per_ip_per_hour,
        timedelta(hours=1),
    )


async def _take_all(brakes: list[Brake], runtime: Runtime) -> list[Held]:
    """Every brake's reservation, or none of them and `Braked`; `Braked` too when the
    address has spent its failures for the hour (checked, not taken: only failures count)."""
    now = runtime.now()
    if runtime.caller.ip_address:
        spent = await quotas.is_spent(_ip_quota(runtime), now)
        if spent is not None:
            raise Braked(spent.retry_after_seconds)
    held: list[Held] = []
    try:
        for brake in brakes:
            held.append(await _reserve(brake, now, runtime))
    except Braked:
        for reservation in held:
            await _give_back(reservation)
        raise
    return held


@dataclass(frozen=True)
class Passed:
    """A right password. Its brakes stay reserved until `settle` (in the caller's commit)."""

    user: User
    held: list[Held]
    rehashed: str | None
    """The password's hash anew, when the stored one has older parameters or form."""


async def verify_password(
    email: str, password: str, device: KnownDevice | None, runtime: Runtime
) -> User | None:
    """`check_password`, settled at once in its own commit (the sign-in does not end here)."""
    passed = await check_password(email, password, device, runtime)
    if passed is None:
        return None
    async with in_transaction():
        await settle(passed, runtime, completed=False)
    return passed.user


async def check_password(
    email: str, password: str, device: KnownDevice | None, runtime: Runtime
) -> Passed | None:
    """The user whose password this is, or None; raises `Braked` while a brake holds, or at
    once when more sign-ins wait for the password hasher than its queue holds. A right
    password must be given to `settle`.

    Unknown emails cost one argon2 verification against a dummy hash, like a wrong password.
    """
    try:
        with runtime.providers.passwords.admitted():
            return await _check_admitted(email, password, device, runtime)
    except HasherBusy as busy:
        raise Braked(busy.retry_after_seconds) from None


async def _check_admitted(
    email: str, password: str, device: KnownDevice | None, runtime: Runtime
) -> Passed | None:
    try:
        held = await _take_all(brakes_for(email, device, runtime), runtime)
    except Braked:
        await audit.record(runtime, "password", "braked", None)
        raise
    passwords = runtime.providers.passwords
    long = len(email) > MAX_EMAIL_LENGTH
    user = None if long else await raw_sql.first(User, '"email" = ?', [email])
    # Over-long passwords are never truncated; they simply cannot match.
    typed = password if len(password) <= MAX_PASSWORD_LENGTH else ""
    check = await passwords.check(user.password_hash if user else None, typed)
    if check.ok and user is not None:
        stale = check.legacy_form or passwords.needs_rehash(user.password_hash)
        return Passed(user, held, await passwords.hash(password) if stale else None)
    if runtime.caller.ip_address:
        await quotas.take([_ip_quota(runtime)], runtime.now())  # a failure of this address
    await audit.record(runtime, "password", "failed", user.id if user else None)
    return None


async def settle(
    passed: Passed,
    runtime: Runtime,
    *,
    completed: bool,
    then: Sequence[audit.Event] = (),
) -> None:
    """The writes after a right password, inside the caller's transaction, so they share the
    commit of the session they lead to (one sync of the database file), never around a hash.
    The brakes a right password clears are cleared; the account-wide one is given back (not a
    failure, but no reset either) unless the sign-in is `completed` here, which clears it.
    The audit rows, the password's and `then`, are written in one statement."""
    user = passed.user
    cleared = [held.brake.key for held in passed.held if held.brake.cleared_by_password]
    if completed:
        cleared.append(account_key(user.email, runtime))
    if cleared:
        await _clear_all(cleared)
    for reservation in passed.held:
        if not completed and not reservation.brake.cleared_by_password:
            await _give_back(reservation)
    if passed.rehashed is not None:
        user.password_hash = passed.rehashed
        await user.save(update_fields=["password_hash"])
    await audit.record_all(runtime, [audit.Event("password", "passed", user.id), *then])
