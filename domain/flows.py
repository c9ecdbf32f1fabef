"""MFA flows: starting one, finding the live one of a session, and moving it one step on.

`advance` is the only way a flow's step changes: the state machine says where an event leads,
and one conditional UPDATE applies the step together with the changes it brings, so a lost race
with a parallel request is told apart from a wrong step.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from domain.runtime import Runtime
from models import state_machine
from models.enums import FlowPurpose, Step
from models.flow import MfaFlow
from models.session import AuthSession
from models.state_machine import Event, IllegalTransition, Lifetime
from models.user import User


class FlowExpired(IllegalTransition):
    """The session's flow outlived its lifetime (for a factor change: the step-up window)."""


class LostRace(Exception):
    """Another request moved the flow on first; `current_step` is where it is now."""

    def __init__(self, current_step: Step) -> None:
        super().__init__(f"the flow moved on to {current_step.value}")
        self.current_step = current_step


def expiry(purpose: FlowPurpose, session: AuthSession, runtime: Runtime) -> datetime:
    """When a new flow of `purpose` on `session` stops being usable."""
    settings, now = runtime.settings, runtime.now()
    match state_machine.LIFETIMES[purpose]:
        case Lifetime.PENDING_SESSION:
            return session.expires_at
        case Lifetime.TEXTED_CODE:
            return now + timedelta(minutes=settings.sms_code_ttl_minutes)
        case Lifetime.STEP_UP_WINDOW:
            proven = session.second_factor_at or now
            return proven + timedelta(minutes=settings.reauthentication_minutes)


async def start_flow(
    session: AuthSession,
    user: User,
    purpose: FlowPurpose,
    step: Step,
    runtime: Runtime,
    **fields: Any,
) -> MfaFlow:
    """A new flow for `session`, replacing any unfinished one (a session has one at a time).

    A sign-in challenge (and a reset's) texts the enrolled phone, so it carries the number.
    """
    await MfaFlow.filter(session_id=session.id).delete()
    now = runtime.now()
    if purpose in (FlowPurpose.LOGIN, FlowPurpose.PASSWORD_RESET):
        fields = {"phone_sealed": user.phone_sealed, "phone_masked": user.phone_masked, **fields}
    return await MfaFlow.create(
        session=session,
        user=user,
        purpose=purpose,
        step=step,
        created_at=now,
        updated_at=now,
        expires_at=expiry(purpose, session, runtime),
        **fields,
    )


async def resume_or_start(
    session: AuthSession, purpose: FlowPurpose, step: Step, runtime: Runtime, **fields: Any
) -> MfaFlow:
    """The session's unfinished flow of `purpose`, else a new one. Resuming means a resend
    cooldown cannot be skipped by starting over."""
    flow = await live_flow(session, runtime)
    if flow is not None and flow.purpose is purpose and flow.step is not Step.COMPLETE:
        return flow
    return await start_flow(session, session.user, purpose, step, runtime, **fields)


def _expired(flow: MfaFlow, runtime: Runtime) -> bool:
    return flow.expires_at is not None and runtime.now() >= flow.expires_at


async def live_flow(session: AuthSession, runtime: Runtime) -> MfaFlow | None:
    """The session's flow, unless it expired."""
    flow = await MfaFlow.get_or_none(session_id=session.id).select_related("user")
    return None if flow is None or _expired(flow, runtime) else flow


async def flow_for(session: AuthSession, event: Event, runtime: Runtime) -> MfaFlow:
    """The session's live flow if `event` is legal for it now, else `IllegalTransition`
    (`FlowExpired` when the flow outlived its lifetime).

    A session without a flow in progress has nothing left to enroll: it is COMPLETE.
    """
    flow = await MfaFlow.get_or_none(session_id=session.id).select_related("user")
    if flow is None:
        raise IllegalTransition(Step.COMPLETE, event)
    if _expired(flow, runtime):
        raise FlowExpired(Step.COMPLETE, event)
    if not state_machine.allows(flow.purpose, flow.step, event):
        raise IllegalTransition(flow.step, event)
    return flow


async def advance(
    flow: MfaFlow,
    event: Event,
    runtime: Runtime,
    *,
    guard: Mapping[str, Any] | None = None,
    **changes: Any,
) -> Step:
    """Take `event` from the flow's step, with `changes`, if the flow is still where it was.

    `guard` adds conditions the row must still meet (the code that was checked, a send claim).
    Raises `IllegalTransition` when the event does not belong to the step, and `LostRace`
    when another request changed the flow first.
    """
    after = state_machine.advance(flow.purpose, flow.step, event)
    moved = await MfaFlow.filter(id=flow.id, step=flow.step, **(guard or {})).update(
        step=after, updated_at=runtime.now(), **changes
    )
    if not moved:
        fresh = await MfaFlow.get_or_none(id=flow.id)
        raise LostRace(fresh.step if fresh else Step.COMPLETE)
    flow.step = after
    return after
