"""GraphQL documents used across tests, as clients would write them.

A test module keeps a document of its own only where it selects other fields on purpose, for
what it asserts.
"""

from graphql.language import Lexer, Source, TokenKind

from tests.support.constants import PASSWORD

LOG_IN = """
mutation LogIn($input: LogInInput!) {
  logIn(input: $input) {
    __typename
    ... on MfaSetupRequired { pendingToken }
    ... on MfaChallengeRequired { pendingToken methods preferredMethod maskedPhoneNumber }
    ... on LoggedIn { sessionToken user { id email payRole mfa { enrolled methods maskedPhoneNumber } } }
    ... on RateLimitedError { retryAfterSeconds }
    ... on UserError { code message }
  }
}
"""

LOG_IN_CHALLENGE = """
mutation LogIn($input: LogInInput!) { logIn(input: $input) {
  __typename
  ... on MfaChallengeRequired { methods preferredMethod maskedPhoneNumber }
} }
"""
"""logIn, reading only which second factors the challenge offers."""

LOG_IN_NATIVE = """
mutation LogIn($input: LogInInput!) { logIn(input: $input) {
  __typename
  ... on LoggedIn { sessionToken }
  ... on MfaChallengeRequired { pendingToken }
  ... on MfaSetupRequired { pendingToken }
} }
"""
"""logIn, reading only the token a mobile app keeps: a session or a pending one."""

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
  ... on AuthenticatorAppMethodChosen { secret otpauthUri qrCodeSvg }
  ... on MethodNotAllowedError { code allowedMethods }
  ... on WrongStepError { code currentStep }
} }
"""

SEND_SMS_CODE = """
mutation Send($input: SendSmsCodeInput!) { sendSmsCode(input: $input) {
  __typename
  ... on SmsCodeSent { maskedPhoneNumber expiresAt resendAvailableAt }
  ... on ResendNotAvailableError { code retryAfterSeconds }
  ... on RateLimitedError { code retryAfterSeconds }
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
  ... on RateLimitedError { code retryAfterSeconds }
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

SAVED = {"input": {"saved": True}}
"""The variables of CONFIRM_RECOVERY_CODE_SAVED once the user has put the code away."""

SEND_LOGIN_CODE = """
mutation { sendLoginCode {
  __typename
  ... on SmsCodeSent { maskedPhoneNumber expiresAt resendAvailableAt }
  ... on ResendNotAvailableError { code retryAfterSeconds }
  ... on RateLimitedError { code retryAfterSeconds }
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

REQUEST_PASSWORD_RESET = """
mutation Forgot($input: RequestPasswordResetInput!) { requestPasswordReset(input: $input) {
  __typename
  ... on PasswordResetRequested { expiresInMinutes }
  ... on RateLimitedError { code retryAfterSeconds }
  ... on SsoRequiredError { code startUrl }
} }
"""

RESET_PASSWORD = """
mutation Reset($input: ResetPasswordInput!) { resetPassword(input: $input) {
  __typename
  ... on MfaChallengeRequired { pendingToken methods preferredMethod maskedPhoneNumber }
  ... on MfaSetupRequired { pendingToken }
  ... on LoggedIn { sessionToken user { email } }
  ... on WeakPasswordError { code reason minLength maxLength }
  ... on SsoRequiredError { startUrl }
  ... on UserError { code }
} }
"""

INVITE_USER = """
mutation Invite($input: InviteUserInput!) { inviteUser(input: $input) {
  __typename
  ... on InvitationSent { invitation { id email role admin sentAt expiresAt } }
  ... on UserError { code }
} }
"""

ACCEPT_INVITATION = """
mutation Accept($input: AcceptInvitationInput!) { acceptInvitation(input: $input) {
  __typename
  ... on MfaSetupRequired { pendingToken }
  ... on LoggedIn { sessionToken user { email payRole } }
  ... on WeakPasswordError { code reason minLength maxLength }
  ... on UserError { code }
} }
"""

CHANGE_PASSWORD = """
mutation Change($input: ChangePasswordInput!) { changePassword(input: $input) {
  __typename
  ... on PasswordChanged { user { email } }
  ... on WeakPasswordError { code reason minLength }
  ... on ReauthenticationRequiredError { code methods }
  ... on UserError { code }
} }
"""

CHECK_PASSWORD = """
mutation Check($input: CheckPasswordInput!) { checkPassword(input: $input) {
  __typename
  ... on PasswordCheck { acceptable reason minLength maxLength }
} }
"""

LOG_OUT = "mutation { logOut { __typename } }"

VIEWER = "{ viewer { id email payRole mfa { enrolled methods maskedPhoneNumber } } }"

VIEWER_EMAIL = "{ viewer { email } }"

VIEWER_FACTORS = """
{ viewer { email mfa { enrolled methods preferredMethod maskedPhoneNumber authenticatorAppAddedAt } } }
"""

LOG_OUT_EVERYWHERE = """
mutation { logOutEverywhere { __typename ... on LoggedOutEverywhere { revokedSessions } } }
"""

ENROLLMENT_STEP = "{ mfaEnrollment { step } }"

MFA_ENROLLMENT = """
{ mfaEnrollment {
  step method allowedMethods recommendedMethod maskedPhoneNumber
  codeExpiresAt resendAvailableAt attemptsRemaining
} }
"""

SMS_DELIVERY_STATUS = "{ mfaEnrollment { step codeExpiresAt smsDeliveryStatus } }"

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
  ... on AuthenticatorAppAdded {
    user { email mfa { enrolled methods preferredMethod authenticatorAppAddedAt } }
  }
  ... on RecoveryCodeIssued { recoveryCode }
  ... on InvalidCodeError { code attemptsRemaining }
  ... on TooManyAttemptsError { code signInEnded }
  ... on WrongStepError { code currentStep }
  ... on UserError { code }
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

SEND_REAUTHENTICATION_CODE = """
mutation { sendReauthenticationCode {
  __typename
  ... on SmsCodeSent { maskedPhoneNumber expiresAt resendAvailableAt }
  ... on ResendNotAvailableError { code retryAfterSeconds }
  ... on RateLimitedError { code retryAfterSeconds }
  ... on MethodNotAllowedError { code allowedMethods }
  ... on UserError { code }
} }
"""

REAUTHENTICATE = """
mutation Reauthenticate($input: ReauthenticateInput!) { reauthenticate(input: $input) {
  __typename
  ... on Reauthenticated { validUntil sessionToken }
  ... on UserError { code }
} }
"""

ADD_AUTHENTICATOR_APP = """
mutation { addAuthenticatorApp {
  __typename
  ... on AuthenticatorAppMethodChosen { secret otpauthUri qrCodeSvg }
  ... on ReauthenticationRequiredError { code methods }
  ... on UserError { code }
} }
"""

REGENERATE_RECOVERY_CODE = """
mutation { regenerateRecoveryCode {
  __typename
  ... on RecoveryCodeIssued { recoveryCode }
  ... on ReauthenticationRequiredError { code methods }
  ... on WrongStepError { currentStep }
  ... on UserError { code }
} }
"""

START_PHONE_NUMBER_CHANGE = """
mutation Start($input: StartPhoneNumberChangeInput!) { startPhoneNumberChange(input: $input) {
  __typename
  ... on SmsCodeSent { maskedPhoneNumber expiresAt resendAvailableAt }
  ... on ReauthenticationRequiredError { code methods }
  ... on MethodNotAllowedError { code allowedMethods }
  ... on UnsupportedCountryError { code allowedCountries { regionCode callingCode } }
  ... on ResendNotAvailableError { code retryAfterSeconds }
  ... on RateLimitedError { code retryAfterSeconds }
  ... on UserError { code }
} }
"""

CONFIRM_PHONE_NUMBER_CHANGE = """
mutation Confirm($input: ConfirmPhoneNumberChangeInput!) { confirmPhoneNumberChange(input: $input) {
  __typename
  ... on PhoneNumberChanged { user { email mfa { methods preferredMethod maskedPhoneNumber } } }
  ... on InvalidCodeError { code attemptsRemaining }
  ... on TooManyAttemptsError { code signInEnded }
  ... on WrongStepError { code currentStep }
  ... on UserError { code }
} }
"""


CHOOSE_SECURITY_KEY = """
mutation { chooseMfaMethod(input: {method: SECURITY_KEY}) {
  __typename
  ... on SecurityKeyMethodChosen { creationOptions expiresAt }
  ... on MethodNotAllowedError { code allowedMethods }
  ... on WrongStepError { code currentStep }
} }
"""

REGISTER_SECURITY_KEY = """
mutation Register($input: RegisterSecurityKeyInput!) { registerSecurityKey(input: $input) {
  __typename
  ... on RecoveryCodeIssued { recoveryCode }
  ... on InvalidCodeError { code attemptsRemaining }
  ... on TooManyAttemptsError { code signInEnded }
  ... on WrongStepError { code currentStep }
  ... on UserError { code }
} }
"""

ADD_SECURITY_KEY = """
mutation { addSecurityKey {
  __typename
  ... on SecurityKeyMethodChosen { creationOptions }
  ... on UserError { code }
} }
"""

START_SECURITY_KEY_CHALLENGE = """
mutation { startSecurityKeyChallenge {
  __typename
  ... on SecurityKeyChallengeStarted { requestOptions expiresAt }
  ... on MethodNotAllowedError { code allowedMethods }
  ... on WrongStepError { code currentStep }
} }
"""


def log_in_written_out(email: str, password: str = PASSWORD) -> str:
    """A logIn with its input written into the document, for requests that carry no variables."""
    return f'mutation {{ logIn(input: {{email: "{email}", password: "{password}"}}) {{ __typename }} }}'


def token_count(document: str) -> int:
    """Tokens as graphql-core's parser counts them for its limit (no comments here)."""
    lexer, count = Lexer(Source(document)), 0
    while lexer.advance().kind is not TokenKind.EOF:
        count += 1
    return count


ISSUE_ACCESS_TOKEN = """
mutation Issue($input: IssueAccessTokenInput!) { issueAccessToken(input: $input) {
  __typename
  ... on AccessTokenIssued { accessToken expiresAt tokenType }
  ... on ReauthenticationRequiredError { code methods }
  ... on UserError { code }
} }
"""


APPROVAL_FIELDS = """
  id action amountMinor currency amountText payeeName payeeReference description status
  expiresAt payload payloadHash methods
"""
CREATE_TRANSACTION_APPROVAL = f"""
mutation Create($input: CreateTransactionApprovalInput!) {{
  createTransactionApproval(input: $input) {{
    __typename
    ... on TransactionApprovalCreated {{ approval {{ {APPROVAL_FIELDS} }} }}
    ... on InvalidTransactionError {{ code field reason }}
    ... on UserError {{ code }}
  }}
}}
"""
TRANSACTION_APPROVAL = f"""
query Approval($id: ID!) {{ transactionApproval(id: $id) {{ {APPROVAL_FIELDS} }} }}
"""
SEND_TRANSACTION_CODE = """
mutation Send($input: TransactionApprovalInput!) { sendTransactionCode(input: $input) {
  __typename
  ... on TransactionCodeSent { maskedPhoneNumber expiresAt resendAvailableAt }
  ... on ResendNotAvailableError { retryAfterSeconds }
  ... on RateLimitedError { retryAfterSeconds }
  ... on UserError { code }
} }
"""
START_TRANSACTION_KEY_CHALLENGE = """
mutation Key($input: TransactionApprovalInput!) { startTransactionKeyChallenge(input: $input) {
  __typename
  ... on TransactionKeyChallengeStarted { requestOptions expiresAt }
  ... on UserError { code }
} }
"""
APPROVE_TRANSACTION = f"""
mutation Approve($input: ApproveTransactionInput!) {{ approveTransaction(input: $input) {{
  __typename
  ... on TransactionApproved {{ approval {{ {APPROVAL_FIELDS} }} }}
  ... on WrongTransactionCodeError {{ attemptsRemaining }}
  ... on TransactionAttemptsExhaustedError {{ sessionEnded }}
  ... on UserError {{ code }}
}} }}
"""
DECLINE_TRANSACTION = """
mutation Decline($input: TransactionApprovalInput!) { declineTransaction(input: $input) {
  __typename
  ... on TransactionDeclined { approval { id status } }
  ... on UserError { code }
} }
"""
REDEEM_TRANSACTION_APPROVAL = """
mutation Redeem($input: RedeemTransactionApprovalInput!) {
  redeemTransactionApproval(input: $input) {
    __typename
    ... on TransactionApprovalRedeemed { approval { id status payloadHash } approvedAt method amr }
    ... on UserError { code }
  }
}
"""

EXCHANGE_SSO_CODE = """
mutation Exchange($code: String!, $verifier: String) {
  exchangeSsoCode(input: {code: $code, codeVerifier: $verifier}) {
    __typename
    ... on MfaSetupRequired { pendingToken }
    ... on UserError { code }
  }
}
"""

VIEWER_HOLDS = "{ viewer { email holds { reason startedAt until } } }"

CREATE_HELD_APPROVAL = """
mutation Create($input: CreateTransactionApprovalInput!) {
  createTransactionApproval(input: $input) {
    __typename
    ... on ApprovalHeldError { code until reason }
    ... on UserError { code }
  }
}
"""

RESET_USER_MFA_REQUESTED = """
mutation Reset($input: ResetUserMfaInput!) { resetUserMfa(input: $input) {
  __typename
  ... on MfaResetRequested { request { id expiresAt userEmail requestedByEmail } }
  ... on UserError { code }
} }
"""
APPROVE_MFA_RESET = """
mutation Approve($input: AdminRequestInput!) { approveMfaReset(input: $input) {
  __typename
  ... on MfaResetApproved { request { id } }
  ... on UserError { code }
} }
"""
COMPANY_MFA_RESET_REQUESTS = "{ companyMfaResetRequests { id kind userEmail expiresAt } }"
REQUEST_HOLD_RELEASE = """
mutation Request($input: RequestHoldReleaseInput!) { requestHoldRelease(input: $input) {
  __typename
  ... on HoldReleaseRequested { request { id } }
  ... on UserError { code }
} }
"""
APPROVE_HOLD_RELEASE = """
mutation Approve($input: AdminRequestInput!) { approveHoldRelease(input: $input) {
  __typename
  ... on HoldReleased { request { id } }
  ... on UserError { code }
} }
"""
