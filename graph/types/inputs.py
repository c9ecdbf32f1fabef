"""Mutation inputs: each mutation with arguments takes exactly one `input`."""

from __future__ import annotations

import strawberry

from graph.types.enums import ClientKind, MfaMethodType


@strawberry.input(description="Email and password from the sign-in screen.")
class LogInInput:
    email: str = strawberry.field(description="The sign-in email address.")
    password: str = strawberry.field(description="The password, 8 to 128 characters.")
    client: ClientKind = strawberry.field(
        default=ClientKind.BROWSER, description="How tokens should travel; BROWSER by default."
    )
    device_token: str | None = strawberry.field(
        default=None,
        description=(
            "NATIVE clients: the `deviceToken` an earlier `LoggedIn` gave this device. A known "
            "device is not slowed down by other people's failed guesses at this account."
        ),
    )


@strawberry.input(description="The method picked on 'Select an Authentication Method'.")
class ChooseMfaMethodInput:
    method: MfaMethodType = strawberry.field(description="The method to enroll.")


@strawberry.input(description="The fields of 'Set Up SMS Verification'.")
class SendSmsCodeInput:
    country_code: str = strawberry.field(description="Dialling prefix, such as `+1`.")
    phone_number: str = strawberry.field(description="The number as typed, such as `201 555 0123`.")


@strawberry.input(description="A 6-digit code as typed; spaces and dashes are ignored.")
class VerifySmsCodeInput:
    code: str = strawberry.field(description="The 6-digit code from the text message.")


@strawberry.input(description="A 6-digit sign-in code as typed; spaces and dashes are ignored.")
class VerifyLoginCodeInput:
    code: str = strawberry.field(
        description=(
            "The 6-digit code from the text message or app; for SECURITY_KEY, the JSON of the "
            "credential `navigator.credentials.get` returned (`credential.toJSON()`)."
        )
    )
    method: MfaMethodType | None = strawberry.field(
        default=None, description="The factor the code is from; the preferred one when null."
    )
    trust_browser: bool = strawberry.field(
        default=False,
        description=(
            "BROWSER clients: remember this browser for TRUSTED_BROWSER_DAYS, so sign-in here "
            "skips the challenge (reauthentication still asks). Only where the user's company "
            "allows it; ignored otherwise."
        ),
    )


@strawberry.input(description="A 6-digit code from the authenticator app just scanned.")
class VerifyAuthenticatorCodeInput:
    code: str = strawberry.field(description="The code the app shows now.")


@strawberry.input(description="The saved recovery code of a user who lost their phone.")
class LogInWithRecoveryCodeInput:
    recovery_code: str = strawberry.field(
        description="The recovery code, in any case, with or without dashes or spaces."
    )


@strawberry.input(description="The 'I Have Securely Saved This Code' check box.")
class ConfirmRecoveryCodeSavedInput:
    saved: bool = strawberry.field(description="Must be true to continue.")


@strawberry.input(description="A code proving the second factor again, before a sensitive change.")
class ReauthenticateInput:
    code: str = strawberry.field(
        description=(
            "The 6-digit code from the app or text message; for SECURITY_KEY, the JSON of the "
            "credential `navigator.credentials.get` returned (`credential.toJSON()`)."
        )
    )
    method: MfaMethodType | None = strawberry.field(
        default=None, description="The factor the code is from; the preferred one when null."
    )


@strawberry.input(description="The new phone number; a code is texted to it before it counts.")
class StartPhoneNumberChangeInput:
    country_code: str = strawberry.field(description="Dialling prefix, such as `+1`.")
    phone_number: str = strawberry.field(description="The number as typed.")


@strawberry.input(description="The code texted to the new phone number.")
class ConfirmPhoneNumberChangeInput:
    code: str = strawberry.field(description="The 6-digit code from the text message.")


@strawberry.input(description="A factor the user holds.")
class MfaMethodInput:
    method: MfaMethodType = strawberry.field(description="The factor.")


@strawberry.input(description="The admin's MFA reset form.")
class ResetUserMfaInput:
    email: str = strawberry.field(description="The sign-in email of the user to reset.")
    verified_user_request: bool = strawberry.field(
        description="'I have verified the user's request': must be true."
    )


@strawberry.input(description="The credential a security key or passkey just created.")
class RegisterSecurityKeyInput:
    credential: str = strawberry.field(
        description=(
            "The JSON of the credential `navigator.credentials.create` returned "
            "(`credential.toJSON()`)."
        )
    )
    name: str | None = strawberry.field(
        default=None, description="A name to tell the key apart later, up to 64 characters."
    )


@strawberry.input(description="One of the user's security keys.")
class SecurityKeyInput:
    id: strawberry.ID = strawberry.field(description="The key's `id` from `User.securityKeys`.")


@strawberry.input(description="A new name for one of the user's security keys.")
class RenameSecurityKeyInput:
    id: strawberry.ID = strawberry.field(description="The key's `id` from `User.securityKeys`.")
    name: str = strawberry.field(description="The new name, up to 64 characters.")


@strawberry.input(description="Which trusted browsers to forget.")
class ForgetTrustedBrowsersInput:
    id: strawberry.ID | None = strawberry.field(
        default=None,
        description="One browser's `id` from `User.trustedBrowsers`; null forgets them all.",
    )


@strawberry.input(description="A passkey's answer to a passkey sign-in challenge.")
class LogInWithPasskeyInput:
    credential: str = strawberry.field(
        description=(
            "The JSON of the credential `navigator.credentials.get` returned "
            "(`credential.toJSON()`)."
        )
    )
    client: ClientKind = strawberry.field(
        default=ClientKind.BROWSER, description="How tokens should travel; BROWSER by default."
    )


@strawberry.input(
    description="Which service the access token is for, and how fresh a proof it needs."
)
class IssueAccessTokenInput:
    audience: str = strawberry.field(
        description="The service's audience, one of the server's ACCESS_TOKEN_AUDIENCES."
    )
    max_age_seconds: int | None = strawberry.field(
        default=None,
        description=(
            "RFC 9470 max_age: a factor must have been proven within this many seconds, "
            "else ReauthenticationRequiredError (reauthenticate, then ask again)."
        ),
    )
    acr_values: list[str] | None = strawberry.field(
        default=None,
        description=(
            "RFC 9470 acr_values, in order of preference: `urn:twofold:acr:pwd`, "
            "`urn:twofold:acr:mfa` or `urn:twofold:acr:phr` (phishing-resistant). The "
            "session must have proven one of them (a higher level satisfies a lower one), "
            "else ReauthenticationRequiredError."
        ),
    )
