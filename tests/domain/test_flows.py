"""Flows: every purpose expires as its table says, and `advance` is the one way a step moves,
telling a wrong step from a race lost to a parallel request."""

from __future__ import annotations

from datetime import timedelta

import pytest
from starlette.applications import Starlette

from domain.flows import FlowExpired, LostRace, advance, flow_for, start_flow
from domain.runtime import RequestMeta, Runtime
from domain.settings import Settings
from models.enums import FlowPurpose, SessionKind, Step
from models.flow import MfaFlow
from models.session import AuthSession
from models.state_machine import Event, IllegalTransition
from providers.clock import ManualClock
from providers.registry import Providers
from tests.support.users import MakeUser

STEP_UP_MINUTES = timedelta(minutes=Settings.reauthentication_minutes)
CODE_MINUTES = timedelta(minutes=Settings.sms_code_ttl_minutes)


@pytest.fixture
def runtime(app: Starlette, settings: Settings, providers: Providers) -> Runtime:
    return Runtime(settings, providers, RequestMeta("203.0.113.7", "tests"))


async def signed_in(make_user: MakeUser, clock: ManualClock, kind: SessionKind) -> AuthSession:
    user = await make_user()
    now = clock.now()
    return await AuthSession.create(
        token_sha256="f" * 64,
        user=user,
        kind=kind,
        created_at=now,
        last_seen_at=now,
        expires_at=now + timedelta(hours=1),
        second_factor_at=now - timedelta(minutes=5),
    )


@pytest.mark.parametrize(
    ("purpose", "step", "lives"),
    [
        (FlowPurpose.ENROLLMENT, Step.SETUP_REQUIRED, "session"),
        (FlowPurpose.LOGIN, Step.CHALLENGE, "session"),
        (FlowPurpose.REAUTHENTICATION, Step.CHALLENGE, "code"),
        (FlowPurpose.ADD_AUTHENTICATOR_APP, Step.AUTHENTICATOR_APP_SCAN, "window"),
        (FlowPurpose.CHANGE_PHONE_NUMBER, Step.PHONE_NUMBER_ENTRY, "window"),
        (FlowPurpose.REGENERATE_RECOVERY_CODE, Step.RECOVERY_CODE_SAVE, "window"),
    ],
)
async def test_every_flow_expires_as_its_purpose_says(
    purpose: FlowPurpose,
    step: Step,
    lives: str,
    runtime: Runtime,
    make_user: MakeUser,
    clock: ManualClock,
) -> None:
    # given
    session = await signed_in(make_user, clock, SessionKind.FULL)
    assert session.second_factor_at is not None

    # when
    flow = await start_flow(session, session.user, purpose, step, runtime)

    # then
    assert (
        flow.expires_at
        == {
            "session": session.expires_at,
            "code": clock.now() + CODE_MINUTES,
            "window": session.second_factor_at + STEP_UP_MINUTES,
        }[lives]
    )


async def test_an_expired_flow_takes_no_event(
    runtime: Runtime, make_user: MakeUser, clock: ManualClock
) -> None:
    # given: a phone change begun five minutes into the step-up window
    session = await signed_in(make_user, clock, SessionKind.FULL)
    await start_flow(
        session, session.user, FlowPurpose.CHANGE_PHONE_NUMBER, Step.PHONE_NUMBER_ENTRY, runtime
    )

    # when / then: it lives for the ten minutes left of the window
    clock.advance(timedelta(minutes=9, seconds=59))
    assert (await flow_for(session, Event.START_PHONE_NUMBER_CHANGE, runtime)).step is (
        Step.PHONE_NUMBER_ENTRY
    )
    clock.advance(timedelta(seconds=1))
    with pytest.raises(FlowExpired):
        await flow_for(session, Event.START_PHONE_NUMBER_CHANGE, runtime)


async def test_advance_takes_the_event_with_its_changes_once(
    runtime: Runtime, make_user: MakeUser, clock: ManualClock
) -> None:
    # given: two requests holding the same flow at the method list
    session = await signed_in(make_user, clock, SessionKind.PENDING)
    flow = await start_flow(
        session, session.user, FlowPurpose.ENROLLMENT, Step.METHOD_SELECTION, runtime
    )
    other = await MfaFlow.get(id=flow.id)

    # when
    after = await advance(flow, Event.CHOOSE_SMS, runtime, method="sms")

    # then: the second request lost the race, and is told where the flow is now
    assert after is Step.PHONE_NUMBER_ENTRY
    stored = await MfaFlow.get(id=flow.id)
    assert (stored.step, stored.method) == (Step.PHONE_NUMBER_ENTRY, "sms")
    with pytest.raises(LostRace) as lost:
        await advance(other, Event.CHOOSE_AUTHENTICATOR_APP, runtime)
    assert lost.value.current_step is Step.PHONE_NUMBER_ENTRY


async def test_advance_refuses_an_event_the_step_does_not_take(
    runtime: Runtime, make_user: MakeUser, clock: ManualClock
) -> None:
    # given
    session = await signed_in(make_user, clock, SessionKind.PENDING)
    flow = await start_flow(session, session.user, FlowPurpose.LOGIN, Step.CHALLENGE, runtime)

    # when / then: a sign-in challenge never issues an enrollment's recovery code
    with pytest.raises(IllegalTransition):
        await advance(flow, Event.VERIFY_SMS_CODE, runtime)
    assert (await MfaFlow.get(id=flow.id)).step is Step.CHALLENGE


async def test_advance_checks_its_guard_too(
    runtime: Runtime, make_user: MakeUser, clock: ManualClock
) -> None:
    # given: a code was checked, then replaced by a resend before it could be consumed
    session = await signed_in(make_user, clock, SessionKind.PENDING)
    flow = await start_flow(
        session, session.user, FlowPurpose.ENROLLMENT, Step.CODE_VERIFICATION, runtime,
        code_hmac="a" * 64,
    )  # fmt: skip
    await MfaFlow.filter(id=flow.id).update(code_hmac="b" * 64)

    # when / then
    with pytest.raises(LostRace):
        await advance(flow, Event.VERIFY_SMS_CODE, runtime, guard={"code_hmac": "a" * 64})
    assert (await MfaFlow.get(id=flow.id)).step is Step.CODE_VERIFICATION
