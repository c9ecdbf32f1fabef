"""The factor policy of one user: role, company setting, and what they hold."""

from __future__ import annotations

from dataclasses import dataclass

from models.company import Company
from models.enums import MfaMethod
from models.policy import allowed_methods, recommended_method, usable_methods
from models.user import User


@dataclass(frozen=True)
class UserPolicy:
    allowed: list[MfaMethod]
    recommended: MfaMethod
    usable: list[MfaMethod]
    preferred: MfaMethod | None


async def policy_for(user: User) -> UserPolicy:
    requires_app = False
    if user.company_id is not None:
        company = await Company.get_or_none(id=user.company_id)
        requires_app = bool(company and company.require_authenticator_app)
    usable = usable_methods(user.mfa_methods, user.pay_role, requires_app)
    return UserPolicy(
        allowed=allowed_methods(user.pay_role, requires_app),
        recommended=recommended_method(user.pay_role, requires_app),
        usable=usable,
        preferred=user.preferred_of(usable),
    )
