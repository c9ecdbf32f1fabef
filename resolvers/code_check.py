"""Checking a typed one-time code against a flow, with limits that hold under parallel requests.

Every submission first reserves an attempt with one conditional UPDATE; only a reserved attempt
is compared, so 50 parallel guesses (or 10 aliases in one document) still get at most the limit.
A right code is consumed by a second conditional UPDATE, so it works exactly once. SMS codes
count against the code's own counter, app codes against the flow's app counter, and both
against the flow's consecutive-failure counter that ends a pending sign-in.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, auto
from typing import TYPE_CHECKING, Any

from tortoise.expressions import F, Q

from models import totp
from models.codes import normalize_sms_code, same, sms_code_hmac
from models.enums import SessionKind, Step
from models.flow import MfaFlow
from models.sealing import Sealed, unseal
from models.session import AuthSession
from models.user import User
from resolvers import audit
from resolvers.sessions import revoke_session

if TYPE_CHECKING:
    from graph.context import Context

SMS_COUNTER = "code_attempts"
APP_COUNTER = "totp_attempts"


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


async def check_sms_code(
    flow: MfaFlow, typed: str, context: Context, on_success: dict[str, Any]
) -> CodeCheck:
    """Judge `typed` against the flow's texted code; on success apply `on_success`."""
    now = context.providers.clock.now()
    if flow.code_hmac is None or flow.code_expires_at is None or now >= flow.code_expires_at:
        return CodeCheck(Verdict.EXPIRED)
    code = normalize_sms_code(typed)
    if code is None:
        # Not a code at all: nothing to guess with, so no attempt is spent.
        return CodeCheck(Verdict.WRONG, _remaining(flow, SMS_COUNTER, context))
    if not await _reserve(flow, SMS_COUNTER, context, code_hmac=flow.code_hmac):
        return await _refusal(flow, SMS_COUNTER, context)
    if not await _reserve_account_attempt(flow, context):
        return await _lock(flow, context)
    if not same(sms_code_hmac(context.settings.secret_key, str(flow.id), code), flow.code_hmac):
        return await _after_wrong(flow, SMS_COUNTER, context)
    return await _consume(
        flow,
        SMS_COUNTER,
        context,
        {"code_hmac": None, "code_expires_at": None, **on_success},
        code_hmac=flow.code_hmac,
    )


async def check_app_code(
    flow: MfaFlow, typed: str, sealed_secret: str, context: Context, on_success: dict[str, Any]
) -> CodeCheck:
    """Judge `typed` against an authenticator app secret; a time step is accepted only once."""
    code = normalize_sms_code(typed)
    if code is None:
        return CodeCheck(Verdict.WRONG, _remaining(flow, APP_COUNTER, context))
    if not await _reserve(flow, APP_COUNTER, context, step=flow.step):
        return await _refusal(flow, APP_COUNTER, context)
    if not await _reserve_account_attempt(flow, context):
        return await _lock(flow, context)
    secret = unseal(context.settings.secret_key, Sealed.TOTP_SECRET, sealed_secret)
    step = totp.matching_step(secret, code, context.providers.clock.now())
    if step is None:
        return await _after_wrong(flow, APP_COUNTER, context)
    # The replay guard: only one request can move the user's last accepted step forward.
    claimed = await User.filter(
        Q(totp_last_step__isnull=True) | Q(totp_last_step__lt=step), id=flow.user_id
    ).update(totp_last_step=step)
    if not claimed:
        return await _after_wrong(flow, APP_COUNTER, context)
    return await _consume(flow, APP_COUNTER, context, on_success, step=flow.step)


async def reserve_attempt(flow: MfaFlow, counter: str | None, context: Context) -> CodeCheck | None:
    """Reserve one attempt at the flow's step; None when reserved, else the refusal."""
    if not await _reserve(flow, counter, context, step=flow.step):
        return await _refusal(flow, counter, context)
    if not await _reserve_account_attempt(flow, context):
        return await _lock(flow, context)
    return None


async def settle_wrong(flow: MfaFlow, counter: str | None, context: Context) -> CodeCheck:
    """The verdict after a reserved attempt turned out wrong."""
    return await _after_wrong(flow, counter, context)


def app_codes_spent(flow: MfaFlow, context: Context) -> bool:
    """Whether the flow's app-code attempts are used up (its failures may not be)."""
    return flow.totp_attempts >= context.settings.sms_code_max_attempts


def _remaining(flow: MfaFlow, counter: str | None, context: Context) -> int:
    settings = context.settings
    per_flow = settings.second_factor_max_failures - flow.failures
    if counter is None:
        return max(0, per_flow)
    per_code = settings.sms_code_max_attempts - int(getattr(flow, counter))
    return max(0, min(per_code, per_flow))


async def _reserve(flow: MfaFlow, counter: str | None, context: Context, **guard: Any) -> bool:
    settings = context.settings
    limits: dict[str, Any] = {"failures__lt": settings.second_factor_max_failures}
    increments: dict[str, Any] = {"failures": F("failures") + 1}
    if counter is not None:
        limits[f"{counter}__lt"] = settings.sms_code_max_attempts
        increments[counter] = F(counter) + 1
    reserved = await MfaFlow.filter(id=flow.id, **limits, **guard).update(
        updated_at=context.providers.clock.now(), **increments
    )
    return bool(reserved)


async def _reserve_account_attempt(flow: MfaFlow, context: Context) -> bool:
    """Count the attempt against the account too: its consecutive failures lock the factor.

    Reserved before judging, like the flow's attempt, so parallel flows cannot overshoot.
    """
    limit = context.settings.second_factor_lock_failures
    reserved = await User.filter(
        id=flow.user_id,
        second_factor_failures__lt=limit,
        second_factor_locked_at__isnull=True,
    ).update(second_factor_failures=F("second_factor_failures") + 1)
    return bool(reserved)


async def _lock(flow: MfaFlow, context: Context) -> CodeCheck:
    """Lock the second factor until an admin reset, and end every pending sign-in."""
    now = context.providers.clock.now()
    if await User.filter(id=flow.user_id, second_factor_locked_at__isnull=True).update(
        second_factor_locked_at=now
    ):
        await audit.record(context, "second_factor", "locked", flow.user_id)
    await AuthSession.filter(
        user_id=flow.user_id, kind=SessionKind.PENDING, revoked_at__isnull=True
    ).update(revoked_at=now)
    context.forget_session()
    context.clear_cookie()
    return CodeCheck(Verdict.LOCKED)


async def _consume(
    flow: MfaFlow, counter: str, context: Context, updates: dict[str, Any], **guard: Any
) -> CodeCheck:
    consumed = await MfaFlow.filter(id=flow.id, **guard).update(
        failures=0, updated_at=context.providers.clock.now(), **{counter: 0}, **updates
    )
    if consumed:
        await User.filter(id=flow.user_id).update(second_factor_failures=0)
        await audit.record(context, f"second_factor.{flow.purpose.value}", "passed", flow.user_id)
        return CodeCheck(Verdict.ACCEPTED)
    return await _refusal(flow, counter, context)


async def _after_wrong(flow: MfaFlow, counter: str | None, context: Context) -> CodeCheck:
    await audit.record(context, f"second_factor.{flow.purpose.value}", "failed", flow.user_id)
    limit = context.settings.second_factor_lock_failures
    if await User.filter(id=flow.user_id, second_factor_failures__gte=limit).exists():
        return await _lock(flow, context)
    fresh = await MfaFlow.get(id=flow.id)
    if fresh.step is not flow.step:
        # A parallel request with the right code moved the flow on; this one lost the race.
        return CodeCheck(Verdict.OUT_OF_STEP, current_step=fresh.step)
    if fresh.failures >= context.settings.second_factor_max_failures:
        return await _exhausted(fresh, context)
    remaining = _remaining(fresh, counter, context)
    return CodeCheck(Verdict.WRONG, remaining) if remaining else CodeCheck(Verdict.CODE_DEAD)


async def _refusal(flow: MfaFlow, counter: str | None, context: Context) -> CodeCheck:
    """No attempt could be reserved or consumed: say why, from the flow as it is now."""
    fresh = await MfaFlow.get(id=flow.id)
    if fresh.step is not flow.step:
        return CodeCheck(Verdict.OUT_OF_STEP, current_step=fresh.step)
    if fresh.failures >= context.settings.second_factor_max_failures:
        return await _exhausted(fresh, context)
    if counter == SMS_COUNTER and fresh.code_hmac != flow.code_hmac:
        # A new code replaced this one while we looked: the typed code is for the old one.
        return CodeCheck(Verdict.WRONG, _remaining(fresh, counter, context))
    return CodeCheck(Verdict.CODE_DEAD)


async def _exhausted(flow: MfaFlow, context: Context) -> CodeCheck:
    """Too many failures end the session: a pending sign-in, or a signed-in user's session
    whose step-up challenge failed ten times (the product signs the user out)."""
    session = await AuthSession.get(id=flow.session_id)
    await revoke_session(session, context.providers.clock)
    await audit.record(context, "session", "ended_after_failures", flow.user_id)
    context.forget_session()
    context.clear_cookie()
    return CodeCheck(Verdict.SIGN_IN_ENDED)
