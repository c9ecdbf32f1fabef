"""Step-up: a second factor proven recently before any self-service change, and proving it again."""

from __future__ import annotations

from dataclasses import dataclass

from domain.factors import Factor
from domain.flows import live_flow, resume_or_start, start_flow
from domain.policy import UserPolicy, policy_for
from domain.runtime import Runtime
from domain.sessions import revoke_session_id, second_factor_is_recent
from domain.verification import CodeCheck, Verdict, attempts_spent, verify
from models.enums import FlowPurpose, MfaMethod, Step
from models.flow import MfaFlow
from models.session import AuthSession
from models.state_machine import Event


@dataclass(frozen=True)
class StepUpNeeded:
    """Prove a factor again first, with one of `methods`."""

    methods: list[MfaMethod]


class FactorWithdrawn(Exception):
    """The factor this session was proven with is no longer allowed (a policy change): the
    session has been ended, since there is nothing left to prove a change with."""


async def recent_step_up(
    session: AuthSession, runtime: Runtime, *, factor_required: bool = False
) -> UserPolicy | StepUpNeeded:
    """The user's policy when a change may go ahead now, else what to prove first.

    A user who holds no factor at all has nothing to prove, so changing their own factors is
    open to them; acting on others (`factor_required`) needs a proven factor regardless.
    """
    policy = await policy_for(session.user)
    if session.user.mfa_methods and not policy.usable:
        await revoke_session_id(session.id, runtime)
        raise FactorWithdrawn()
    if (policy.usable or factor_required) and not second_factor_is_recent(session, runtime):
        return StepUpNeeded(policy.usable)
    return policy


async def prove_again(
    session: AuthSession, factor: Factor, typed: str, runtime: Runtime
) -> CodeCheck:
    """Check a step-up answer against the session's open challenge (opened here when the
    factor needs nothing sent first)."""
    flow = await live_flow(session, runtime)
    open_challenge = flow is not None and flow.purpose is _STEP_UP and flow.step is Step.CHALLENGE
    if flow is None or not open_challenge:
        if factor.delivered:
            return CodeCheck(Verdict.EXPIRED)  # no code was sent for a step-up yet
        flow = await start_flow(session, session.user, _STEP_UP, Step.CHALLENGE, runtime)
    elif not factor.delivered and attempts_spent(flow, factor, runtime):
        # Nothing to resend: a fresh challenge keeps the consecutive failures, so the tenth
        # wrong answer still signs the user out and the account lock still counts.
        failures = flow.failures
        flow = await start_flow(
            session, session.user, _STEP_UP, Step.CHALLENGE, runtime, failures=failures
        )
    return await verify(flow, factor, typed, Event.REAUTHENTICATE, runtime)


async def texted_challenge(session: AuthSession, runtime: Runtime) -> MfaFlow:
    """The step-up challenge to text a code for: the unfinished one, or a new one."""
    user = session.user
    return await resume_or_start(
        session,
        _STEP_UP,
        Step.CHALLENGE,
        runtime,
        phone_sealed=user.phone_sealed,
        phone_masked=user.phone_masked,
    )


_STEP_UP = FlowPurpose.REAUTHENTICATION
