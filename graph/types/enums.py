"""GraphQL enums. Values are the contract with clients: append only, never rename."""

from __future__ import annotations

from enum import Enum
from typing import cast

import strawberry

from models.enums import MfaMethod, PayRole, Step


@strawberry.enum(name="PayRole", description="A user's side in payments.")
class PayRoleType(Enum):
    PAYOR = strawberry.enum_value(PayRole.PAYOR, description="Pays; must use an authenticator app.")
    PAYEE = strawberry.enum_value(
        PayRole.PAYEE, description="Gets paid; may use an authenticator app or SMS."
    )
    NONE = strawberry.enum_value(PayRole.NONE, description="Not a payments user.")


@strawberry.enum(name="MfaMethod", description="A kind of second factor.")
class MfaMethodType(Enum):
    SMS = strawberry.enum_value(MfaMethod.SMS, description="A 6-digit code sent by text message.")
    AUTHENTICATOR_APP = strawberry.enum_value(
        MfaMethod.AUTHENTICATOR_APP, description="A time-based code from an authenticator app."
    )
    SECURITY_KEY = strawberry.enum_value(
        MfaMethod.SECURITY_KEY,
        description=(
            "A security key or passkey (WebAuthn): it signs a challenge for this site's origin "
            "only, so it cannot be phished."
        ),
    )


@strawberry.enum(description="Which kind of client is signing in; decides how tokens travel.")
class ClientKind(Enum):
    BROWSER = strawberry.enum_value(
        "browser", description="Tokens live only in an HttpOnly cookie; payload tokens are null."
    )
    NATIVE = strawberry.enum_value(
        "native",
        description="Tokens are returned in payloads; send them as `Authorization: Bearer`.",
    )


@strawberry.enum(
    description=(
        "The screen the user is at: a step of enrollment, of a sign-in challenge, or (signed "
        "in) of a factor change."
    )
)
class EnrollmentStep(Enum):
    SETUP_REQUIRED = strawberry.enum_value(
        "setup_required", description="'Two-Factor Authentication Required': call startMfaSetup."
    )
    METHOD_SELECTION = strawberry.enum_value(
        "method_selection", description="'Select an Authentication Method': call chooseMfaMethod."
    )
    PHONE_NUMBER_ENTRY = strawberry.enum_value(
        "phone_number_entry", description="'Set Up SMS Verification': call sendSmsCode."
    )
    CODE_VERIFICATION = strawberry.enum_value(
        "code_verification",
        description=(
            "'Enter the 6-Digit Verification Code': call verifySmsCode or resendSmsCode "
            "(signed in, changing the number: confirmPhoneNumberChange)."
        ),
    )
    AUTHENTICATOR_APP_SCAN = strawberry.enum_value(
        "authenticator_app_scan",
        description="'Scan the QR code': call verifyAuthenticatorCode with a code from the app.",
    )
    RECOVERY_CODE_SAVE = strawberry.enum_value(
        "recovery_code_save",
        description=(
            "'Save Your Recovery Code': call confirmRecoveryCodeSaved. The code is shown only "
            "once: after a reload, regenerateRecoveryCode shows a new one in its place."
        ),
    )
    COMPLETE = strawberry.enum_value(
        "complete", description="Nothing left to enroll: the user has (or needs no) second factor."
    )
    CHALLENGE = strawberry.enum_value(
        "challenge",
        description=(
            "Prove a factor the user holds: at sign-in (sendLoginCode, verifyLoginCode, "
            "logInWithRecoveryCode) or, signed in, to reauthenticate (sendReauthenticationCode, "
            "reauthenticate)."
        ),
    )
    SECURITY_KEY_REGISTRATION = strawberry.enum_value(
        "security_key_registration",
        description=(
            "'Register your security key': pass the creation options to "
            "`navigator.credentials.create`, then call registerSecurityKey with the credential."
        ),
    )


def to_method(method: MfaMethod) -> MfaMethodType:
    return MfaMethodType(method)


def from_method(method: MfaMethodType) -> MfaMethod:
    return MfaMethod(cast(str, method.value))


def to_role(role: PayRole) -> PayRoleType:
    return PayRoleType(role)


def to_step(step: Step) -> EnrollmentStep:
    return EnrollmentStep(step.value)


@strawberry.enum(
    description=(
        "What became of a text, as the SMS provider last reported it (with PUBLIC_URL set). "
        "DELIVERY_FAILED and EXPIRED mean the code will not arrive: offer to resend it."
    )
)
class SmsDeliveryStatus(Enum):
    SENT = strawberry.enum_value("sent", description="Taken by the provider; no report yet.")
    SCHEDULED = strawberry.enum_value("scheduled", description="Waiting to be sent.")
    BUFFERED = strawberry.enum_value(
        "buffered", description="On its way; the phone network holds it (the phone may be off)."
    )
    DELIVERED = strawberry.enum_value("delivered", description="The phone received it.")
    DELIVERY_FAILED = strawberry.enum_value(
        "delivery_failed", description="Not delivered: it will not arrive."
    )
    EXPIRED = strawberry.enum_value(
        "expired", description="Not delivered in time: it will not arrive."
    )
