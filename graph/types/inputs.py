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
    code: str = strawberry.field(description="The 6-digit code from the text message.")


@strawberry.input(description="The 'I Have Securely Saved This Code' check box.")
class ConfirmRecoveryCodeSavedInput:
    saved: bool = strawberry.field(description="Must be true to continue.")
