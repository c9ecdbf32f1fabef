"""The pure enrollment and sign-in state machine: steps, events and the transition table.

No I/O here: resolvers load a flow, ask `advance` whether an event is legal at its step,
do their work, and store the step it returns.
"""

from __future__ import annotations

from enum import StrEnum

from models.enums import Step


class Event(StrEnum):
    """One screen's action, i.e. one GraphQL mutation."""

    START_SETUP = "start_setup"
    CHOOSE_SMS = "choose_sms"
    SEND_SMS_CODE = "send_sms_code"
    RESEND_SMS_CODE = "resend_sms_code"
    VERIFY_SMS_CODE = "verify_sms_code"
    CONFIRM_RECOVERY_CODE_SAVED = "confirm_recovery_code_saved"
    SEND_LOGIN_CODE = "send_login_code"
    VERIFY_LOGIN_CODE = "verify_login_code"


# (step, event) -> next step. Anything absent is illegal.
TRANSITIONS: dict[tuple[Step, Event], Step] = {
    (Step.SETUP_REQUIRED, Event.START_SETUP): Step.METHOD_SELECTION,
    # Going back to the method list from a later screen is allowed, like the article's Back link.
    (Step.METHOD_SELECTION, Event.START_SETUP): Step.METHOD_SELECTION,
    (Step.PHONE_NUMBER_ENTRY, Event.START_SETUP): Step.METHOD_SELECTION,
    (Step.CODE_VERIFICATION, Event.START_SETUP): Step.METHOD_SELECTION,
    (Step.METHOD_SELECTION, Event.CHOOSE_SMS): Step.PHONE_NUMBER_ENTRY,
    (Step.PHONE_NUMBER_ENTRY, Event.SEND_SMS_CODE): Step.CODE_VERIFICATION,
    # A user who mistyped the number enters another one; the resend cooldown still applies.
    (Step.CODE_VERIFICATION, Event.SEND_SMS_CODE): Step.CODE_VERIFICATION,
    (Step.CODE_VERIFICATION, Event.RESEND_SMS_CODE): Step.CODE_VERIFICATION,
    (Step.CODE_VERIFICATION, Event.VERIFY_SMS_CODE): Step.RECOVERY_CODE_SAVE,
    (Step.RECOVERY_CODE_SAVE, Event.CONFIRM_RECOVERY_CODE_SAVED): Step.COMPLETE,
    (Step.CHALLENGE, Event.SEND_LOGIN_CODE): Step.CHALLENGE,
    (Step.CHALLENGE, Event.VERIFY_LOGIN_CODE): Step.COMPLETE,
}


class IllegalTransition(Exception):
    """The event is not allowed at the flow's current step."""

    def __init__(self, step: Step, event: Event) -> None:
        super().__init__(f"{event.value} is not allowed at step {step.value}")
        self.step = step
        self.event = event


def advance(step: Step, event: Event) -> Step:
    """Return the step after `event`, or raise `IllegalTransition`."""
    try:
        return TRANSITIONS[(step, event)]
    except KeyError:
        raise IllegalTransition(step, event) from None


def allows(step: Step, event: Event) -> bool:
    """Whether `event` is legal at `step`."""
    return (step, event) in TRANSITIONS
