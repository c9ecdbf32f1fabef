"""Expected failures, returned as members of each mutation's result union.

`ErrorCode` is append-only: mobile clients in the field switch on it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from enum import Enum
from typing import Any

import strawberry
from strawberry.extensions import FieldExtension

from graph.types.enums import EnrollmentStep, MfaMethodType
from graph.types.sms import SmsCountry
from i18n.catalogs import SUPPORTED_LOCALES, gettext


@strawberry.enum(description="Stable machine-readable codes of every expected failure.")
class ErrorCode(Enum):
    INVALID_CREDENTIALS = strawberry.enum_value(
        "INVALID_CREDENTIALS", description="The email or password is wrong."
    )
    WRONG_STEP = strawberry.enum_value(
        "WRONG_STEP", description="The mutation does not belong to the current step."
    )
    METHOD_NOT_ALLOWED = strawberry.enum_value(
        "METHOD_NOT_ALLOWED", description="The chosen second factor is not allowed for this user."
    )
    INVALID_PHONE_NUMBER = strawberry.enum_value(
        "INVALID_PHONE_NUMBER", description="The phone number is not a valid mobile number."
    )
    UNSUPPORTED_COUNTRY = strawberry.enum_value(
        "UNSUPPORTED_COUNTRY", description="Text messages are not offered for the number's country."
    )
    SMS_DELIVERY_FAILED = strawberry.enum_value(
        "SMS_DELIVERY_FAILED", description="The SMS provider did not take the message."
    )
    RESEND_NOT_AVAILABLE = strawberry.enum_value(
        "RESEND_NOT_AVAILABLE", description="A new code cannot be sent yet."
    )
    INVALID_CODE = strawberry.enum_value(
        "INVALID_CODE", description="The verification code is wrong."
    )
    CODE_EXPIRED = strawberry.enum_value(
        "CODE_EXPIRED", description="The verification code expired, or none was sent."
    )
    TOO_MANY_ATTEMPTS = strawberry.enum_value(
        "TOO_MANY_ATTEMPTS", description="Too many wrong codes; the code no longer works."
    )
    RECOVERY_CODE_NOT_SAVED = strawberry.enum_value(
        "RECOVERY_CODE_NOT_SAVED", description="Saving the recovery code was not confirmed."
    )
    REAUTHENTICATION_REQUIRED = strawberry.enum_value(
        "REAUTHENTICATION_REQUIRED",
        description="A second factor must be verified again before this change.",
    )
    LAST_FACTOR = strawberry.enum_value(
        "LAST_FACTOR", description="The only usable second factor of a payments user stays."
    )
    FACTOR_ALREADY_ENROLLED = strawberry.enum_value(
        "FACTOR_ALREADY_ENROLLED", description="The user already holds this second factor."
    )
    ACCOUNT_LOCKED = strawberry.enum_value(
        "ACCOUNT_LOCKED",
        description="Too many failed second factors: a company admin must reset the MFA.",
    )
    USER_REQUEST_NOT_VERIFIED = strawberry.enum_value(
        "USER_REQUEST_NOT_VERIFIED",
        description="The admin did not confirm verifying the user's request.",
    )
    USER_NOT_FOUND = strawberry.enum_value(
        "USER_NOT_FOUND", description="No user with that email in the admin's company."
    )
    CANNOT_RESET_OWN_MFA = strawberry.enum_value(
        "CANNOT_RESET_OWN_MFA", description="Admins cannot reset their own MFA."
    )
    NOT_COMPANY_ADMIN = strawberry.enum_value(
        "NOT_COMPANY_ADMIN", description="Only company admins may do this."
    )
    RATE_LIMITED = strawberry.enum_value(
        "RATE_LIMITED", description="Too many requests of this kind; retry later."
    )
    SECURITY_KEY_NOT_FOUND = strawberry.enum_value(
        "SECURITY_KEY_NOT_FOUND", description="The user holds no security key with that id."
    )
    PASSKEY_SIGN_IN_DISABLED = strawberry.enum_value(
        "PASSKEY_SIGN_IN_DISABLED", description="This server does not offer passkey sign-in."
    )
    UNKNOWN_AUDIENCE = strawberry.enum_value(
        "UNKNOWN_AUDIENCE",
        description="No access token is issued for that audience (ACCESS_TOKEN_AUDIENCES).",
    )
    SERVICE_CREDENTIAL_REQUIRED = strawberry.enum_value(
        "SERVICE_CREDENTIAL_REQUIRED",
        description="Only a service credential (HTTP Basic) may do this; never a user session.",
    )
    INVALID_TRANSACTION = strawberry.enum_value(
        "INVALID_TRANSACTION", description="A field of the transaction cannot be approved as sent."
    )
    TRANSACTION_APPROVAL_NOT_FOUND = strawberry.enum_value(
        "TRANSACTION_APPROVAL_NOT_FOUND",
        description="No such approval for this user (or this service).",
    )
    TRANSACTION_APPROVAL_EXPIRED = strawberry.enum_value(
        "TRANSACTION_APPROVAL_EXPIRED", description="The approval's time ran out."
    )
    TRANSACTION_DECLINED = strawberry.enum_value(
        "TRANSACTION_DECLINED", description="The user declined this transaction."
    )
    TRANSACTION_ALREADY_DECIDED = strawberry.enum_value(
        "TRANSACTION_ALREADY_DECIDED", description="The transaction was approved already."
    )
    WRONG_TRANSACTION_CODE = strawberry.enum_value(
        "WRONG_TRANSACTION_CODE", description="The code or key does not approve this transaction."
    )
    TRANSACTION_ATTEMPTS_EXHAUSTED = strawberry.enum_value(
        "TRANSACTION_ATTEMPTS_EXHAUSTED",
        description="Too many wrong answers: the approval is dead, or the session ended.",
    )
    TRANSACTION_NOT_APPROVED = strawberry.enum_value(
        "TRANSACTION_NOT_APPROVED", description="The user has not approved the transaction yet."
    )
    PAYLOAD_HASH_MISMATCH = strawberry.enum_value(
        "PAYLOAD_HASH_MISMATCH",
        description="The payload hash is not the hash of what the user approved.",
    )
    TRANSACTION_ALREADY_REDEEMED = strawberry.enum_value(
        "TRANSACTION_ALREADY_REDEEMED", description="The approval was redeemed already."
    )
    SSO_REQUIRED = strawberry.enum_value(
        "SSO_REQUIRED",
        description="The email's domain signs in through the company's identity provider.",
    )
    SSO_CODE_INVALID = strawberry.enum_value(
        "SSO_CODE_INVALID",
        description="The single sign-on code is unknown, used, expired, or its verifier is wrong.",
    )
    WEAK_PASSWORD = strawberry.enum_value(
        "WEAK_PASSWORD", description="The new password breaks a password rule (see `reason`)."
    )
    LINK_INVALID = strawberry.enum_value(
        "LINK_INVALID",
        description="The emailed link is unknown, used, revoked or expired: ask for a new one.",
    )
    ACCOUNT_EXISTS = strawberry.enum_value(
        "ACCOUNT_EXISTS", description="The address has an account in your company already."
    )
    INVITATION_NOT_FOUND = strawberry.enum_value(
        "INVITATION_NOT_FOUND", description="No pending invitation with that id in your company."
    )
    INVALID_EMAIL = strawberry.enum_value(
        "INVALID_EMAIL", description="The text is not an email address Twofold can keep."
    )
    APPROVAL_HELD = strawberry.enum_value(
        "APPROVAL_HELD",
        description="A cooling-off hold after a risky account change refuses this action for now.",
    )
    PHONE_NUMBER_TYPE_NOT_ALLOWED = strawberry.enum_value(
        "PHONE_NUMBER_TYPE_NOT_ALLOWED",
        description="The number is of a kind that cannot be a second factor (premium, pager...).",
    )
    SECOND_ADMIN_REQUIRED = strawberry.enum_value(
        "SECOND_ADMIN_REQUIRED",
        description="The company needs two admins for this, and has only one.",
    )
    ADMIN_REQUEST_NOT_FOUND = strawberry.enum_value(
        "ADMIN_REQUEST_NOT_FOUND",
        description="No pending request with that id for the admin's company.",
    )
    ADMIN_REQUEST_EXPIRED = strawberry.enum_value(
        "ADMIN_REQUEST_EXPIRED", description="The request expired before a second admin approved."
    )
    ADMIN_REQUEST_ALREADY_APPROVED = strawberry.enum_value(
        "ADMIN_REQUEST_ALREADY_APPROVED", description="Another admin approved the request already."
    )
    REQUESTER_CANNOT_APPROVE = strawberry.enum_value(
        "REQUESTER_CANNOT_APPROVE", description="The admin who asked cannot be the second admin."
    )
    TARGET_CANNOT_APPROVE = strawberry.enum_value(
        "TARGET_CANNOT_APPROVE", description="A request about a user cannot be approved by them."
    )
    UNSUPPORTED_LOCALE = strawberry.enum_value(
        "UNSUPPORTED_LOCALE", description="Twofold has no catalog for the language asked for."
    )


_CODE = "Stable code of this failure; switch on it (or on `__typename`)."
_MESSAGE = (
    "Human-readable explanation in the request's language (the user's setting, else "
    "Accept-Language, else English); do not parse it."
)


def code_field(value: ErrorCode) -> Any:
    """The `code` field of an error type: its ErrorCode, described once for every error."""
    return strawberry.field(default=value, description=_CODE)


class _InRequestLanguage(FieldExtension):
    """Answers the English text (the msgid) through the catalog of the request's language."""

    def resolve(
        self, next_: Callable[..., Any], source: Any, info: strawberry.Info, **kwargs: Any
    ) -> Awaitable[str]:
        english: str = next_(source, info, **kwargs)

        async def translated() -> str:
            return gettext(await info.context.locale(), english)

        return translated()


def message_field(text: str) -> Any:
    """The `message` field of an error type: its English text is the msgid, and the answer is
    that text in the request's language (Babel's extractor finds `message_field("...")`)."""
    return strawberry.field(default=text, description=_MESSAGE, extensions=[_InRequestLanguage()])


@strawberry.interface(description="Something the user can correct or retry; nothing was changed.")
class UserError:
    code: ErrorCode = strawberry.field(description=_CODE)
    message: str = strawberry.field(description=_MESSAGE)


@strawberry.type(description="The email or password is wrong. Unknown emails answer the same.")
class InvalidCredentialsError(UserError):
    code: ErrorCode = code_field(ErrorCode.INVALID_CREDENTIALS)
    message: str = message_field("The email or password is incorrect.")


@strawberry.type(description="This action does not belong to the step the user is at.")
class WrongStepError(UserError):
    code: ErrorCode = code_field(ErrorCode.WRONG_STEP)
    message: str = message_field("This action is not available at the current step.")
    current_step: EnrollmentStep = strawberry.field(
        description="The step the user is at; show its screen."
    )


@strawberry.type(description="The user's role or company policy does not allow this method.")
class MethodNotAllowedError(UserError):
    code: ErrorCode = code_field(ErrorCode.METHOD_NOT_ALLOWED)
    message: str = message_field("This authentication method is not available for your account.")
    allowed_methods: list[MfaMethodType] = strawberry.field(
        description="The methods the user may choose instead."
    )


@strawberry.type(description="The phone number cannot be a real mobile number.")
class InvalidPhoneNumberError(UserError):
    code: ErrorCode = code_field(ErrorCode.INVALID_PHONE_NUMBER)
    message: str = message_field("Enter a valid mobile phone number.")


@strawberry.type(description="Text messages are not offered for numbers of this country.")
class UnsupportedCountryError(UserError):
    code: ErrorCode = code_field(ErrorCode.UNSUPPORTED_COUNTRY)
    message: str = message_field("Text messages are not available for this country.")
    allowed_countries: list[SmsCountry] = strawberry.field(
        description="The countries whose numbers can receive codes."
    )


@strawberry.type(description="The SMS provider did not take the message; try again.")
class SmsDeliveryFailedError(UserError):
    code: ErrorCode = code_field(ErrorCode.SMS_DELIVERY_FAILED)
    message: str = message_field("We could not send the text message. Please try again.")


@strawberry.type(description="A new code cannot be sent yet.")
class ResendNotAvailableError(UserError):
    code: ErrorCode = code_field(ErrorCode.RESEND_NOT_AVAILABLE)
    message: str = message_field("Please wait before requesting another code.")
    retry_after_seconds: int = strawberry.field(
        description="Seconds until a new code can be requested."
    )


@strawberry.type(
    description="The code is wrong. The same code may be tried again if attempts remain."
)
class InvalidCodeError(UserError):
    code: ErrorCode = code_field(ErrorCode.INVALID_CODE)
    message: str = message_field("The verification code is incorrect.")
    attempts_remaining: int = strawberry.field(
        description="Wrong submissions left before this code stops working."
    )


@strawberry.type(description="The code has expired or none was sent; request a new one.")
class CodeExpiredError(UserError):
    code: ErrorCode = code_field(ErrorCode.CODE_EXPIRED)
    message: str = message_field("The verification code has expired. Request a new code.")


@strawberry.type(
    description=(
        "Too many wrong codes. The code is dead; when `signInEnded` is true the pending "
        "sign-in is over too and the user must sign in again."
    )
)
class TooManyAttemptsError(UserError):
    code: ErrorCode = code_field(ErrorCode.TOO_MANY_ATTEMPTS)
    message: str = message_field("Too many incorrect codes.")
    sign_in_ended: bool = strawberry.field(
        description="True when the pending sign-in was ended and `logIn` must be called again."
    )


@strawberry.type(description="The user must confirm they saved the recovery code before going on.")
class RecoveryCodeNotSavedError(UserError):
    code: ErrorCode = code_field(ErrorCode.RECOVERY_CODE_NOT_SAVED)
    message: str = message_field("Save your recovery code and confirm it before continuing.")


@strawberry.type(
    description=(
        "This change needs a second factor verified in the last minutes: call reauthenticate "
        "(after sendReauthenticationCode for SMS), then retry."
    )
)
class ReauthenticationRequiredError(UserError):
    code: ErrorCode = code_field(ErrorCode.REAUTHENTICATION_REQUIRED)
    message: str = message_field("Confirm it is you with your second factor first.")
    methods: list[MfaMethodType] = strawberry.field(
        description="The factors the user can reauthenticate with."
    )


@strawberry.type(description="Removing this factor would leave a payments user without one.")
class LastFactorError(UserError):
    code: ErrorCode = code_field(ErrorCode.LAST_FACTOR)
    message: str = message_field("Add another second factor before removing this one.")


@strawberry.type(description="The user already holds this factor; only one of each is allowed.")
class FactorAlreadyEnrolledError(UserError):
    code: ErrorCode = code_field(ErrorCode.FACTOR_ALREADY_ENROLLED)
    message: str = message_field("This second factor is already set up.")


@strawberry.type(
    description=(
        "Too many recent attempts of this kind (texts to a number, user, network or country; "
        "password tries for an account or network); nothing was done."
    )
)
class RateLimitedError(UserError):
    code: ErrorCode = code_field(ErrorCode.RATE_LIMITED)
    message: str = message_field("Too many requests. Please try again later.")
    retry_after_seconds: int = strawberry.field(description="Seconds until a retry can succeed.")


@strawberry.type(
    description="The second factor is locked after too many failures; a company admin resets it."
)
class AccountLockedError(UserError):
    code: ErrorCode = code_field(ErrorCode.ACCOUNT_LOCKED)
    message: str = message_field(
        "Your two-factor authentication is locked. Contact your administrator."
    )


@strawberry.type(description="The admin must confirm that they verified the user's request.")
class UserRequestNotVerifiedError(UserError):
    code: ErrorCode = code_field(ErrorCode.USER_REQUEST_NOT_VERIFIED)
    message: str = message_field("Confirm that you have verified the user's request.")


@strawberry.type(description="No user with that email belongs to the admin's company.")
class UserNotFoundError(UserError):
    code: ErrorCode = code_field(ErrorCode.USER_NOT_FOUND)
    message: str = message_field("No user with that email in your company.")


@strawberry.type(description="Admins cannot reset their own MFA; another admin must.")
class CannotResetOwnMfaError(UserError):
    code: ErrorCode = code_field(ErrorCode.CANNOT_RESET_OWN_MFA)
    message: str = message_field("Ask another administrator to reset your MFA.")


@strawberry.type(description="Only company admins may do this.")
class NotCompanyAdminError(UserError):
    code: ErrorCode = code_field(ErrorCode.NOT_COMPANY_ADMIN)
    message: str = message_field("Only company administrators can reset MFA.")


@strawberry.type(description="The user holds no security key with that id.")
class SecurityKeyNotFoundError(UserError):
    code: ErrorCode = code_field(ErrorCode.SECURITY_KEY_NOT_FOUND)
    message: str = message_field("There is no such security key on your account.")


@strawberry.type(description="Passkey sign-in is off on this server (PASSKEY_SIGN_IN).")
class PasskeySignInDisabledError(UserError):
    code: ErrorCode = code_field(ErrorCode.PASSKEY_SIGN_IN_DISABLED)
    message: str = message_field("Sign in with your email and password.")


@strawberry.type(description="The audience is not a service this server issues access tokens for.")
class UnknownAudienceError(UserError):
    code: ErrorCode = code_field(ErrorCode.UNKNOWN_AUDIENCE)
    message: str = message_field("This service does not accept sign-ins from here.")


@strawberry.enum(description="The password rule a new password breaks.")
class WeakPasswordReason(Enum):
    TOO_SHORT = strawberry.enum_value(
        "TOO_SHORT", description="Shorter than `minLength` (NFKC-normalised characters)."
    )
    TOO_LONG = strawberry.enum_value("TOO_LONG", description="Longer than `maxLength`.")
    COMMON = strawberry.enum_value(
        "COMMON", description="One of the most common (breached) passwords."
    )
    CONTAINS_EMAIL = strawberry.enum_value(
        "CONTAINS_EMAIL", description="Contains the local part of the account's email address."
    )


@strawberry.type(description="The new password breaks a rule; `reason` says which.")
class WeakPasswordError(UserError):
    code: ErrorCode = code_field(ErrorCode.WEAK_PASSWORD)
    message: str = message_field("Choose another password.")
    reason: WeakPasswordReason = strawberry.field(description="The rule broken.")
    min_length: int = strawberry.field(description="The shortest password allowed here.")
    max_length: int = strawberry.field(description="The longest password allowed.")


@strawberry.type(
    description="The link is unknown, already used, revoked or expired; nothing was changed."
)
class LinkInvalidError(UserError):
    code: ErrorCode = code_field(ErrorCode.LINK_INVALID)
    message: str = message_field("This link no longer works. Ask for a new one.")


@strawberry.type(description="The address has an account in your company already.")
class AccountExistsError(UserError):
    code: ErrorCode = code_field(ErrorCode.ACCOUNT_EXISTS)
    message: str = message_field("This person already has an account in your company.")


@strawberry.type(description="No pending invitation with that id in your company.")
class InvitationNotFoundError(UserError):
    code: ErrorCode = code_field(ErrorCode.INVITATION_NOT_FOUND)
    message: str = message_field("There is no such pending invitation.")


@strawberry.type(description="The text is not an email address of at most 254 characters.")
class InvalidEmailError(UserError):
    code: ErrorCode = code_field(ErrorCode.INVALID_EMAIL)
    message: str = message_field("Enter a valid email address.")


@strawberry.type(
    description="This email's company signs in through its identity provider: open `startUrl`."
)
class SsoRequiredError(UserError):
    code: ErrorCode = code_field(ErrorCode.SSO_REQUIRED)
    message: str = message_field("Sign in through your company's identity provider.")
    start_url: str = strawberry.field(
        description="This server's path that starts the single sign-on (a browser navigation)."
    )


@strawberry.type(
    description="The code from the single sign-on redirect is unknown, used, expired, or the "
    "code verifier does not match: start the sign-in again."
)
class SsoCodeInvalidError(UserError):
    code: ErrorCode = code_field(ErrorCode.SSO_CODE_INVALID)
    message: str = message_field("The sign-in did not complete. Please start again.")


@strawberry.type(description="Twofold has no catalog for that language; nothing was changed.")
class UnsupportedLocaleError(UserError):
    code: ErrorCode = code_field(ErrorCode.UNSUPPORTED_LOCALE)
    message: str = message_field("This language is not available.")
    supported_locales: list[str] = strawberry.field(
        default_factory=lambda: list(SUPPORTED_LOCALES),
        description='The languages Twofold speaks, as BCP 47 tags ("en", "es", "fr").',
    )
