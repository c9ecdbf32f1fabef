"""requestHoldRelease: a company admin asks to end a user's cooling-off holds early; a second
admin of the company approves (approveHoldRelease). One admin alone never can."""

from __future__ import annotations

import strawberry

from domain import admin_requests
from domain.accounts import normalize_email
from graph.admin_answers import acting_admin
from graph.context import Context
from graph.types.admin_request import (
    AdminRequestType,
    HoldReleaseRequested,
    RequestHoldReleaseInput,
    SecondAdminRequiredError,
)
from graph.types.admin_results import RequestHoldReleaseResult
from graph.types.errors import UserNotFoundError
from models.admin_request import AdminRequestKind
from models.user import User


async def request_hold_release(
    info: strawberry.Info[Context, None], input: RequestHoldReleaseInput
) -> RequestHoldReleaseResult:
    context = info.context
    admin = await acting_admin(context)
    if not isinstance(admin, User):
        return admin
    target = await User.get_or_none(email=normalize_email(input.email), company_id=admin.company_id)
    if target is None:
        return UserNotFoundError()
    requested = await admin_requests.request(
        context.runtime, AdminRequestKind.HOLD_RELEASE, admin, target
    )
    if requested is None:
        return SecondAdminRequiredError()
    await requested.fetch_related("target", "requester")
    return HoldReleaseRequested(request=AdminRequestType.from_model(requested))
