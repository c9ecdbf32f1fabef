"""Enumerations shared by the models, the state machine and the GraphQL surface."""

from enum import StrEnum


class PayRole(StrEnum):
    """A user's side in payments; it decides which second factors are allowed."""

    PAYOR = "payor"
    PAYEE = "payee"
    NONE = "none"


class MfaMethod(StrEnum):
    """A kind of second factor."""

    SMS = "sms"
    AUTHENTICATOR_APP = "authenticator_app"
    SECURITY_KEY = "security_key"


class FlowPurpose(StrEnum):
    """Why a flow exists: enrolling a first factor, passing a sign-in challenge or proving the
    factor before a password reset takes effect (pending sessions), or changing factors from a
    signed-in session (self-service)."""

    ENROLLMENT = "enrollment"
    LOGIN = "login"
    REAUTHENTICATION = "reauthentication"
    ADD_AUTHENTICATOR_APP = "add_authenticator_app"
    CHANGE_PHONE_NUMBER = "change_phone_number"
    REGENERATE_RECOVERY_CODE = "regenerate_recovery_code"
    ADD_SECURITY_KEY = "add_security_key"
    PASSWORD_RESET = "password_reset"


class Step(StrEnum):
    """Where a flow stands. `CHALLENGE` belongs to sign-in flows of enrolled users."""

    SETUP_REQUIRED = "setup_required"
    METHOD_SELECTION = "method_selection"
    PHONE_NUMBER_ENTRY = "phone_number_entry"
    CODE_VERIFICATION = "code_verification"
    AUTHENTICATOR_APP_SCAN = "authenticator_app_scan"
    RECOVERY_CODE_SAVE = "recovery_code_save"
    CHALLENGE = "challenge"
    COMPLETE = "complete"
    SECURITY_KEY_REGISTRATION = "security_key_registration"


class SessionKind(StrEnum):
    """A pending session only drives MFA transitions; a full one is a signed-in user."""

    PENDING = "pending"
    FULL = "full"
