"""The pure MFA state machine: steps, events and one transition table per kind of flow.

No I/O here: resolvers load a flow, ask `advance` whether an event is legal for its purpose
and step, do their work, and store the step it returns. Keying by purpose keeps, say, a
phone-number change from ever issuing a recovery code through `verifySmsCode`.
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


_ENROLLMENT: dict[tuple[Step, Event], Step] = {
    (Step.SETUP_REQUIRED, Event.START_SETUP): Step.METHOD_SELECTION,
    # Going back to the method list from a later screen is allowed, like the article's Back link.
    (Step.METHOD_SELECTION, Event.START_SETUP): Step.METHOD_SELECTION,
    (Step.PHONE_NUMBER_ENTRY, Event.START_SETUP): Step.METHOD_SELECTION,
    (Step.CODE_VERIFICATION, Event.START_SETUP): Step.METHOD_SELECTION,
    (Step.AUTHENTICATOR_APP_SCAN, Event.START_SETUP): Step.METHOD_SELECTION,
    (Step.METHOD_SELECTION, Event.CHOOSE_SMS): Step.PHONE_NUMBER_ENTRY,
    (Step.METHOD_SELECTION, Event.CHOOSE_AUTHENTICATOR_APP): Step.AUTHENTICATOR_APP_SCAN,
    (Step.PHONE_NUMBER_ENTRY, Event.SEND_SMS_CODE): Step.CODE_VERIFICATION,
    # A user who mistyped the number enters another one; the resend cooldown still applies.
    (Step.CODE_VERIFICATION, Event.SEND_SMS_CODE): Step.CODE_VERIFICATION,
    (Step.CODE_VERIFICATION, Event.RESEND_SMS_CODE): Step.CODE_VERIFICATION,
    (Step.CODE_VERIFICATION, Event.VERIFY_SMS_CODE): Step.RECOVERY_CODE_SAVE,
    (Step.AUTHENTICATOR_APP_SCAN, Event.VERIFY_AUTHENTICATOR_CODE): Step.RECOVERY_CODE_SAVE,
    (Step.RECOVERY_CODE_SAVE, Event.CONFIRM_RECOVERY_CODE_SAVED): Step.COMPLETE,
}

_LOGIN: dict[tuple[Step, Event], Step] = {
    (Step.CHALLENGE, Event.SEND_LOGIN_CODE): Step.CHALLENGE,
    (Step.CHALLENGE, Event.VERIFY_LOGIN_CODE): Step.COMPLETE,
    # A lost phone: the recovery code is spent and a new one must be saved before going on.
    (Step.CHALLENGE, Event.USE_RECOVERY_CODE): Step.RECOVERY_CODE_SAVE,
    (Step.RECOVERY_CODE_SAVE, Event.CONFIRM_RECOVERY_CODE_SAVED): Step.COMPLETE,
}

TRANSITIONS: dict[FlowPurpose, dict[tuple[Step, Event], Step]] = {
    FlowPurpose.ENROLLMENT: _ENROLLMENT,
    FlowPurpose.LOGIN: _LOGIN,
    FlowPurpose.REAUTHENTICATION: {
        (Step.CHALLENGE, Event.SEND_REAUTHENTICATION_CODE): Step.CHALLENGE,
        (Step.CHALLENGE, Event.REAUTHENTICATE): Step.COMPLETE,
    },
    FlowPurpose.ADD_AUTHENTICATOR_APP: {
        (Step.AUTHENTICATOR_APP_SCAN, Event.VERIFY_AUTHENTICATOR_CODE): Step.COMPLETE,
    },
    FlowPurpose.CHANGE_PHONE_NUMBER: {
        (Step.PHONE_NUMBER_ENTRY, Event.START_PHONE_NUMBER_CHANGE): Step.CODE_VERIFICATION,
        # Another number typed in: the resend cooldown of the flow still applies.
        (Step.CODE_VERIFICATION, Event.START_PHONE_NUMBER_CHANGE): Step.CODE_VERIFICATION,
        (Step.CODE_VERIFICATION, Event.RESEND_SMS_CODE): Step.CODE_VERIFICATION,
        (Step.CODE_VERIFICATION, Event.CONFIRM_PHONE_NUMBER_CHANGE): Step.COMPLETE,
    },
    FlowPurpose.REGENERATE_RECOVERY_CODE: {
        (Step.RECOVERY_CODE_SAVE, Event.CONFIRM_RECOVERY_CODE_SAVED): Step.COMPLETE,
    },
}


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
