"""A circuit breaker per SMS provider and destination region, kept in the database so every
process sees the same state.

Errors, time-outs and failed delivery reports are counted in a window (SMS_BREAKER_WINDOW_SECONDS);
SMS_BREAKER_FAILURES of them open the breaker. An open breaker keeps texts off that route until
SMS_BREAKER_COOLDOWN_SECONDS have passed; then one request wins a conditional UPDATE and sends
a trial text (half-open): its success closes the breaker, its failure opens it again. Time is the
clock provider's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F, Q

from domain.runtime import Runtime
from models.sms_breaker import BreakerState, SmsBreaker


@dataclass(frozen=True)
class RouteState:
    provider: str
    country: str
    state: BreakerState
    failures: int
    opened_at: datetime | None


async def allows(provider: str, country: str, runtime: Runtime) -> bool:
    """Whether a text may go through `provider` for `country` now (claiming the half-open
    trial when the cool-down is over)."""
    breaker = await SmsBreaker.get_or_none(provider=provider, country=country)
    if breaker is None or breaker.state is BreakerState.CLOSED:
        return True
    now = runtime.now()
    cooled = now - timedelta(seconds=runtime.settings.sms_breaker_cooldown_seconds)
    # One trial per cool-down: a trial lost with its process frees the next after another one.
    trial = await SmsBreaker.filter(
        id=breaker.id,
        state__in=[BreakerState.OPEN, BreakerState.HALF_OPEN],
        opened_at__lte=cooled,
    ).update(state=BreakerState.HALF_OPEN, opened_at=now, updated_at=now)
    return bool(trial)


async def succeeded(provider: str, country: str, runtime: Runtime) -> None:
    """The provider took a text: its breaker closes and forgets earlier failures."""
    await SmsBreaker.filter(
        Q(state__not=BreakerState.CLOSED) | Q(failures__gt=0), provider=provider, country=country
    ).update(
        state=BreakerState.CLOSED,
        failures=0,
        window_started_at=None,
        opened_at=None,
        updated_at=runtime.now(),
    )


async def failed(provider: str, country: str, runtime: Runtime) -> None:
    """An error, a time-out or a failed delivery report of `provider` for `country`."""
    settings, now = runtime.settings, runtime.now()
    await _row(provider, country, now)
    window_start = now - timedelta(seconds=settings.sms_breaker_window_seconds)
    mine = SmsBreaker.filter(provider=provider, country=country)
    counted = await mine.filter(window_started_at__gte=window_start).update(
        failures=F("failures") + 1, updated_at=now
    )
    if not counted:  # the first failure of a new window
        await mine.update(failures=1, window_started_at=now, updated_at=now)
    await SmsBreaker.filter(
        Q(state=BreakerState.HALF_OPEN)
        | Q(state=BreakerState.CLOSED, failures__gte=settings.sms_breaker_failures),
        provider=provider,
        country=country,
    ).update(state=BreakerState.OPEN, opened_at=now, updated_at=now)


async def states() -> list[RouteState]:
    """Every provider and region that has a breaker, in a stable order."""
    rows = await SmsBreaker.all().order_by("country", "provider")
    return [RouteState(r.provider, r.country, r.state, r.failures, r.opened_at) for r in rows]


async def _row(provider: str, country: str, now: datetime) -> None:
    if await SmsBreaker.exists(provider=provider, country=country):
        return
    try:
        await SmsBreaker.create(provider=provider, country=country, updated_at=now)
    except IntegrityError:
        pass  # another request created it first
