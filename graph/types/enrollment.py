"""Where a user stands in MFA enrollment, for clients that resume a flow."""

from __future__ import annotations

from datetime import datetime

import strawberry

from graph.types.enums import EnrollmentStep, MfaMethodType, SmsDeliveryStatus
from graph.types.payloads import AuthenticatorAppMethodChosen
from graph.types.sms import SmsCountry


@strawberry.type(
    description=(
        "Where the current session stands, so a client that reloads shows the right screen "
        "with its data: enrolling, challenged at sign-in, or signed in (with any factor change "
        "in progress and whether changes need reauthentication)."
    )
)
class MfaEnrollment:
    step: EnrollmentStep = strawberry.field(description="The screen to show.")
    signed_in: bool = strawberry.field(
        default=False,
        description=(
            "True for a signed-in session (its steps belong to a factor change), false while "
            "the second factor of a sign-in is still to come."
        ),
    )
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
    methods: list[MfaMethodType] = strawberry.field(
        default_factory=list,
        description=(
            "The factors the user holds and may prove now (at CHALLENGE, or to reauthenticate "
            "when signed in), the app first."
        ),
    )
    preferred_method: MfaMethodType | None = strawberry.field(
        default=None, description="The factor to ask for first among `methods`."
    )
    reauthenticated_until: datetime | None = strawberry.field(
        default=None,
        description=(
            "Signed in: until when factor changes need no reauthentication; null when they "
            "need it now (or the session is not signed in)."
        ),
    )
    authenticator_app_setup: AuthenticatorAppMethodChosen | None = strawberry.field(
        default=None,
        description=(
            "At AUTHENTICATOR_APP_SCAN: the secret and QR code being set up, so the screen can "
            "be shown again after a reload; null at every other step."
        ),
    )
    sms_countries: list[SmsCountry] = strawberry.field(
        default_factory=list,
        description=(
            "The countries offered in 'Select Your Country Code' when the user may use SMS, so "
            "the phone number screen can be shown again after a reload; empty otherwise."
        ),
    )
    sms_delivery_status: SmsDeliveryStatus | None = strawberry.field(
        default=None,
        description=(
            "What became of the text carrying the current code, as the SMS provider last "
            "reported it, so the screen can say 'not delivered, resend'; null when no texted "
            "code is outstanding or delivery reports are off (no PUBLIC_URL)."
        ),
    )
    last_text_not_delivered: bool = strawberry.field(
        default=False,
        description=(
            "True when the provider reported that the text carrying the current code was not "
            "delivered (DELIVERY_FAILED or EXPIRED): the app says so and offers the resend at "
            "once, which goes through another SMS route without waiting for the resend delay."
        ),
    )
    trust_browser_days: int | None = strawberry.field(
        default=None,
        description=(
            "At the sign-in CHALLENGE: for how many days verifyLoginCode(trustBrowser: true) "
            "would remember this browser; null when the user's company does not allow it (or "
            "the session is past the challenge), so a client offers the choice only when set."
        ),
    )
