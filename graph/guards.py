"""Guards the GraphQL layer puts in front of self-service changes."""

from __future__ import annotations

from domain.flows import FlowExpired
from domain.policy import UserPolicy
from domain.step_up import FactorWithdrawn, StepUpNeeded, recent_step_up
from graph.answers import reauthentication_required, wrong_step
from graph.context import Context, NotAuthenticated
from graph.types.enums import EnrollmentStep
from graph.types.errors import ReauthenticationRequiredError, WrongStepError
from models.flow import MfaFlow
from models.session import AuthSession
from models.state_machine import LIFETIMES, Event, IllegalTransition, Lifetime


async def require_recent_step_up(
    context: Context, *, factor_required: bool = False
) -> tuple[AuthSession, UserPolicy] | ReauthenticationRequiredError:
    """The signed-in session and the user's policy, or the error asking to reauthenticate."""
    session = await context.require_full_session()
    try:
        outcome = await recent_step_up(session, context.runtime, factor_required=factor_required)
    except FactorWithdrawn:
        context.end_session()
        raise NotAuthenticated() from None
    if isinstance(outcome, StepUpNeeded):
        return reauthentication_required(outcome)
    return session, outcome


async def flow_in_step_up_window(
    context: Context, event: Event
) -> MfaFlow | ReauthenticationRequiredError | WrongStepError:
    """The flow `event` belongs to; a factor change (a flow that lives in the step-up window)
    must also end inside the window it began in."""
    try:
        flow = await context.flow_for(event)
    except FlowExpired:
        guard = await require_recent_step_up(context)
        if isinstance(guard, ReauthenticationRequiredError):
            return guard
        return WrongStepError(current_step=EnrollmentStep.COMPLETE)  # proven again: start over
    except IllegalTransition as error:
        return wrong_step(error)
    if LIFETIMES[flow.purpose] is Lifetime.STEP_UP_WINDOW:
        guard = await require_recent_step_up(context)
        if isinstance(guard, ReauthenticationRequiredError):
            return guard
    return flow
