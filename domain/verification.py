"""Checking an answer to a flow's second-factor challenge, with limits that hold in parallel.

Every submission first reserves an attempt with one conditional UPDATE, against the factor's
own counter and the flow's consecutive failures, and one against the account's; only a reserved
attempt is judged, so 50 parallel guesses (or 10 aliases in one document) still get at most the
limit. A right answer is consumed as the flow advances (`domain.flows.advance`), in the same
transaction as the judgement, so it works exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, auto
from typing import Any

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from domain import audit, metrics, webhooks
from domain.factors import Accepted, AppCode, Factor, RecoveryCode
from domain.flows import LostRace, advance
from domain.runtime import Runtime
from domain.sessions import revoke_session_id
from models.enums import SessionKind, Step
from models.flow import MfaFlow
from models.session import AuthSession
from models.state_machine import Event
from models.stored_phone import open_phone
from models.user import User


class Verdict(Enum):
    ACCEPTED = auto()
    LOCKED = auto()
    WRONG = auto()
    EXPIRED = auto()
    CODE_DEAD = auto()
    SIGN_IN_ENDED = auto()
    OUT_OF_STEP = auto()


@dataclass(frozen=True)
class CodeCheck:
    verdict: Verdict
    attempts_remaining: int = 0
    current_step: Step = Step.COMPLETE

    @property
    def ends_the_session(self) -> bool:
        return self.verdict in (Verdict.SIGN_IN_ENDED, Verdict.LOCKED)


async def verify(
    flow: MfaFlow, factor: Factor, typed: str, event: Event, runtime: Runtime, **changes: Any
) -> CodeCheck:
    """Judge `typed` as an answer to `factor`; a right one takes `event` with `changes`."""
    if not factor.is_open(flow, runtime):
        return CodeCheck(Verdict.EXPIRED)
    answer = factor.read(typed)
    if answer is None:
        # Not an answer at all: nothing to guess with, so no attempt is spent.
        return CodeCheck(Verdict.WRONG, _remaining(flow, factor, runtime))
    refusal = await reserve(flow, factor, runtime)
    if refusal is not None:
        return refusal
    accepted: Accepted | None = None
    try:
        async with in_transaction():
            accepted = await factor.judge(flow, answer, runtime)
            if accepted is not None:
                reset = {factor.counter: 0} if factor.counter else {}
                await advance(
                    flow, event, runtime, guard=accepted.guard, failures=0,
                    **reset, **accepted.changes, **changes,
                )  # fmt: skip
                # In the same commit: the account's failures cleared, the success recorded.
                await User.filter(id=flow.user_id).update(second_factor_failures=0)
                await audit.record(
                    runtime, f"second_factor.{flow.purpose.value}", "passed", flow.user_id
                )
    except LostRace:
        return await _refusal(flow, factor, runtime)
    if accepted is None:
        return await _after_wrong(flow, factor, runtime)
    metrics.CODES_VERIFIED.labels(*_country_and_method(flow, factor, runtime)).inc()
    return CodeCheck(Verdict.ACCEPTED)


def _country_and_method(flow: MfaFlow, factor: Factor, runtime: Runtime) -> tuple[str, str]:
    """The metric labels of a right answer: the texted number's region for SMS codes."""
    if isinstance(factor, AppCode):
        return metrics.NO_COUNTRY, "authenticator_app"
    if isinstance(factor, RecoveryCode):
        return metrics.NO_COUNTRY, "recovery_code"
    if flow.phone_sealed is None:
        return "ZZ", metrics.SMS
    return metrics.country_of(open_phone(runtime.secret_key, flow.phone_sealed)), metrics.SMS


async def reserve(flow: MfaFlow, factor: Factor, runtime: Runtime) -> CodeCheck | None:
    """Count one attempt before judging it: None when reserved, else why not."""
    settings = runtime.settings
    limits: dict[str, Any] = {"failures__lt": settings.second_factor_max_failures}
    increments: dict[str, Any] = {"failures": F("failures") + 1}
    if factor.counter is not None:
        limits[f"{factor.counter}__lt"] = factor.limit(settings)
        increments[factor.counter] = F(factor.counter) + 1
    reserved = await MfaFlow.filter(id=flow.id, **limits, **factor.reservation_guard(flow)).update(
        updated_at=runtime.now(), **increments
    )
    if not reserved:
        return await _refusal(flow, factor, runtime)
    # The account counts too: its consecutive failures lock the factor. Reserved before
    # judging, like the flow's attempt, so parallel flows cannot overshoot.
    if not await User.filter(
        id=flow.user_id,
        second_factor_failures__lt=settings.second_factor_lock_failures,
        second_factor_locked_at__isnull=True,
    ).update(second_factor_failures=F("second_factor_failures") + 1):
        return await _lock(flow, runtime)
    return None


def attempts_spent(flow: MfaFlow, factor: Factor, runtime: Runtime) -> bool:
    """Whether the factor's attempts at this challenge are used up (the flow's may not be)."""
    return factor.counter is not None and _used(flow, factor) >= factor.limit(runtime.settings)


def _used(flow: MfaFlow, factor: Factor) -> int:
    return int(getattr(flow, factor.counter)) if factor.counter else 0


def _remaining(flow: MfaFlow, factor: Factor, runtime: Runtime) -> int:
    settings = runtime.settings
    per_flow = settings.second_factor_max_failures - flow.failures
    if factor.counter is None:
        return max(0, per_flow)
    return max(0, min(factor.limit(settings) - _used(flow, factor), per_flow))


async def _lock(flow: MfaFlow, runtime: Runtime) -> CodeCheck:
    """Lock the second factor until an admin reset, and end every pending sign-in."""
    now = runtime.now()
    async with in_transaction():
        if await User.filter(id=flow.user_id, second_factor_locked_at__isnull=True).update(
            second_factor_locked_at=now
        ):
            await audit.record(runtime, "second_factor", "locked", flow.user_id)
            await webhooks.queue_event(
                runtime, "account.locked", await User.get(id=flow.user_id), webhooks.SYSTEM,
                failures=runtime.settings.second_factor_lock_failures,
            )  # fmt: skip
    await AuthSession.filter(
        user_id=flow.user_id, kind=SessionKind.PENDING, revoked_at__isnull=True
    ).update(revoked_at=now)
    return CodeCheck(Verdict.LOCKED)


async def _after_wrong(flow: MfaFlow, factor: Factor, runtime: Runtime) -> CodeCheck:
    await audit.record(runtime, f"second_factor.{flow.purpose.value}", "failed", flow.user_id)
    limit = runtime.settings.second_factor_lock_failures
    if await User.filter(id=flow.user_id, second_factor_failures__gte=limit).exists():
        return await _lock(flow, runtime)
    fresh = await MfaFlow.get(id=flow.id)
    if fresh.step is not flow.step:
        # A parallel request with the right answer moved the flow on; this one lost the race.
        return CodeCheck(Verdict.OUT_OF_STEP, current_step=fresh.step)
    if fresh.failures >= runtime.settings.second_factor_max_failures:
        return await _exhausted(fresh, runtime)
    remaining = _remaining(fresh, factor, runtime)
    return CodeCheck(Verdict.WRONG, remaining) if remaining else CodeCheck(Verdict.CODE_DEAD)


async def _refusal(flow: MfaFlow, factor: Factor, runtime: Runtime) -> CodeCheck:
    """No attempt could be reserved or consumed: say why, from the flow as it is now."""
    fresh = await MfaFlow.get(id=flow.id)
    if fresh.step is not flow.step:
        return CodeCheck(Verdict.OUT_OF_STEP, current_step=fresh.step)
    if fresh.failures >= runtime.settings.second_factor_max_failures:
        return await _exhausted(fresh, runtime)
    if any(getattr(fresh, name) != value for name, value in factor.reservation_guard(flow).items()):
        # A new challenge replaced this one while we looked: the answer was for the old one.
        return CodeCheck(Verdict.WRONG, _remaining(fresh, factor, runtime))
    return CodeCheck(Verdict.CODE_DEAD)


async def _exhausted(flow: MfaFlow, runtime: Runtime) -> CodeCheck:
    """Too many failures end the session: a pending sign-in, or a signed-in user's session
    whose step-up challenge failed ten times (the product signs the user out)."""
    await revoke_session_id(flow.session_id, runtime)
    await audit.record(runtime, "session", "ended_after_failures", flow.user_id)
    return CodeCheck(Verdict.SIGN_IN_ENDED)
