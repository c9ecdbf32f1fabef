"""The transition tables, including every illegal (purpose, step, event) triple."""

from __future__ import annotations

import itertools

import pytest

from models.enums import FlowPurpose, Step
from models.state_machine import (
    FLOWS,
    LIFETIMES,
    TRANSITIONS,
    Event,
    IllegalTransition,
    advance,
    allows,
)

P = FlowPurpose
LEGAL = [
    (P.ENROLLMENT, Step.SETUP_REQUIRED, Event.START_SETUP, Step.METHOD_SELECTION),
    (P.ENROLLMENT, Step.METHOD_SELECTION, Event.START_SETUP, Step.METHOD_SELECTION),
    (P.ENROLLMENT, Step.PHONE_NUMBER_ENTRY, Event.START_SETUP, Step.METHOD_SELECTION),
    (P.ENROLLMENT, Step.CODE_VERIFICATION, Event.START_SETUP, Step.METHOD_SELECTION),
    (P.ENROLLMENT, Step.AUTHENTICATOR_APP_SCAN, Event.START_SETUP, Step.METHOD_SELECTION),
    (P.ENROLLMENT, Step.METHOD_SELECTION, Event.CHOOSE_SMS, Step.PHONE_NUMBER_ENTRY),
    (
        P.ENROLLMENT,
        Step.METHOD_SELECTION,
        Event.CHOOSE_AUTHENTICATOR_APP,
        Step.AUTHENTICATOR_APP_SCAN,
    ),
    (P.ENROLLMENT, Step.PHONE_NUMBER_ENTRY, Event.SEND_SMS_CODE, Step.CODE_VERIFICATION),
    (P.ENROLLMENT, Step.CODE_VERIFICATION, Event.SEND_SMS_CODE, Step.CODE_VERIFICATION),
    (P.ENROLLMENT, Step.CODE_VERIFICATION, Event.RESEND_SMS_CODE, Step.CODE_VERIFICATION),
    (P.ENROLLMENT, Step.CODE_VERIFICATION, Event.VERIFY_SMS_CODE, Step.RECOVERY_CODE_SAVE),
    (
        P.ENROLLMENT,
        Step.AUTHENTICATOR_APP_SCAN,
        Event.VERIFY_AUTHENTICATOR_CODE,
        Step.RECOVERY_CODE_SAVE,
    ),
    (P.ENROLLMENT, Step.RECOVERY_CODE_SAVE, Event.REISSUE_RECOVERY_CODE, Step.RECOVERY_CODE_SAVE),
    (P.ENROLLMENT, Step.RECOVERY_CODE_SAVE, Event.CONFIRM_RECOVERY_CODE_SAVED, Step.COMPLETE),
    (P.LOGIN, Step.CHALLENGE, Event.SEND_LOGIN_CODE, Step.CHALLENGE),
    (P.LOGIN, Step.CHALLENGE, Event.VERIFY_LOGIN_CODE, Step.COMPLETE),
    (P.LOGIN, Step.CHALLENGE, Event.USE_RECOVERY_CODE, Step.RECOVERY_CODE_SAVE),
    (P.LOGIN, Step.RECOVERY_CODE_SAVE, Event.REISSUE_RECOVERY_CODE, Step.RECOVERY_CODE_SAVE),
    (P.LOGIN, Step.RECOVERY_CODE_SAVE, Event.CONFIRM_RECOVERY_CODE_SAVED, Step.COMPLETE),
    (P.REAUTHENTICATION, Step.CHALLENGE, Event.SEND_REAUTHENTICATION_CODE, Step.CHALLENGE),
    (P.REAUTHENTICATION, Step.CHALLENGE, Event.REAUTHENTICATE, Step.COMPLETE),
    (
        P.ADD_AUTHENTICATOR_APP,
        Step.AUTHENTICATOR_APP_SCAN,
        Event.VERIFY_AUTHENTICATOR_CODE,
        Step.COMPLETE,
    ),
    (
        P.CHANGE_PHONE_NUMBER,
        Step.PHONE_NUMBER_ENTRY,
        Event.START_PHONE_NUMBER_CHANGE,
        Step.CODE_VERIFICATION,
    ),
    (
        P.CHANGE_PHONE_NUMBER,
        Step.CODE_VERIFICATION,
        Event.START_PHONE_NUMBER_CHANGE,
        Step.CODE_VERIFICATION,
    ),
    (P.CHANGE_PHONE_NUMBER, Step.CODE_VERIFICATION, Event.RESEND_SMS_CODE, Step.CODE_VERIFICATION),
    (
        P.CHANGE_PHONE_NUMBER,
        Step.CODE_VERIFICATION,
        Event.CONFIRM_PHONE_NUMBER_CHANGE,
        Step.COMPLETE,
    ),
    (
        P.REGENERATE_RECOVERY_CODE,
        Step.RECOVERY_CODE_SAVE,
        Event.CONFIRM_RECOVERY_CODE_SAVED,
        Step.COMPLETE,
    ),
    (P.ENROLLMENT, Step.SECURITY_KEY_REGISTRATION, Event.START_SETUP, Step.METHOD_SELECTION),
    (
        P.ENROLLMENT,
        Step.METHOD_SELECTION,
        Event.CHOOSE_SECURITY_KEY,
        Step.SECURITY_KEY_REGISTRATION,
    ),
    (
        P.ENROLLMENT,
        Step.SECURITY_KEY_REGISTRATION,
        Event.REGISTER_SECURITY_KEY,
        Step.RECOVERY_CODE_SAVE,
    ),
    (P.LOGIN, Step.CHALLENGE, Event.START_SECURITY_KEY_CHALLENGE, Step.CHALLENGE),
    # A password reset proves the factor exactly as a sign-in challenge does.
    (P.PASSWORD_RESET, Step.CHALLENGE, Event.SEND_LOGIN_CODE, Step.CHALLENGE),
    (P.PASSWORD_RESET, Step.CHALLENGE, Event.START_SECURITY_KEY_CHALLENGE, Step.CHALLENGE),
    (P.PASSWORD_RESET, Step.CHALLENGE, Event.VERIFY_LOGIN_CODE, Step.COMPLETE),
    (P.PASSWORD_RESET, Step.CHALLENGE, Event.USE_RECOVERY_CODE, Step.RECOVERY_CODE_SAVE),
    (
        P.PASSWORD_RESET,
        Step.RECOVERY_CODE_SAVE,
        Event.REISSUE_RECOVERY_CODE,
        Step.RECOVERY_CODE_SAVE,
    ),
    (P.PASSWORD_RESET, Step.RECOVERY_CODE_SAVE, Event.CONFIRM_RECOVERY_CODE_SAVED, Step.COMPLETE),
    (P.REAUTHENTICATION, Step.CHALLENGE, Event.START_SECURITY_KEY_CHALLENGE, Step.CHALLENGE),
    (
        P.ADD_SECURITY_KEY,
        Step.SECURITY_KEY_REGISTRATION,
        Event.REGISTER_SECURITY_KEY,
        Step.COMPLETE,
    ),
]
LEGAL_TRIPLES = {(purpose, step, event) for purpose, step, event, _ in LEGAL}
ILLEGAL = [t for t in itertools.product(FlowPurpose, Step, Event) if t not in LEGAL_TRIPLES]


@pytest.mark.parametrize(("purpose", "step", "event", "expected"), LEGAL)
def test_legal_transition_advances(
    purpose: FlowPurpose, step: Step, event: Event, expected: Step
) -> None:
    assert allows(purpose, step, event)
    assert advance(purpose, step, event) is expected


@pytest.mark.parametrize(("purpose", "step", "event"), ILLEGAL)
def test_illegal_transition_raises_with_the_current_step(
    purpose: FlowPurpose, step: Step, event: Event
) -> None:
    assert not allows(purpose, step, event)
    with pytest.raises(IllegalTransition) as raised:
        advance(purpose, step, event)
    assert raised.value.step is step
    assert raised.value.event is event


def test_tables_hold_exactly_the_documented_transitions() -> None:
    held = {(p, s, e) for p, table in TRANSITIONS.items() for (s, e) in table}
    assert held == LEGAL_TRIPLES


def test_complete_is_terminal_for_every_purpose() -> None:
    assert not any(allows(p, Step.COMPLETE, e) for p in FlowPurpose for e in Event)


def test_a_phone_change_never_issues_a_recovery_code() -> None:
    assert not allows(P.CHANGE_PHONE_NUMBER, Step.CODE_VERIFICATION, Event.VERIFY_SMS_CODE)


def test_every_purpose_has_a_lifetime_and_a_table() -> None:
    # then: one table of every kind of flow, each with how long it lives
    assert set(FLOWS) == set(FlowPurpose)
    assert set(LIFETIMES) == set(FlowPurpose)
    assert {purpose for purpose, (_, rows) in FLOWS.items() if rows} == set(FlowPurpose)
