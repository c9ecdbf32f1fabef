"""Which second factors a user may enroll. Pure."""

from __future__ import annotations

from models.enums import MfaMethod, PayRole

# Methods Twofold can enroll today; the authenticator app arrives in a later release.
AVAILABLE_METHODS: tuple[MfaMethod, ...] = (MfaMethod.SMS,)

_ROLE_METHODS: dict[PayRole, tuple[MfaMethod, ...]] = {
    PayRole.PAYOR: (MfaMethod.AUTHENTICATOR_APP,),
    PayRole.PAYEE: (MfaMethod.AUTHENTICATOR_APP, MfaMethod.SMS),
    PayRole.NONE: (MfaMethod.AUTHENTICATOR_APP, MfaMethod.SMS),
}


def allowed_methods(role: PayRole) -> list[MfaMethod]:
    """What the role permits and Twofold can enroll, best first."""
    return [m for m in _ROLE_METHODS[role] if m in AVAILABLE_METHODS]


def recommended_method(role: PayRole) -> MfaMethod | None:
    """The authenticator app when allowed (SMS is a restricted authenticator), else the first."""
    allowed = allowed_methods(role)
    return allowed[0] if allowed else None
