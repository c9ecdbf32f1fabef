"""Result unions of the two-admin mutations."""

from __future__ import annotations

from typing import Annotated

import strawberry

from graph.types.admin_request import (
    AdminRequestAlreadyApprovedError,
    AdminRequestExpiredError,
    AdminRequestNotFoundError,
    HoldReleased,
    HoldReleaseRequested,
    MfaResetApproved,
    RequesterCannotApproveError,
    SecondAdminRequiredError,
    TargetCannotApproveError,
)
from graph.types.errors import (
    NotCompanyAdminError,
    ReauthenticationRequiredError,
    UserNotFoundError,
)

Unapprovable = (
    AdminRequestNotFoundError
    | AdminRequestExpiredError
    | AdminRequestAlreadyApprovedError
    | RequesterCannotApproveError
    | TargetCannotApproveError
    | NotCompanyAdminError
    | ReauthenticationRequiredError
)
"""Why an admin cannot approve a request."""

ApproveMfaResetResult = Annotated[
    MfaResetApproved | Unapprovable,
    strawberry.union("ApproveMfaResetResult", description="Outcome of approveMfaReset."),
]
ApproveHoldReleaseResult = Annotated[
    HoldReleased | Unapprovable,
    strawberry.union("ApproveHoldReleaseResult", description="Outcome of approveHoldRelease."),
]
RequestHoldReleaseResult = Annotated[
    HoldReleaseRequested
    | SecondAdminRequiredError
    | UserNotFoundError
    | NotCompanyAdminError
    | ReauthenticationRequiredError,
    strawberry.union("RequestHoldReleaseResult", description="Outcome of requestHoldRelease."),
]
