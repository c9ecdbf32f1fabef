"""Why a single sign-on was refused: one typed value per check, audited and shown to the
user (the reference app's error screen names the code; docs/errors.md lists each)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class SsoRefusalCode(StrEnum):
    """Stable codes; the audit outcome is the lower-case value (`sso` / `refused_<code>`)."""

    UNKNOWN_PROVIDER = "SSO_UNKNOWN_PROVIDER"
    INVALID_STATE = "SSO_INVALID_STATE"
    INVALID_RESPONSE = "SSO_INVALID_RESPONSE"
    WRONG_ISSUER = "SSO_WRONG_ISSUER"
    INVALID_NONCE = "SSO_INVALID_NONCE"
    INVALID_TOKEN = "SSO_INVALID_TOKEN"
    PROVIDER_UNAVAILABLE = "SSO_PROVIDER_UNAVAILABLE"
    PROVIDER_ERROR = "SSO_PROVIDER_ERROR"
    EMAIL_NOT_VERIFIED = "SSO_EMAIL_NOT_VERIFIED"
    DOMAIN_NOT_VERIFIED = "SSO_DOMAIN_NOT_VERIFIED"
    NO_ACCOUNT = "SSO_NO_ACCOUNT"
    ACCOUNT_LOCKED = "SSO_ACCOUNT_LOCKED"


# Audit outcomes are at most 32 characters: `refused_` and a short name of the check.
AUDIT_OUTCOME = {
    code: "refused_" + code.value.removeprefix("SSO_").lower() for code in SsoRefusalCode
}


@dataclass(frozen=True)
class SsoRefused:
    """The sign-in stops here; nothing was linked, no session issued."""

    code: SsoRefusalCode
