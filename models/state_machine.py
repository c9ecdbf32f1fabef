"""The pure MFA state machine: steps, events, and one table of every kind of flow.

No I/O here: `domain/flows.py` asks `advance` whether an event is legal for a flow's purpose
and step and stores the step it returns. Keying by purpose keeps, say, a phone-number change
from ever issuing a recovery code through `verifySmsCode`.
"""

from __future__ import annotations

from enum import StrEnum

from models.enums import FlowPurpose, Step


class Event(StrEnum):
    """One screen's action, i.e. one GraphQL mutation."""

    START_SETUP = "start_setup"
    CHOOSE_SMS = "choose_sms"
    CHOOSE_AUTHENTICATOR_APP = "choose_authenticator_app"
    SEND_SMS_CODE = "send_sms_code"
    RESEND_SMS_CODE = "resend_sms_code"
    VERIFY_SMS_CODE = "verify_sms_code"
    VERIFY_AUTHENTICATOR_CODE = "verify_authenticator_code"
    CONFIRM_RECOVERY_CODE_SAVED = "confirm_recovery_code_saved"
    SEND_LOGIN_CODE = "send_login_code"
    VERIFY_LOGIN_CODE = "verify_login_code"
    USE_RECOVERY_CODE = "use_recovery_code"
    SEND_REAUTHENTICATION_CODE = "send_reauthentication_code"
    REAUTHENTICATE = "reauthenticate"
    START_PHONE_NUMBER_CHANGE = "start_phone_number_change"
    CONFIRM_PHONE_NUMBER_CHANGE = "confirm_phone_number_change"
    REISSUE_RECOVERY_CODE = "reissue_recovery_code"
    CHOOSE_SECURITY_KEY = "choose_security_key"
    REGISTER_SECURITY_KEY = "register_security_key"
    START_SECURITY_KEY_CHALLENGE = "start_security_key_challenge"


class Lifetime(StrEnum):
    """How long a flow lives; `domain/flows.py` turns it into a time with the settings."""

    PENDING_SESSION = "pending_session"  # as long as the pending sign-in that owns it
    STEP_UP_WINDOW = "step_up_window"  # until the second factor is too old for changes
    TEXTED_CODE = "texted_code"  # as long as the code it texts


P, S, E = FlowPurpose, Step, Event
# Every purpose on one screen: its lifetime, then (from, event, to) for each legal transition.
FLOWS: dict[FlowPurpose, tuple[Lifetime, list[tuple[Step, Event, Step]]]] = {
    P.ENROLLMENT: (Lifetime.PENDING_SESSION, [
        (S.SETUP_REQUIRED, E.START_SETUP, S.METHOD_SELECTION),
        # Back to the method list from a later screen, like the article's Back link.
        (S.METHOD_SELECTION, E.START_SETUP, S.METHOD_SELECTION),
        (S.PHONE_NUMBER_ENTRY, E.START_SETUP, S.METHOD_SELECTION),
        (S.CODE_VERIFICATION, E.START_SETUP, S.METHOD_SELECTION),
        (S.AUTHENTICATOR_APP_SCAN, E.START_SETUP, S.METHOD_SELECTION),
        (S.SECURITY_KEY_REGISTRATION, E.START_SETUP, S.METHOD_SELECTION),
        (S.METHOD_SELECTION, E.CHOOSE_SMS, S.PHONE_NUMBER_ENTRY),
        (S.METHOD_SELECTION, E.CHOOSE_AUTHENTICATOR_APP, S.AUTHENTICATOR_APP_SCAN),
        (S.METHOD_SELECTION, E.CHOOSE_SECURITY_KEY, S.SECURITY_KEY_REGISTRATION),
        (S.PHONE_NUMBER_ENTRY, E.SEND_SMS_CODE, S.CODE_VERIFICATION),
        # A mistyped number corrected: the resend cooldown still applies.
        (S.CODE_VERIFICATION, E.SEND_SMS_CODE, S.CODE_VERIFICATION),
        (S.CODE_VERIFICATION, E.RESEND_SMS_CODE, S.CODE_VERIFICATION),
        (S.CODE_VERIFICATION, E.VERIFY_SMS_CODE, S.RECOVERY_CODE_SAVE),
        (S.AUTHENTICATOR_APP_SCAN, E.VERIFY_AUTHENTICATOR_CODE, S.RECOVERY_CODE_SAVE),
        (S.SECURITY_KEY_REGISTRATION, E.REGISTER_SECURITY_KEY, S.RECOVERY_CODE_SAVE),
        # A code shown once and lost (a reload): a new one in its place.
        (S.RECOVERY_CODE_SAVE, E.REISSUE_RECOVERY_CODE, S.RECOVERY_CODE_SAVE),
        (S.RECOVERY_CODE_SAVE, E.CONFIRM_RECOVERY_CODE_SAVED, S.COMPLETE),
    ]),
    P.LOGIN: (Lifetime.PENDING_SESSION, [
        (S.CHALLENGE, E.SEND_LOGIN_CODE, S.CHALLENGE),
        (S.CHALLENGE, E.START_SECURITY_KEY_CHALLENGE, S.CHALLENGE),
        (S.CHALLENGE, E.VERIFY_LOGIN_CODE, S.COMPLETE),
        # A lost phone: the recovery code is spent and a new one must be saved first.
        (S.CHALLENGE, E.USE_RECOVERY_CODE, S.RECOVERY_CODE_SAVE),
        (S.RECOVERY_CODE_SAVE, E.REISSUE_RECOVERY_CODE, S.RECOVERY_CODE_SAVE),
        (S.RECOVERY_CODE_SAVE, E.CONFIRM_RECOVERY_CODE_SAVED, S.COMPLETE),
    ]),
    # The sign-in challenge again, before an emailed reset sets the new password: every
    # factor, the recovery code included, and the same account lock.
    P.PASSWORD_RESET: (Lifetime.PENDING_SESSION, [
        (S.CHALLENGE, E.SEND_LOGIN_CODE, S.CHALLENGE),
        (S.CHALLENGE, E.START_SECURITY_KEY_CHALLENGE, S.CHALLENGE),
        (S.CHALLENGE, E.VERIFY_LOGIN_CODE, S.COMPLETE),
        (S.CHALLENGE, E.USE_RECOVERY_CODE, S.RECOVERY_CODE_SAVE),
        (S.RECOVERY_CODE_SAVE, E.REISSUE_RECOVERY_CODE, S.RECOVERY_CODE_SAVE),
        (S.RECOVERY_CODE_SAVE, E.CONFIRM_RECOVERY_CODE_SAVED, S.COMPLETE),
    ]),
    P.REAUTHENTICATION: (Lifetime.TEXTED_CODE, [
        (S.CHALLENGE, E.SEND_REAUTHENTICATION_CODE, S.CHALLENGE),
        (S.CHALLENGE, E.START_SECURITY_KEY_CHALLENGE, S.CHALLENGE),
        (S.CHALLENGE, E.REAUTHENTICATE, S.COMPLETE),
    ]),
    P.ADD_AUTHENTICATOR_APP: (Lifetime.STEP_UP_WINDOW, [
        (S.AUTHENTICATOR_APP_SCAN, E.VERIFY_AUTHENTICATOR_CODE, S.COMPLETE),
    ]),
    P.CHANGE_PHONE_NUMBER: (Lifetime.STEP_UP_WINDOW, [
        (S.PHONE_NUMBER_ENTRY, E.START_PHONE_NUMBER_CHANGE, S.CODE_VERIFICATION),
        # Another number typed in: the resend cooldown of the flow still applies.
        (S.CODE_VERIFICATION, E.START_PHONE_NUMBER_CHANGE, S.CODE_VERIFICATION),
        (S.CODE_VERIFICATION, E.RESEND_SMS_CODE, S.CODE_VERIFICATION),
        (S.CODE_VERIFICATION, E.CONFIRM_PHONE_NUMBER_CHANGE, S.COMPLETE),
    ]),
    P.REGENERATE_RECOVERY_CODE: (Lifetime.STEP_UP_WINDOW, [
        (S.RECOVERY_CODE_SAVE, E.CONFIRM_RECOVERY_CODE_SAVED, S.COMPLETE),
    ]),
    P.ADD_SECURITY_KEY: (Lifetime.STEP_UP_WINDOW, [
        (S.SECURITY_KEY_REGISTRATION, E.REGISTER_SECURITY_KEY, S.COMPLETE),
    ]),
}  # fmt: skip

TRANSITIONS: dict[FlowPurpose, dict[tuple[Step, Event], Step]] = {
    purpose: {(before, event): after for before, event, after in rows}
    for purpose, (_, rows) in FLOWS.items()
}
LIFETIMES: dict[FlowPurpose, Lifetime] = {purpose: life for purpose, (life, _) in FLOWS.items()}


class IllegalTransition(Exception):
    """The event is not allowed at the flow's current step."""

    def __init__(self, step: Step, event: Event) -> None:
        super().__init__(f"{event.value} is not allowed at step {step.value}")
        self.step = step
        self.event = event


def advance(purpose: FlowPurpose, step: Step, event: Event) -> Step:
    """Return the step after `event`, or raise `IllegalTransition`."""
    try:
        return TRANSITIONS[purpose][(step, event)]
    except KeyError:
        raise IllegalTransition(step, event) from None


def allows(purpose: FlowPurpose, step: Step, event: Event) -> bool:
    """Whether `event` is legal for a flow of `purpose` at `step`."""
    return (step, event) in TRANSITIONS[purpose]
