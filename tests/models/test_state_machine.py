"""The transition table, including every illegal (step, event) pair."""

from __future__ import annotations

import itertools

import pytest

from models.enums import Step
from models.state_machine import TRANSITIONS, Event, IllegalTransition, advance, allows

LEGAL = [
    (Step.SETUP_REQUIRED, Event.START_SETUP, Step.METHOD_SELECTION),
    (Step.METHOD_SELECTION, Event.START_SETUP, Step.METHOD_SELECTION),
    (Step.PHONE_NUMBER_ENTRY, Event.START_SETUP, Step.METHOD_SELECTION),
    (Step.CODE_VERIFICATION, Event.START_SETUP, Step.METHOD_SELECTION),
    (Step.METHOD_SELECTION, Event.CHOOSE_SMS, Step.PHONE_NUMBER_ENTRY),
    (Step.PHONE_NUMBER_ENTRY, Event.SEND_SMS_CODE, Step.CODE_VERIFICATION),
    (Step.CODE_VERIFICATION, Event.SEND_SMS_CODE, Step.CODE_VERIFICATION),
    (Step.CODE_VERIFICATION, Event.RESEND_SMS_CODE, Step.CODE_VERIFICATION),
    (Step.CODE_VERIFICATION, Event.VERIFY_SMS_CODE, Step.RECOVERY_CODE_SAVE),
    (Step.RECOVERY_CODE_SAVE, Event.CONFIRM_RECOVERY_CODE_SAVED, Step.COMPLETE),
    (Step.CHALLENGE, Event.SEND_LOGIN_CODE, Step.CHALLENGE),
    (Step.CHALLENGE, Event.VERIFY_LOGIN_CODE, Step.COMPLETE),
]
LEGAL_PAIRS = {(step, event) for step, event, _ in LEGAL}
ILLEGAL = [pair for pair in itertools.product(Step, Event) if pair not in LEGAL_PAIRS]


@pytest.mark.parametrize(("step", "event", "expected"), LEGAL)
def test_legal_transition_advances(step: Step, event: Event, expected: Step) -> None:
    assert allows(step, event)
    assert advance(step, event) is expected


@pytest.mark.parametrize(("step", "event"), ILLEGAL)
def test_illegal_transition_raises_with_the_current_step(step: Step, event: Event) -> None:
    assert not allows(step, event)
    with pytest.raises(IllegalTransition) as raised:
        advance(step, event)
    assert raised.value.step is step
    assert raised.value.event is event


def test_table_holds_exactly_the_documented_transitions() -> None:
    assert set(TRANSITIONS) == LEGAL_PAIRS


def test_complete_is_terminal() -> None:
    assert not any(allows(Step.COMPLETE, event) for event in Event)


def test_recovery_code_step_only_accepts_confirmation() -> None:
    assert [e for e in Event if allows(Step.RECOVERY_CODE_SAVE, e)] == [
        Event.CONFIRM_RECOVERY_CODE_SAVED
    ]
