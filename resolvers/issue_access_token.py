"""issueAccessToken: a short-lived JWT for another service, for the signed-in session."""

from __future__ import annotations

import strawberry

from domain.access_tokens import StepUpFirst, UnknownAudience, issue
from domain.step_up import StepUpNeeded
from graph.answers import reauthentication_required
from graph.context import Context
from graph.http.issuer import issuer
from graph.types.errors import UnknownAudienceError
from graph.types.inputs import IssueAccessTokenInput
from graph.types.payloads import AccessTokenIssued
from graph.types.results import IssueAccessTokenResult


async def issue_access_token(
    info: strawberry.Info[Context, None], input: IssueAccessTokenInput
) -> IssueAccessTokenResult:
    context = info.context
    session = await context.require_full_session()  # a pending session proved too little
    outcome = await issue(
        session,
        issuer(context.settings, context.request),
        input.audience,
        input.max_age_seconds,
        input.acr_values,
        context.runtime,
    )
    if isinstance(outcome, UnknownAudience):
        return UnknownAudienceError()
    if isinstance(outcome, StepUpFirst):
        return reauthentication_required(StepUpNeeded(outcome.methods))
    return AccessTokenIssued(access_token=outcome.token, expires_at=outcome.expires_at)
