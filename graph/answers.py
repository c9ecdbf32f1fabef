"""Turning the domain's outcomes into the API's union members, and sessions into payloads.

Where an outcome ended the session, the request and the browser forget it here: cookies are
the GraphQL layer's business, not the domain's.
"""

from __future__ import annotations

from domain.flows import LostRace
from domain.policy import UserPolicy
from domain.sessions import lifetime_seconds
from domain.sign_in import SignedIn
from domain.step_up import StepUpNeeded
from domain.texting import Cooldown, DeliveryFailed, OutOfStep, RateLimited, SendOutcome, Sent
from domain.verification import CodeCheck, Verdict
from graph.context import Context
from graph.types.enums import to_method, to_step
from graph.types.errors import (
    CodeExpiredError,
    InvalidCodeError,
    MethodNotAllowedError,
    RateLimitedError,
    ReauthenticationRequiredError,
    ResendNotAvailableError,
    SmsDeliveryFailedError,
    TooManyAttemptsError,
    WrongStepError,
)
from graph.types.payloads import (
    AuthenticatorAppMethodChosen,
    LoggedIn,
    MfaChallengeRequired,
    MfaSetupRequired,
    SmsCodeSent,
)
from graph.types.user import User as UserType
from models import totp
from models.enums import MfaMethod
from models.session import AuthSession
from models.state_machine import IllegalTransition
from models.user import User

CodeRefusal = InvalidCodeError | CodeExpiredError | TooManyAttemptsError | WrongStepError
AppCodeRefusal = InvalidCodeError | TooManyAttemptsError | WrongStepError
SendAnswer = (
    SmsCodeSent
    | ResendNotAvailableError
    | SmsDeliveryFailedError
    | RateLimitedError
    | WrongStepError
)


def wrong_step(error: IllegalTransition | LostRace) -> WrongStepError:
    """An event the flow's step does not take, or a parallel request that moved it first."""
    step = error.step if isinstance(error, IllegalTransition) else error.current_step
    return WrongStepError(current_step=to_step(step))


def method_not_allowed(allowed: list[MfaMethod]) -> MethodNotAllowedError:
    return MethodNotAllowedError(allowed_methods=[to_method(m) for m in allowed])


def reauthentication_required(needed: StepUpNeeded) -> ReauthenticationRequiredError:
    return ReauthenticationRequiredError(methods=[to_method(m) for m in needed.methods])


def code_refusal(check: CodeCheck, context: Context) -> CodeRefusal:
    """The union member for every verdict but ACCEPTED."""
    if check.ends_the_session:
        context.end_session()
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


def app_code_refusal(check: CodeCheck, context: Context) -> AppCodeRefusal:
    """App and recovery codes never expire as such: their refusals have no CodeExpiredError."""
    refusal = code_refusal(check, context)
    if isinstance(refusal, CodeExpiredError):
        raise ValueError("an app or recovery code cannot expire")
    return refusal


def step_up_refusal(
    check: CodeCheck, context: Context
) -> InvalidCodeError | CodeExpiredError | TooManyAttemptsError:
    """A step-up code that lost a race to another request was already used: it expired."""
    if check.verdict is Verdict.OUT_OF_STEP:
        return CodeExpiredError()
    refusal = code_refusal(check, context)
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


def authenticator_app_setup(
    secret: str, account: str, context: Context
) -> AuthenticatorAppMethodChosen:
    """What adding an app takes: the secret (for people and for libraries), URI and QR code."""
    uri = totp.provisioning_uri(secret, account, context.settings.totp_issuer)
    return AuthenticatorAppMethodChosen(
        secret=totp.grouped(secret),
        secret_base32=secret,
        otpauth_uri=uri,
    )


def logged_in(signed: SignedIn, context: Context, *, native: bool) -> LoggedIn:
    """Hand the new session (and a new device token) to the client the way it keeps them."""
    context.forget_session()
    return LoggedIn(
        session_token=context.deliver_token(
            signed.token, native=native, max_age_seconds=lifetime_seconds(signed.session)
        ),
        device_token=context.deliver_device_token(signed.device_token, native=native),
        user=UserType.from_model(signed.user),
    )


def second_factor_screen(
    token: str,
    session: AuthSession,
    user: User,
    policy: UserPolicy | None,
    context: Context,
    *,
    native: bool,
) -> MfaSetupRequired | MfaChallengeRequired:
    """The pending session that enrolls a first factor (no `policy`) or passes the challenge."""
    pending = context.deliver_token(token, native=native, max_age_seconds=lifetime_seconds(session))
    if policy is None:
        return MfaSetupRequired(pending_token=pending)
    return MfaChallengeRequired(
        pending_token=pending,
        methods=[to_method(m) for m in policy.usable],
        preferred_method=to_method(policy.preferred) if policy.preferred else None,
        masked_phone_number=user.phone_masked if MfaMethod.SMS in policy.usable else None,
    )
