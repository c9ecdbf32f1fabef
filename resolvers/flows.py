"""Loading the MFA flow behind the current session, and starting new ones."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from models.enums import FlowPurpose, Step
from models.flow import MfaFlow
from models.session import AuthSession
from models.state_machine import Event, IllegalTransition, allows
from models.user import User

if TYPE_CHECKING:
    from graph.context import Context


async def start_flow(
    session: AuthSession, user: User, purpose: FlowPurpose, step: Step, context: Context
) -> MfaFlow:
    now = context.providers.clock.now()
    return await MfaFlow.create(
        session=session,
        user=user,
        purpose=purpose,
        step=step,
        phone_sealed=user.phone_sealed if purpose is FlowPurpose.LOGIN else None,
        phone_masked=user.phone_masked if purpose is FlowPurpose.LOGIN else None,
        created_at=now,
        updated_at=now,
    )


async def current_flow(context: Context) -> MfaFlow | None:
    """The flow of the live session, if it has one. Raises when signed out."""
    session = await context.require_session()
    return await MfaFlow.get_or_none(session_id=session.id).select_related("user")


async def flow_for(context: Context, event: Event) -> MfaFlow:
    """The current flow if `event` is legal for it now, else `IllegalTransition`.

    A full session without a self-service flow in progress has nothing left to enroll.
    """
    flow = await current_flow(context)
    if flow is None:
        raise IllegalTransition(Step.COMPLETE, event)
    if not allows(flow.purpose, flow.step, event):
        raise IllegalTransition(flow.step, event)
    return flow


async def replace_flow(
    session: AuthSession, purpose: FlowPurpose, step: Step, context: Context, **fields: Any
) -> MfaFlow:
    """Start a self-service flow on a full session, dropping any unfinished one."""
    await MfaFlow.filter(session_id=session.id).delete()
    now = context.providers.clock.now()
    return await MfaFlow.create(
        session=session,
        user_id=session.user_id,
        purpose=purpose,
        step=step,
        created_at=now,
        updated_at=now,
        **fields,
    )


def is_open_step_up(flow: MfaFlow) -> bool:
    """A reauthentication flow still waiting for its code."""
    return flow.purpose is FlowPurpose.REAUTHENTICATION and flow.step is Step.CHALLENGE
