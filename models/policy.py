"""Which second factors a user may enroll and use. Pure."""

from __future__ import annotations

from models.enums import MfaMethod, PayRole

_APP, _SMS, _KEY = MfaMethod.AUTHENTICATOR_APP, MfaMethod.SMS, MfaMethod.SECURITY_KEY
# Security keys come last so that the recommendation (the first) stays the app every user has.
_ROLE_METHODS: dict[PayRole, tuple[MfaMethod, ...]] = {
    PayRole.PAYOR: (_APP, _KEY),
    PayRole.PAYEE: (_APP, _SMS, _KEY),
    PayRole.NONE: (_APP, _SMS, _KEY),
}


def allowed_methods(
    role: PayRole, company_requires_app: bool = False, payors_need_key: bool = False
) -> list[MfaMethod]:
    """What the role and the company permit, best first. The app is always among them, but
    for payors of a company that requires a phishing-resistant factor: a security key."""
    if payors_need_key and role is PayRole.PAYOR:
        return [MfaMethod.SECURITY_KEY]
    if company_requires_app:
        return [MfaMethod.AUTHENTICATOR_APP]
    return list(_ROLE_METHODS[role])


def recommended_method(
    role: PayRole, company_requires_app: bool = False, payors_need_key: bool = False
) -> MfaMethod:
    """The authenticator app (SMS is a restricted authenticator, NIST SP 800-63B 3.2.9), or
    the security key where nothing else is allowed."""
    return allowed_methods(role, company_requires_app, payors_need_key)[0]


def usable_methods(
    held: list[MfaMethod],
    role: PayRole,
    company_requires_app: bool = False,
    payors_need_key: bool = False,
) -> list[MfaMethod]:
    """The factors a user holds that policy still lets them sign in with."""
    allowed = allowed_methods(role, company_requires_app, payors_need_key)
    return [m for m in held if m in allowed]
