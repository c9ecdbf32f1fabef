"""Two-admin requests as company admins see them, their payloads and their failures."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Self

import strawberry

from graph.types.errors import ErrorCode, UserError, code_field, message_field
from models.admin_request import AdminRequest, AdminRequestKind


@strawberry.enum(name="AdminRequestKind", description="What a two-admin request asks for.")
class AdminRequestKindType(Enum):
    MFA_RESET = strawberry.enum_value(
        AdminRequestKind.MFA_RESET, description="Reset the user's MFA (approveMfaReset)."
    )
    HOLD_RELEASE = strawberry.enum_value(
        AdminRequestKind.HOLD_RELEASE,
        description="End the user's cooling-off holds early (approveHoldRelease).",
    )


@strawberry.type(
    name="AdminRequest",
    description="A change one company admin asked for, waiting for a second admin's approval.",
)
class AdminRequestType:
    id: strawberry.ID = strawberry.field(description="Pass it to the approving mutation.")
    kind: AdminRequestKindType = strawberry.field(description="What is asked for.")
    user_email: str = strawberry.field(description="The user the change is about.")
    requested_by_email: str | None = strawberry.field(
        description="The admin who asked; null when that account is gone."
    )
    created_at: datetime = strawberry.field(description="When it was asked.")
    expires_at: datetime = strawberry.field(description="After this it can no longer be approved.")

    @classmethod
    def from_model(cls, request: AdminRequest) -> Self:
        target, requester = request.target, request.requester
        return cls(
            id=strawberry.ID(str(request.id)),
            kind=AdminRequestKindType(request.kind),
            user_email=target.email,
            requested_by_email=requester.email if requester else None,
            created_at=request.created_at,
            expires_at=request.expires_at,
        )


@strawberry.input(description="Which two-admin request to approve.")
class AdminRequestInput:
    request_id: strawberry.ID = strawberry.field(description="The request's `id`.")


@strawberry.input(description="Whose cooling-off holds to end early.")
class RequestHoldReleaseInput:
    email: str = strawberry.field(description="The sign-in email of a user of the company.")


@strawberry.type(
    description=(
        "The company requires two admins for an MFA reset: nothing changed yet; a different "
        "admin of the company approves the request (approveMfaReset) within 24 hours."
    )
)
class MfaResetRequested:
    request: AdminRequestType = strawberry.field(description="The request to approve.")


@strawberry.type(
    description="Nothing changed yet: a different admin approves (approveHoldRelease)."
)
class HoldReleaseRequested:
    request: AdminRequestType = strawberry.field(description="The request to approve.")


@strawberry.type(description="A second admin approved: the user's MFA was reset.")
class MfaResetApproved:
    request: AdminRequestType = strawberry.field(description="The approved request.")


@strawberry.type(description="A second admin approved: the user's cooling-off holds ended.")
class HoldReleased:
    request: AdminRequestType = strawberry.field(description="The approved request.")


@strawberry.type(
    description="The company needs a second admin for this and has none besides this one."
)
class SecondAdminRequiredError(UserError):
    code: ErrorCode = code_field(ErrorCode.SECOND_ADMIN_REQUIRED)
    message: str = message_field("Another company admin must approve this, and there is none.")


@strawberry.type(description="No such request in the admin's company (another's is the same).")
class AdminRequestNotFoundError(UserError):
    code: ErrorCode = code_field(ErrorCode.ADMIN_REQUEST_NOT_FOUND)
    message: str = message_field("There is no such request.")


@strawberry.type(description="The request waited longer than 24 hours; ask again.")
class AdminRequestExpiredError(UserError):
    code: ErrorCode = code_field(ErrorCode.ADMIN_REQUEST_EXPIRED)
    message: str = message_field("This request expired.")


@strawberry.type(description="Another admin approved the request first; it was carried out once.")
class AdminRequestAlreadyApprovedError(UserError):
    code: ErrorCode = code_field(ErrorCode.ADMIN_REQUEST_ALREADY_APPROVED)
    message: str = message_field("This request was approved already.")


@strawberry.type(description="The admin who asked cannot be the one who approves.")
class RequesterCannotApproveError(UserError):
    code: ErrorCode = code_field(ErrorCode.REQUESTER_CANNOT_APPROVE)
    message: str = message_field("A different admin must approve your request.")


@strawberry.type(description="The user a request is about cannot approve it.")
class TargetCannotApproveError(UserError):
    code: ErrorCode = code_field(ErrorCode.TARGET_CANNOT_APPROVE)
    message: str = message_field("You cannot approve a request about your own account.")
