"""Two-admin requests between the domain and the API: the signed-in admin who may act, and
the union member of each refusal."""

from __future__ import annotations

from domain import admin_requests
from domain.admin_requests import Refusal
from graph.context import Context
from graph.guards import require_recent_step_up
from graph.types.admin_request import (
    AdminRequestAlreadyApprovedError,
    AdminRequestExpiredError,
    AdminRequestNotFoundError,
    AdminRequestType,
    RequesterCannotApproveError,
    TargetCannotApproveError,
)
from graph.types.errors import NotCompanyAdminError, ReauthenticationRequiredError
from models.admin_request import AdminRequestKind
from models.enums import SessionKind
from models.user import User

RefusalAnswer = (
    AdminRequestNotFoundError
    | AdminRequestExpiredError
    | AdminRequestAlreadyApprovedError
    | RequesterCannotApproveError
    | TargetCannotApproveError
)
_ANSWERS: dict[Refusal, type[RefusalAnswer]] = {
    Refusal.NOT_FOUND: AdminRequestNotFoundError,
    Refusal.EXPIRED: AdminRequestExpiredError,
    Refusal.ALREADY_APPROVED: AdminRequestAlreadyApprovedError,
    Refusal.REQUESTER: RequesterCannotApproveError,
    Refusal.TARGET: TargetCannotApproveError,
}


def refusal_answer(refusal: Refusal) -> RefusalAnswer:
    return _ANSWERS[refusal]()


async def acting_admin(
    context: Context,
) -> User | NotCompanyAdminError | ReauthenticationRequiredError:
    """The signed-in company admin who proved their own second factor in the last 15 minutes."""
    guard = await require_recent_step_up(context, factor_required=True)
    if not isinstance(guard, tuple):
        return guard
    admin = guard[0].user
    if not admin.is_company_admin or admin.company_id is None:
        return NotCompanyAdminError()
    return admin


async def pending_requests(
    context: Context, kind: AdminRequestKind
) -> list[AdminRequestType] | None:
    """The company's requests of `kind` waiting for a second admin; None unless the signed-in
    user is a company admin."""
    session = await context.session()
    if session is None or session.kind is not SessionKind.FULL:
        return None
    admin = session.user
    if not admin.is_company_admin or admin.company_id is None:
        return None
    waiting = await admin_requests.pending(context.runtime, admin.company_id, kind)
    return [AdminRequestType.from_model(request) for request in waiting]
