"""Brakes on password guessing: per account (growing delays) and per client IP (a quota).

One verification per account runs at a time (a lease taken by conditional UPDATE), so
parallel guesses cannot slip past a delay that the first failure is about to earn.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q

from models.codes import keyed_hash
from models.login_throttle import LoginThrottle
from models.user import User
from providers.passwords import MAX_PASSWORD_LENGTH
from resolvers import audit, send_quota

if TYPE_CHECKING:
    from graph.context import Context

_LEASE = timedelta(seconds=10)
MAX_EMAIL_LENGTH = 254
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class Braked(Exception):
    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(f"retry after {retry_after_seconds} s")
        self.retry_after_seconds = retry_after_seconds


def account_key(email: str, context: Context) -> str:
    return keyed_hash(context.settings.secret_key, "login-throttle", email)


def delay_after(failures: int, context: Context) -> timedelta:
    """None for the first few failures, then 1 s doubling per failure up to the cap."""
    settings = context.settings
    over = failures - settings.login_free_failures
    if over < 0:
        return timedelta(0)
    seconds = min(2 ** min(over, 20), settings.login_max_delay_seconds)
    return timedelta(seconds=seconds)


async def acquire(email: str, context: Context) -> tuple[str, list[send_quota.Taken]]:
    """Take the account's verification lease and an IP failure slot, or raise `Braked`."""
    now = context.providers.clock.now()
    key = account_key(email[:MAX_EMAIL_LENGTH], context)
    try:
        await LoginThrottle.get_or_create(key=key, defaults={"blocked_until": _EPOCH})
    except IntegrityError:
        pass  # created by a parallel request
    leased = await LoginThrottle.filter(
        Q(verifying_until__isnull=True) | Q(verifying_until__lte=now),
        key=key,
        blocked_until__lte=now,
    ).update(verifying_until=now + _LEASE)
    if not leased:
        row = await LoginThrottle.get(key=key)
        wait = max(row.blocked_until, row.verifying_until or _EPOCH) - now
        raise Braked(max(1, math.ceil(wait.total_seconds())))
    ip = context.meta.ip_address
    quota = send_quota.Quota(
        f"login-failure-ip:{ip}",
        context.settings.login_failures_per_ip_per_hour,
        timedelta(hours=1),
    )
    taken = await send_quota.take([quota], now) if ip else []
    if isinstance(taken, send_quota.Refused):
        await LoginThrottle.filter(key=key).update(verifying_until=None)
        raise Braked(taken.retry_after_seconds)
    return key, taken


async def settle(key: str, taken: list[send_quota.Taken], ok: bool, context: Context) -> None:
    """Record the outcome: success clears the brakes, failure earns the next delay."""
    if ok:
        await send_quota.give_back(taken)  # only failures count against the IP
        await LoginThrottle.filter(key=key).update(failures=0, verifying_until=None)
        return
    row = await LoginThrottle.get(key=key)
    failures = row.failures + 1  # safe: we hold the lease
    await LoginThrottle.filter(key=key).update(
        failures=failures,
        blocked_until=context.providers.clock.now() + delay_after(failures, context),
        verifying_until=None,
    )


async def verify_password(email: str, password: str, context: Context) -> User | None:
    """The user whose password this is, or None; raises `Braked` while the brakes hold.

    Unknown emails cost one argon2 verification against a dummy hash, like a wrong password.
    """
    try:
        key, taken = await acquire(email, context)
    except Braked:
        await audit.record(context, "password", "braked", None)
        raise
    ok = False
    user = None
    try:
        passwords = context.providers.passwords
        user = await User.get_or_none(email=email) if len(email) <= MAX_EMAIL_LENGTH else None
        # Over-long passwords are never truncated; they simply cannot match.
        typed = password if len(password) <= MAX_PASSWORD_LENGTH else ""
        ok = await passwords.verify(user.password_hash if user else None, typed)
        if ok and user is not None and passwords.needs_rehash(user.password_hash):
            user.password_hash = await passwords.hash(password)
            await user.save(update_fields=["password_hash"])
    finally:
        await settle(key, taken, ok, context)
    await audit.record(context, "password", "passed" if ok else "failed", user.id if user else None)
    return user if ok else None
