"""Checking a typed one-time code against a flow, with limits that hold under parallel requests.

Every submission first reserves an attempt with one conditional UPDATE; only a reserved attempt
is compared, so 50 parallel guesses (or 10 aliases in one document) still get at most the limit.
A right code is consumed by a second conditional UPDATE, so it works exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, auto
from typing import TYPE_CHECKING, Any

from tortoise.expressions import F

from models.codes import normalize_sms_code, same, sms_code_hmac
from models.enums import Step
from models.flow import MfaFlow
from models.session import AuthSession
from resolvers.sessions import revoke_session

if TYPE_CHECKING:
    from graph.context import Context


class Verdict(Enum):
    ACCEPTED = auto()
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


async def check_code(
    flow: MfaFlow, typed: str, context: Context, on_success: dict[str, Any]
) -> CodeCheck:
    """Judge `typed` against the flow's code; on success apply `on_success` to the flow."""
    settings = context.settings
    now = context.providers.clock.now()
    if flow.code_hmac is None or flow.code_expires_at is None or now >= flow.code_expires_at:
        return CodeCheck(Verdict.EXPIRED)
    max_attempts = settings.sms_code_max_attempts
    code = normalize_sms_code(typed)
    if code is None:
        # Not a code at all: nothing to guess with, so no attempt is spent.
        return CodeCheck(Verdict.WRONG, max(0, max_attempts - flow.code_attempts))
    reserved = await MfaFlow.filter(
        id=flow.id,
        code_hmac=flow.code_hmac,
        code_attempts__lt=max_attempts,
        failures__lt=settings.second_factor_max_failures,
    ).update(code_attempts=F("code_attempts") + 1, failures=F("failures") + 1, updated_at=now)
    if not reserved:
        return await _refusal(flow, context)
    if same(sms_code_hmac(settings.secret_key, str(flow.id), code), flow.code_hmac):
        consumed = await MfaFlow.filter(id=flow.id, code_hmac=flow.code_hmac).update(
            code_hmac=None,
            code_expires_at=None,
            code_attempts=0,
            failures=0,
            updated_at=now,
            **on_success,
        )
        if consumed:
            return CodeCheck(Verdict.ACCEPTED)
        return await _refusal(flow, context)
    return await _after_wrong_code(flow, context)


async def _after_wrong_code(flow: MfaFlow, context: Context) -> CodeCheck:
    fresh = await MfaFlow.get(id=flow.id)
    settings = context.settings
    if fresh.failures >= settings.second_factor_max_failures:
        await _end_sign_in(fresh, context)
        return CodeCheck(Verdict.SIGN_IN_ENDED)
    remaining = settings.sms_code_max_attempts - fresh.code_attempts
    if remaining <= 0:
        return CodeCheck(Verdict.CODE_DEAD)
    return CodeCheck(Verdict.WRONG, remaining)


async def _refusal(flow: MfaFlow, context: Context) -> CodeCheck:
    """No attempt could be reserved: say why, from the flow as it is now."""
    fresh = await MfaFlow.get(id=flow.id)
    if fresh.step is not flow.step:
        return CodeCheck(Verdict.OUT_OF_STEP, current_step=fresh.step)
    if fresh.failures >= context.settings.second_factor_max_failures:
        await _end_sign_in(fresh, context)
        return CodeCheck(Verdict.SIGN_IN_ENDED)
    if fresh.code_hmac != flow.code_hmac:
        # A new code replaced this one while we looked: the typed code is for the old one.
        return CodeCheck(
            Verdict.WRONG, context.settings.sms_code_max_attempts - fresh.code_attempts
        )
    return CodeCheck(Verdict.CODE_DEAD)


async def _end_sign_in(flow: MfaFlow, context: Context) -> None:
    session = await AuthSession.get(id=flow.session_id)  # type: ignore[attr-defined]
    await revoke_session(session, context.providers.clock)
    context.forget_session()
    context.clear_cookie()
