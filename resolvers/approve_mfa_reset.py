"""approveMfaReset: a second admin of the company approves another admin's MFA reset request;
the reset (and its 72-hour hold) happens then, once, however many approve at once."""

from __future__ import annotations

import strawberry

from domain import admin_requests
from graph.admin_answers import acting_admin, refusal_answer
from graph.context import Context
from graph.types.admin_request import AdminRequestInput, AdminRequestType, MfaResetApproved
from graph.types.admin_results import ApproveMfaResetResult
from models.admin_request import AdminRequest, AdminRequestKind
from models.user import User


async def approve_mfa_reset(
    info: strawberry.Info[Context, None], input: AdminRequestInput
) -> ApproveMfaResetResult:
    context = info.context
    admin = await acting_admin(context)
    if not isinstance(admin, User):
        return admin
    outcome = await admin_requests.approve(
        context.runtime, str(input.request_id), AdminRequestKind.MFA_RESET, admin
    )
    if not isinstance(outcome, AdminRequest):
        return refusal_answer(outcome)
    await outcome.fetch_related("target", "requester")
    return MfaResetApproved(request=AdminRequestType.from_model(outcome))
