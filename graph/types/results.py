"""Result unions: one per mutation, a success plus the failures a client must handle."""

from __future__ import annotations

from typing import Annotated

import strawberry

from graph.types.admin_request import MfaResetRequested, SecondAdminRequiredError
from graph.types.errors import (
    AccountLockedError,
    CannotResetOwnMfaError,
    CodeExpiredError,
    FactorAlreadyEnrolledError,
    InvalidCodeError,
    InvalidCredentialsError,
    InvalidPhoneNumberError,
    LastFactorError,
    MethodNotAllowedError,
    NotCompanyAdminError,
    PasskeySignInDisabledError,
    RateLimitedError,
    ReauthenticationRequiredError,
    RecoveryCodeNotSavedError,
    ResendNotAvailableError,
    SecurityKeyNotFoundError,
    SmsDeliveryFailedError,
    SsoCodeInvalidError,
    SsoRequiredError,
    TooManyAttemptsError,
    UnknownAudienceError,
    UnsupportedCountryError,
    UserNotFoundError,
    UserRequestNotVerifiedError,
    WrongStepError,
)
from graph.types.payloads import (
    AccessTokenIssued,
    AuthenticatorAppAdded,
    AuthenticatorAppMethodChosen,
    LoggedIn,
    LoggedOut,
    LoggedOutEverywhere,
    MfaChallengeRequired,
    MfaMethodRemoved,
    MfaMethodSelection,
    MfaSetupRequired,
    PasskeySignInStarted,
    PhoneNumberChanged,
    PreferredMfaMethodSet,
    Reauthenticated,
    RecoveryCodeIssued,
    RecoveryCodeSaved,
    SecurityKeyAdded,
    SecurityKeyChallengeStarted,
    SecurityKeyMethodChosen,
    SecurityKeyRemoved,
    SecurityKeyRenamed,
    SmsCodeSent,
    SmsMethodChosen,
    TrustedBrowsersForgotten,
    UserMfaReset,
)
from graph.types.phone_type import PhoneNumberTypeNotAllowedError

LogInResult = Annotated[
    MfaSetupRequired
    | MfaChallengeRequired
    | LoggedIn
    | InvalidCredentialsError
    | AccountLockedError
    | RateLimitedError
    | SsoRequiredError,
    strawberry.union("LogInResult", description="Outcome of logIn."),
]
ExchangeSsoCodeResult = Annotated[
    MfaSetupRequired | MfaChallengeRequired | LoggedIn | SsoCodeInvalidError,
    strawberry.union("ExchangeSsoCodeResult", description="Outcome of exchangeSsoCode."),
]
StartMfaSetupResult = Annotated[
    MfaMethodSelection | WrongStepError,
    strawberry.union("StartMfaSetupResult", description="Outcome of startMfaSetup."),
]
ChooseMfaMethodResult = Annotated[
    SmsMethodChosen
    | AuthenticatorAppMethodChosen
    | MethodNotAllowedError
    | WrongStepError
    | SecurityKeyMethodChosen,
    strawberry.union("ChooseMfaMethodResult", description="Outcome of chooseMfaMethod."),
]
SendSmsCodeResult = Annotated[
    SmsCodeSent
    | InvalidPhoneNumberError
    | UnsupportedCountryError
    | SmsDeliveryFailedError
    | ResendNotAvailableError
    | RateLimitedError
    | WrongStepError
    | PhoneNumberTypeNotAllowedError,
    strawberry.union("SendSmsCodeResult", description="Outcome of sendSmsCode."),
]
ResendSmsCodeResult = Annotated[
    SmsCodeSent
    | ResendNotAvailableError
    | RateLimitedError
    | SmsDeliveryFailedError
    | WrongStepError,
    strawberry.union("ResendSmsCodeResult", description="Outcome of resendSmsCode."),
]
VerifySmsCodeResult = Annotated[
    RecoveryCodeIssued
    | InvalidCodeError
    | CodeExpiredError
    | TooManyAttemptsError
    | WrongStepError,
    strawberry.union("VerifySmsCodeResult", description="Outcome of verifySmsCode."),
]
ConfirmRecoveryCodeSavedResult = Annotated[
    LoggedIn | RecoveryCodeSaved | RecoveryCodeNotSavedError | WrongStepError,
    strawberry.union(
        "ConfirmRecoveryCodeSavedResult", description="Outcome of confirmRecoveryCodeSaved."
    ),
]
SendLoginCodeResult = Annotated[
    SmsCodeSent
    | ResendNotAvailableError
    | RateLimitedError
    | SmsDeliveryFailedError
    | MethodNotAllowedError
    | WrongStepError,
    strawberry.union("SendLoginCodeResult", description="Outcome of sendLoginCode."),
]
VerifyLoginCodeResult = Annotated[
    LoggedIn
    | InvalidCodeError
    | CodeExpiredError
    | TooManyAttemptsError
    | MethodNotAllowedError
    | WrongStepError,
    strawberry.union("VerifyLoginCodeResult", description="Outcome of verifyLoginCode."),
]
VerifyAuthenticatorCodeResult = Annotated[
    RecoveryCodeIssued
    | AuthenticatorAppAdded
    | InvalidCodeError
    | TooManyAttemptsError
    | WrongStepError
    | ReauthenticationRequiredError,
    strawberry.union(
        "VerifyAuthenticatorCodeResult", description="Outcome of verifyAuthenticatorCode."
    ),
]
LogInWithRecoveryCodeResult = Annotated[
    RecoveryCodeIssued | InvalidCodeError | TooManyAttemptsError | WrongStepError,
    strawberry.union(
        "LogInWithRecoveryCodeResult", description="Outcome of logInWithRecoveryCode."
    ),
]
LogOutResult = Annotated[
    LoggedOut,
    strawberry.union("LogOutResult", description="Outcome of logOut."),
]
SendReauthenticationCodeResult = Annotated[
    SmsCodeSent
    | ResendNotAvailableError
    | RateLimitedError
    | SmsDeliveryFailedError
    | MethodNotAllowedError,
    strawberry.union(
        "SendReauthenticationCodeResult", description="Outcome of sendReauthenticationCode."
    ),
]
ReauthenticateResult = Annotated[
    Reauthenticated
    | InvalidCodeError
    | CodeExpiredError
    | TooManyAttemptsError
    | MethodNotAllowedError,
    strawberry.union("ReauthenticateResult", description="Outcome of reauthenticate."),
]
AddAuthenticatorAppResult = Annotated[
    AuthenticatorAppMethodChosen | ReauthenticationRequiredError | FactorAlreadyEnrolledError,
    strawberry.union("AddAuthenticatorAppResult", description="Outcome of addAuthenticatorApp."),
]
StartPhoneNumberChangeResult = Annotated[
    SmsCodeSent
    | ReauthenticationRequiredError
    | InvalidPhoneNumberError
    | UnsupportedCountryError
    | MethodNotAllowedError
    | SmsDeliveryFailedError
    | ResendNotAvailableError
    | RateLimitedError
    | PhoneNumberTypeNotAllowedError,
    strawberry.union(
        "StartPhoneNumberChangeResult", description="Outcome of startPhoneNumberChange."
    ),
]
ConfirmPhoneNumberChangeResult = Annotated[
    PhoneNumberChanged
    | InvalidCodeError
    | CodeExpiredError
    | TooManyAttemptsError
    | WrongStepError
    | ReauthenticationRequiredError,
    strawberry.union(
        "ConfirmPhoneNumberChangeResult", description="Outcome of confirmPhoneNumberChange."
    ),
]
RemoveMfaMethodResult = Annotated[
    MfaMethodRemoved | ReauthenticationRequiredError | LastFactorError | MethodNotAllowedError,
    strawberry.union("RemoveMfaMethodResult", description="Outcome of removeMfaMethod."),
]
SetPreferredMfaMethodResult = Annotated[
    PreferredMfaMethodSet | ReauthenticationRequiredError | MethodNotAllowedError,
    strawberry.union(
        "SetPreferredMfaMethodResult", description="Outcome of setPreferredMfaMethod."
    ),
]
RegenerateRecoveryCodeResult = Annotated[
    RecoveryCodeIssued | ReauthenticationRequiredError | WrongStepError,
    strawberry.union(
        "RegenerateRecoveryCodeResult", description="Outcome of regenerateRecoveryCode."
    ),
]
LogOutEverywhereResult = Annotated[
    LoggedOutEverywhere,
    strawberry.union("LogOutEverywhereResult", description="Outcome of logOutEverywhere."),
]
ResetUserMfaResult = Annotated[
    UserMfaReset
    | UserRequestNotVerifiedError
    | UserNotFoundError
    | CannotResetOwnMfaError
    | NotCompanyAdminError
    | ReauthenticationRequiredError
    | MfaResetRequested
    | SecondAdminRequiredError,
    strawberry.union("ResetUserMfaResult", description="Outcome of resetUserMfa."),
]
RegisterSecurityKeyResult = Annotated[
    RecoveryCodeIssued
    | InvalidCodeError
    | CodeExpiredError
    | TooManyAttemptsError
    | WrongStepError
    | ReauthenticationRequiredError
    | SecurityKeyAdded,
    strawberry.union(
        "RegisterSecurityKeyResult",
        description=(
            "Outcome of registerSecurityKey. InvalidCodeError: the credential was refused (wrong "
            "origin or relying party, another challenge, a key already registered)."
        ),
    ),
]
StartSecurityKeyChallengeResult = Annotated[
    SecurityKeyChallengeStarted | MethodNotAllowedError | WrongStepError,
    strawberry.union(
        "StartSecurityKeyChallengeResult", description="Outcome of startSecurityKeyChallenge."
    ),
]
AddSecurityKeyResult = Annotated[
    SecurityKeyMethodChosen | ReauthenticationRequiredError | MethodNotAllowedError,
    strawberry.union("AddSecurityKeyResult", description="Outcome of addSecurityKey."),
]
RenameSecurityKeyResult = Annotated[
    SecurityKeyRenamed | SecurityKeyNotFoundError,
    strawberry.union("RenameSecurityKeyResult", description="Outcome of renameSecurityKey."),
]
RemoveSecurityKeyResult = Annotated[
    SecurityKeyRemoved | ReauthenticationRequiredError | LastFactorError | SecurityKeyNotFoundError,
    strawberry.union("RemoveSecurityKeyResult", description="Outcome of removeSecurityKey."),
]
ForgetTrustedBrowsersResult = Annotated[
    TrustedBrowsersForgotten,
    strawberry.union(
        "ForgetTrustedBrowsersResult", description="Outcome of forgetTrustedBrowsers."
    ),
]
StartPasskeySignInResult = Annotated[
    PasskeySignInStarted | PasskeySignInDisabledError | RateLimitedError,
    strawberry.union(
        "StartPasskeySignInResult",
        description=(
            "Outcome of startPasskeySignIn. RateLimitedError: this client address asked for too "
            "many challenges this hour (PASSKEY_CHALLENGES_PER_IP_PER_HOUR)."
        ),
    ),
]
LogInWithPasskeyResult = Annotated[
    LoggedIn
    | InvalidCredentialsError
    | AccountLockedError
    | PasskeySignInDisabledError
    | SsoRequiredError,
    strawberry.union(
        "LogInWithPasskeyResult",
        description=(
            "Outcome of logInWithPasskey. InvalidCredentialsError: the passkey was refused (no "
            "open challenge, no user verification, another origin, unknown key)."
        ),
    ),
]
IssueAccessTokenResult = Annotated[
    AccessTokenIssued | ReauthenticationRequiredError | UnknownAudienceError,
    strawberry.union(
        "IssueAccessTokenResult",
        description=(
            "Outcome of issueAccessToken. ReauthenticationRequiredError: the session has not "
            "proven what maxAgeSeconds or acrValues ask for; reauthenticate, then ask again."
        ),
    ),
]
