"""Translating outcomes of code checks and sends into the API's union members."""

from __future__ import annotations

from graph.types.enums import to_step
from graph.types.errors import (
    CodeExpiredError,
    InvalidCodeError,
    RateLimitedError,
    ResendNotAvailableError,
    SmsDeliveryFailedError,
    TooManyAttemptsError,
    WrongStepError,
)
from graph.types.payloads import SmsCodeSent
from models.state_machine import IllegalTransition
from resolvers.code_check import CodeCheck, Verdict
from resolvers.sms_delivery import (
    Cooldown,
    DeliveryFailed,
    OutOfStep,
    RateLimited,
    SendOutcome,
    Sent,
)

CodeRefusal = InvalidCodeError | CodeExpiredError | TooManyAttemptsError | WrongStepError
AppCodeRefusal = InvalidCodeError | TooManyAttemptsError | WrongStepError
SendAnswer = (
    SmsCodeSent
    | ResendNotAvailableError
    | SmsDeliveryFailedError
    | RateLimitedError
    | WrongStepError
)


def wrong_step(error: IllegalTransition) -> WrongStepError:
    return WrongStepError(current_step=to_step(error.step))


def code_refusal(check: CodeCheck) -> CodeRefusal:
    """The union member for every verdict but ACCEPTED."""
    match check.verdict:
        case Verdict.WRONG:
            return InvalidCodeError(attempts_remaining=check.attempts_remaining)
        case Verdict.EXPIRED:
            return CodeExpiredError()
        case Verdict.CODE_DEAD:
            return TooManyAttemptsError(sign_in_ended=False)
        case Verdict.SIGN_IN_ENDED | Verdict.LOCKED:
            return TooManyAttemptsError(sign_in_ended=True)
        case Verdict.OUT_OF_STEP:
            return WrongStepError(current_step=to_step(check.current_step))
    raise ValueError(f"{check.verdict} is not a refusal")


def app_code_refusal(check: CodeCheck) -> AppCodeRefusal:
    """App and recovery codes never expire as such: their refusals have no CodeExpiredError."""
    refusal = code_refusal(check)
    if isinstance(refusal, CodeExpiredError):
        raise ValueError("an app or recovery code cannot expire")
    return refusal


def step_up_refusal(check: CodeCheck) -> InvalidCodeError | CodeExpiredError | TooManyAttemptsError:
    """A step-up code that lost a race to another request was already used: it expired."""
    if check.verdict is Verdict.OUT_OF_STEP:
        return CodeExpiredError()
    refusal = code_refusal(check)
    if isinstance(refusal, WrongStepError):
        raise ValueError("only OUT_OF_STEP maps to WrongStepError")
    return refusal


def send_answer(outcome: SendOutcome) -> SendAnswer:
    match outcome:
        case Sent():
            return SmsCodeSent(
                masked_phone_number=outcome.masked_phone_number,
                expires_at=outcome.expires_at,
                resend_available_at=outcome.resend_available_at,
            )
        case Cooldown():
            return ResendNotAvailableError(retry_after_seconds=outcome.retry_after_seconds)
        case DeliveryFailed():
            return SmsDeliveryFailedError()
        case OutOfStep():
            return WrongStepError(current_step=to_step(outcome.current_step))
        case RateLimited():
            return RateLimitedError(retry_after_seconds=outcome.retry_after_seconds)
