"""Where a user stands in MFA enrollment, for clients that resume a flow."""

from __future__ import annotations

from datetime import datetime

import strawberry

from graph.types.enums import EnrollmentStep, MfaMethodType


@strawberry.type(description="The enrollment status of the current pending or full session.")
class MfaEnrollment:
    step: EnrollmentStep = strawberry.field(description="The screen to show.")
    method: MfaMethodType | None = strawberry.field(
        description="The chosen or enrolled method, once there is one."
    )
    allowed_methods: list[MfaMethodType] = strawberry.field(
        description="The methods this user may enroll."
    )
    recommended_method: MfaMethodType | None = strawberry.field(
        description="The method to suggest first."
    )
    masked_phone_number: str | None = strawberry.field(
        description="The number the code was (or will be) sent to, last 2 digits visible."
    )
    code_expires_at: datetime | None = strawberry.field(
        description="When the current code stops working; null when no code is outstanding."
    )
    resend_available_at: datetime | None = strawberry.field(
        description="When a new code may be requested; null when it may be now."
    )
    attempts_remaining: int | None = strawberry.field(
        description="Wrong submissions left for the current code; null when none is outstanding."
    )
