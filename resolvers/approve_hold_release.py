"""approveHoldRelease: a second admin of the company approves ending a user's holds early;
the holds end then (audited, `hold.ended`), once, however many approve at once."""

from __future__ import annotations

import strawberry

from domain import admin_requests
from graph.admin_answers import acting_admin, refusal_answer
from graph.context import Context
from graph.types.admin_request import AdminRequestInput, AdminRequestType, HoldReleased
from graph.types.admin_results import ApproveHoldReleaseResult
from models.admin_request import AdminRequest, AdminRequestKind
from models.user import User


async def approve_hold_release(
    info: strawberry.Info[Context, None], input: AdminRequestInput
) -> ApproveHoldReleaseResult:
    context = info.context
    admin = await acting_admin(context)
    if not isinstance(admin, User):
        return admin
    outcome = await admin_requests.approve(
        context.runtime, str(input.request_id), AdminRequestKind.HOLD_RELEASE, admin
    )
    if not isinstance(outcome, AdminRequest):
        return refusal_answer(outcome)
    await outcome.fetch_related("target", "requester")
    return HoldReleased(request=AdminRequestType.from_model(outcome))
