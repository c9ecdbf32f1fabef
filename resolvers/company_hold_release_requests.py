"""companyHoldReleaseRequests: the requests to end a user's holds early waiting for a second
admin of the signed-in company admin's company; null for anyone else."""

from __future__ import annotations

import strawberry

from graph.admin_answers import pending_requests
from graph.context import Context
from graph.types.admin_request import AdminRequestType
from models.admin_request import AdminRequestKind


async def company_hold_release_requests(
    info: strawberry.Info[Context, None],
) -> list[AdminRequestType] | None:
    return await pending_requests(info.context, AdminRequestKind.HOLD_RELEASE)
