"""Result unions: one per mutation, a success plus the failures a client must handle."""

from __future__ import annotations

from typing import Annotated

import strawberry

from graph.types.errors import (
    CodeExpiredError,
    InvalidCodeError,
    InvalidCredentialsError,
    InvalidPhoneNumberError,
    MethodNotAllowedError,
    RecoveryCodeNotSavedError,
    ResendNotAvailableError,
    SmsDeliveryFailedError,
    TooManyAttemptsError,
    UnsupportedCountryError,
    WrongStepError,
)
from graph.types.payloads import (
    LoggedIn,
    LoggedOut,
    MfaChallengeRequired,
    MfaMethodSelection,
    MfaSetupRequired,
    RecoveryCodeIssued,
    SmsCodeSent,
    SmsMethodChosen,
)

LogInResult = Annotated[
    MfaSetupRequired | MfaChallengeRequired | LoggedIn | InvalidCredentialsError,
    strawberry.union("LogInResult", description="Outcome of logIn."),
]
StartMfaSetupResult = Annotated[
    MfaMethodSelection | WrongStepError,
    strawberry.union("StartMfaSetupResult", description="Outcome of startMfaSetup."),
]
ChooseMfaMethodResult = Annotated[
    SmsMethodChosen | MethodNotAllowedError | WrongStepError,
    strawberry.union("ChooseMfaMethodResult", description="Outcome of chooseMfaMethod."),
]
SendSmsCodeResult = Annotated[
    SmsCodeSent
    | InvalidPhoneNumberError
    | UnsupportedCountryError
    | SmsDeliveryFailedError
    | ResendNotAvailableError
    | WrongStepError,
    strawberry.union("SendSmsCodeResult", description="Outcome of sendSmsCode."),
]
ResendSmsCodeResult = Annotated[
    SmsCodeSent | ResendNotAvailableError | SmsDeliveryFailedError | WrongStepError,
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
    LoggedIn | RecoveryCodeNotSavedError | WrongStepError,
    strawberry.union(
        "ConfirmRecoveryCodeSavedResult", description="Outcome of confirmRecoveryCodeSaved."
    ),
]
SendLoginCodeResult = Annotated[
    SmsCodeSent | ResendNotAvailableError | SmsDeliveryFailedError | WrongStepError,
    strawberry.union("SendLoginCodeResult", description="Outcome of sendLoginCode."),
]
VerifyLoginCodeResult = Annotated[
    LoggedIn | InvalidCodeError | CodeExpiredError | TooManyAttemptsError | WrongStepError,
    strawberry.union("VerifyLoginCodeResult", description="Outcome of verifyLoginCode."),
]
LogOutResult = Annotated[
    LoggedOut,
    strawberry.union("LogOutResult", description="Outcome of logOut."),
]
