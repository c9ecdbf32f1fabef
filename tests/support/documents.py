"""GraphQL documents used across tests, as clients would write them."""

LOG_IN = """
mutation LogIn($input: LogInInput!) {
  logIn(input: $input) {
    __typename
    ... on MfaSetupRequired { pendingToken }
    ... on MfaChallengeRequired { pendingToken methods maskedPhoneNumber }
    ... on LoggedIn { sessionToken user { id email payRole mfa { enrolled methods maskedPhoneNumber } } }
    ... on UserError { code message }
  }
}
"""

START_MFA_SETUP = """
mutation { startMfaSetup {
  __typename
  ... on MfaMethodSelection { allowedMethods recommendedMethod }
  ... on WrongStepError { code currentStep }
} }
"""

CHOOSE_MFA_METHOD = """
mutation Choose($input: ChooseMfaMethodInput!) { chooseMfaMethod(input: $input) {
  __typename
  ... on SmsMethodChosen { allowedCountries { regionCode callingCode } }
  ... on MethodNotAllowedError { code allowedMethods }
  ... on WrongStepError { code currentStep }
} }
"""

SEND_SMS_CODE = """
mutation Send($input: SendSmsCodeInput!) { sendSmsCode(input: $input) {
  __typename
  ... on SmsCodeSent { maskedPhoneNumber expiresAt resendAvailableAt }
  ... on ResendNotAvailableError { code retryAfterSeconds }
  ... on UnsupportedCountryError { code allowedCountries { regionCode } }
  ... on WrongStepError { code currentStep }
  ... on UserError { code message }
} }
"""

RESEND_SMS_CODE = """
mutation { resendSmsCode {
  __typename
  ... on SmsCodeSent { maskedPhoneNumber expiresAt resendAvailableAt }
  ... on ResendNotAvailableError { code retryAfterSeconds }
  ... on WrongStepError { code currentStep }
  ... on UserError { code message }
} }
"""

VERIFY_SMS_CODE = """
mutation Verify($input: VerifySmsCodeInput!) { verifySmsCode(input: $input) {
  __typename
  ... on RecoveryCodeIssued { recoveryCode }
  ... on InvalidCodeError { code attemptsRemaining }
  ... on TooManyAttemptsError { code signInEnded }
  ... on WrongStepError { code currentStep }
  ... on UserError { code message }
} }
"""

CONFIRM_RECOVERY_CODE_SAVED = """
mutation Confirm($input: ConfirmRecoveryCodeSavedInput!) { confirmRecoveryCodeSaved(input: $input) {
  __typename
  ... on LoggedIn { sessionToken user { email payRole mfa { enrolled methods maskedPhoneNumber } } }
  ... on WrongStepError { code currentStep }
  ... on UserError { code message }
} }
"""

SEND_LOGIN_CODE = """
mutation { sendLoginCode {
  __typename
  ... on SmsCodeSent { maskedPhoneNumber expiresAt resendAvailableAt }
  ... on ResendNotAvailableError { code retryAfterSeconds }
  ... on WrongStepError { code currentStep }
  ... on UserError { code message }
} }
"""

VERIFY_LOGIN_CODE = """
mutation Verify($input: VerifyLoginCodeInput!) { verifyLoginCode(input: $input) {
  __typename
  ... on LoggedIn { sessionToken user { email mfa { enrolled methods } } }
  ... on InvalidCodeError { code attemptsRemaining }
  ... on TooManyAttemptsError { code signInEnded }
  ... on WrongStepError { code currentStep }
  ... on UserError { code message }
} }
"""

LOG_OUT = "mutation { logOut { __typename } }"

VIEWER = "{ viewer { id email payRole mfa { enrolled methods maskedPhoneNumber } } }"

MFA_ENROLLMENT = """
{ mfaEnrollment {
  step method allowedMethods recommendedMethod maskedPhoneNumber
  codeExpiresAt resendAvailableAt attemptsRemaining
} }
"""

CHOOSE_AUTHENTICATOR_APP = """
mutation { chooseMfaMethod(input: {method: AUTHENTICATOR_APP}) {
  __typename
  ... on AuthenticatorAppMethodChosen { secret otpauthUri qrCodeSvg }
  ... on MethodNotAllowedError { code allowedMethods }
  ... on WrongStepError { code currentStep }
} }
"""

VERIFY_AUTHENTICATOR_CODE = """
mutation Verify($input: VerifyAuthenticatorCodeInput!) { verifyAuthenticatorCode(input: $input) {
  __typename
  ... on RecoveryCodeIssued { recoveryCode }
  ... on InvalidCodeError { code attemptsRemaining }
  ... on TooManyAttemptsError { code signInEnded }
  ... on WrongStepError { code currentStep }
} }
"""

VERIFY_LOGIN_CODE_WITH_METHOD = """
mutation Verify($input: VerifyLoginCodeInput!) { verifyLoginCode(input: $input) {
  __typename
  ... on LoggedIn { sessionToken user { email mfa { enrolled methods preferredMethod } } }
  ... on InvalidCodeError { code attemptsRemaining }
  ... on TooManyAttemptsError { code signInEnded }
  ... on MethodNotAllowedError { code allowedMethods }
  ... on WrongStepError { code currentStep }
  ... on UserError { code message }
} }
"""

LOG_IN_WITH_RECOVERY_CODE = """
mutation Recover($input: LogInWithRecoveryCodeInput!) { logInWithRecoveryCode(input: $input) {
  __typename
  ... on RecoveryCodeIssued { recoveryCode }
  ... on InvalidCodeError { code attemptsRemaining }
  ... on TooManyAttemptsError { code signInEnded }
  ... on WrongStepError { code currentStep }
} }
"""
