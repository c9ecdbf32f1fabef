"""Loading the MFA flow behind the current session, and starting new ones."""

from __future__ import annotations

from typing import TYPE_CHECKING

from models.enums import FlowPurpose, SessionKind, Step
from models.flow import MfaFlow
from models.session import AuthSession
from models.state_machine import Event, IllegalTransition, allows

if TYPE_CHECKING:
    from graph.context import Context


async def start_flow(
    session: AuthSession, purpose: FlowPurpose, step: Step, context: Context
) -> MfaFlow:
    now = context.providers.clock.now()
    user = await session.user
    return await MfaFlow.create(
        session=session,
        user=user,
        purpose=purpose,
        step=step,
        phone_e164=user.phone_e164 if purpose is FlowPurpose.LOGIN else None,
        created_at=now,
        updated_at=now,
    )


async def current_flow(context: Context) -> MfaFlow | None:
    """The flow of a live pending session; None for full sessions. Raises when signed out."""
    session = await context.require_session()
    if session.kind is not SessionKind.PENDING:
        return None
    return await MfaFlow.get_or_none(session_id=session.id).select_related("user")


async def flow_for(context: Context, event: Event) -> MfaFlow:
    """The current flow if `event` is legal at its step, else `IllegalTransition`.

    Full sessions have finished with MFA, so every transition is out of step for them.
    """
    flow = await current_flow(context)
    if flow is None:
        raise IllegalTransition(Step.COMPLETE, event)
    if not allows(flow.step, event):
        raise IllegalTransition(flow.step, event)
    return flow
