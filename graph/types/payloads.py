"""Successful outcomes of mutations, each named after what happened."""

from __future__ import annotations

from datetime import datetime

import strawberry

from graph.types.enums import MfaMethodType
from graph.types.security_key import SecurityKeyType
from graph.types.sms import SmsCountry
from graph.types.user import User
from models import totp


@strawberry.type(
    description=(
        "'Two-Factor Authentication Required': the password was right, and the user must enroll "
        "a second factor before any session is issued. Call startMfaSetup."
    )
)
class MfaSetupRequired:
    pending_token: str | None = strawberry.field(
        description="NATIVE clients only: the token that drives enrollment. Null for browsers."
    )


@strawberry.type(
    description="The password was right; prove the second factor (sendLoginCode, verifyLoginCode)."
)
class MfaChallengeRequired:
    pending_token: str | None = strawberry.field(
        description="NATIVE clients only: the token that drives the challenge. Null for browsers."
    )
    methods: list[MfaMethodType] = strawberry.field(
        description="The factors the user holds and may sign in with, the app first."
    )
    preferred_method: MfaMethodType | None = strawberry.field(
        description="The factor to ask for first; verifyLoginCode uses it when none is named."
    )
    masked_phone_number: str | None = strawberry.field(
        description="The enrolled phone number, last 2 digits visible."
    )


@strawberry.type(description="The user is signed in.")
class LoggedIn:
    session_token: str | None = strawberry.field(
        description="NATIVE clients only: the session token. Null for browsers (cookie)."
    )
    user: User = strawberry.field(description="The signed-in user.")
    device_token: str | None = strawberry.field(
        default=None,
        description=(
            "NATIVE clients only, and only when this device was not known yet: keep it and send "
            "it as `LogInInput.deviceToken` at later sign-ins. Browsers get it as a cookie."
        ),
    )


@strawberry.type(description="The session was ended on the server.")
class LoggedOut:
    ok: bool = strawberry.field(description="Always true.")


@strawberry.type(description="'Select an Authentication Method': the choices for this user.")
class MfaMethodSelection:
    allowed_methods: list[MfaMethodType] = strawberry.field(
        description="The methods this user may enroll."
    )
    recommended_method: MfaMethodType | None = strawberry.field(
        description="The method to present as the better choice."
    )


@strawberry.type(description="SMS was chosen: ask for the country code and phone number next.")
class SmsMethodChosen:
    allowed_countries: list[SmsCountry] = strawberry.field(
        description="The countries offered in 'Select Your Country Code'."
    )


@strawberry.type(
    description=(
        "The authenticator app was chosen: show the QR code (or the secret for manual entry), "
        "then call verifyAuthenticatorCode with a code from the app. Shown only now."
    )
)
class AuthenticatorAppMethodChosen:
    secret: str = strawberry.field(
        description="The base32 secret in groups of four, for typing into an app by hand."
    )
    secret_base32: str = strawberry.field(
        description="The same secret as one base32 string, as TOTP libraries take it."
    )
    otpauth_uri: str = strawberry.field(
        description="The `otpauth://totp/...` URI with issuer and account, for deep links."
    )

    @strawberry.field(  # type: ignore[untyped-decorator]
        description=(
            "The URI as an SVG QR code (with its namespace): inline it in a page or use it as "
            "an image (`data:image/svg+xml`)."
        )
    )
    def qr_code_svg(self) -> str:
        # Drawn only when asked for: about 10 ms of CPU, wasted on clients that deep-link.
        return totp.qr_code_svg(self.otpauth_uri)


@strawberry.type(
    description=(
        "A security key was chosen: pass `creationOptions` to "
        "`PublicKeyCredential.parseCreationOptionsFromJSON` and `navigator.credentials.create`, "
        "then call registerSecurityKey with the credential."
    )
)
class SecurityKeyMethodChosen:
    creation_options: str = strawberry.field(
        description="WebAuthn `PublicKeyCredentialCreationOptionsJSON`, as a JSON string."
    )
    expires_at: datetime = strawberry.field(description="When the challenge in it stops working.")


@strawberry.type(
    description=(
        "A security key challenge: pass `requestOptions` to "
        "`PublicKeyCredential.parseRequestOptionsFromJSON` and `navigator.credentials.get`, then "
        "send the credential as the `code` of verifyLoginCode or reauthenticate (method "
        "SECURITY_KEY). A new challenge replaces the previous one."
    )
)
class SecurityKeyChallengeStarted:
    request_options: str = strawberry.field(
        description="WebAuthn `PublicKeyCredentialRequestOptionsJSON`, as a JSON string."
    )
    expires_at: datetime = strawberry.field(description="When the challenge stops working.")


@strawberry.type(description="A verification code was texted; any previous code no longer works.")
class SmsCodeSent:
    masked_phone_number: str = strawberry.field(
        description="Where the code went, last 2 digits visible."
    )
    expires_at: datetime = strawberry.field(description="When the code stops working.")
    resend_available_at: datetime = strawberry.field(
        description="When 'Resend New Code' becomes available."
    )


@strawberry.type(
    description=(
        "'Save Your Recovery Code': shown once. The user must save it, then call "
        "confirmRecoveryCodeSaved."
    )
)
class RecoveryCodeIssued:
    recovery_code: str = strawberry.field(
        description="24 base32 characters in groups of four; works once."
    )


@strawberry.type(
    description="A second factor was verified; sensitive changes are allowed until then."
)
class Reauthenticated:
    valid_until: datetime = strawberry.field(
        description="When the verification becomes too old for sensitive changes."
    )
    session_token: str | None = strawberry.field(
        default=None,
        description=(
            "NATIVE clients only: the session's new token; the old one stopped working. "
            "Browsers get the new token in the session cookie."
        ),
    )


@strawberry.type(description="The authenticator app is now one of the user's factors.")
class AuthenticatorAppAdded:
    user: User = strawberry.field(description="The user with the new factor.")


@strawberry.type(description="The new phone number was verified and replaced the old one.")
class PhoneNumberChanged:
    user: User = strawberry.field(description="The user with the new number.")


@strawberry.type(description="The factor was removed from the user.")
class MfaMethodRemoved:
    user: User = strawberry.field(description="The user without that factor.")


@strawberry.type(description="The factor asked for first at sign-in was set.")
class PreferredMfaMethodSet:
    user: User = strawberry.field(description="The user with the new preference.")


@strawberry.type(description="The user confirmed saving the regenerated recovery code.")
class RecoveryCodeSaved:
    user: User = strawberry.field(description="The user, with the new code's creation time.")


@strawberry.type(description="Every other session of the user was ended; this one stays.")
class LoggedOutEverywhere:
    revoked_sessions: int = strawberry.field(description="How many sessions were ended.")


@strawberry.type(
    description="The user's second factors and recovery code were removed; they enroll anew."
)
class UserMfaReset:
    email: str = strawberry.field(description="The user whose MFA was reset.")


@strawberry.type(description="The security key now counts as one of the user's factors.")
class SecurityKeyAdded:
    user: User = strawberry.field(description="The user with the new key.")
    security_key: SecurityKeyType = strawberry.field(description="The new key.")


@strawberry.type(description="The security key has its new name.")
class SecurityKeyRenamed:
    security_key: SecurityKeyType = strawberry.field(description="The renamed key.")


@strawberry.type(description="The security key no longer signs in as this user.")
class SecurityKeyRemoved:
    user: User = strawberry.field(description="The user without that key.")


@strawberry.type(description="The browsers are no longer trusted: sign-in there asks again.")
class TrustedBrowsersForgotten:
    forgotten: int = strawberry.field(description="How many browsers were forgotten.")


@strawberry.type(
    description=(
        "A passkey sign-in challenge: pass `requestOptions` to "
        "`PublicKeyCredential.parseRequestOptionsFromJSON` and `navigator.credentials.get` "
        "(or use conditional mediation), then call logInWithPasskey with the credential."
    )
)
class PasskeySignInStarted:
    request_options: str = strawberry.field(
        description="WebAuthn `PublicKeyCredentialRequestOptionsJSON`, as a JSON string."
    )
    expires_at: datetime = strawberry.field(description="When the challenge stops working.")


@strawberry.type(
    description=(
        "An access token (a JWT, RFC 9068) for one service: send it as "
        "`Authorization: Bearer <accessToken>`; it states who signed in and how."
    )
)
class AccessTokenIssued:
    access_token: str = strawberry.field(
        description="The JWT; short-lived (ACCESS_TOKEN_SECONDS), ask again when it expires."
    )
    expires_at: datetime = strawberry.field(description="When the token stops being accepted.")
    token_type: str = strawberry.field(
        default="Bearer", description="Always `Bearer`: the Authorization scheme to send it with."
    )
