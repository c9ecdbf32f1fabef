"""The factor policy of one user: role, company setting, and what they hold."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from models.company import Company
from models.enums import FlowPurpose, MfaMethod
from models.flow import MfaFlow
from models.policy import allowed_methods, recommended_method, usable_methods
from models.session import AuthSession
from models.user import User


@dataclass(frozen=True)
class UserPolicy:
    allowed: list[MfaMethod]
    recommended: MfaMethod
    usable: list[MfaMethod]
    preferred: MfaMethod | None


def _rules(company: Company) -> tuple[bool, bool]:
    """The company's factor rules, as `models.policy` takes them."""
    return company.require_authenticator_app, company.require_security_key_for_payors


async def policy_for(user: User) -> UserPolicy:
    rules = (False, False)
    if user.company_id is not None:
        company = await Company.get_or_none(id=user.company_id)
        if company is not None:
            rules = _rules(company)
    usable = usable_methods(user.mfa_methods, user.pay_role, *rules)
    return UserPolicy(
        allowed=allowed_methods(user.pay_role, *rules),
        recommended=recommended_method(user.pay_role, *rules),
        usable=usable,
        preferred=user.preferred_of(usable),
    )


async def end_sessions_policy_disallows(company: Company, now: datetime) -> int:
    """After a policy change: end the sessions whose second factor the policy no longer allows.

    A user whose every held factor became unusable signs in again and enrolls an allowed one
    (a session proven with that factor must not go on to add another without proof); an
    enrollment half-way through a method no longer allowed starts over. Returns how many
    sessions ended.
    """
    rules = _rules(company)
    ended = 0
    async for user in User.filter(company_id=company.id):
        if user.mfa_methods and not usable_methods(user.mfa_methods, user.pay_role, *rules):
            sessions = AuthSession.filter(user_id=user.id)
        else:
            stale = await MfaFlow.filter(
                user_id=user.id,
                purpose=FlowPurpose.ENROLLMENT,
                method__not_in=allowed_methods(user.pay_role, *rules),
            ).values_list("session_id", flat=True)
            sessions = AuthSession.filter(id__in=stale)
        ended += await sessions.filter(revoked_at__isnull=True).update(revoked_at=now)
    return ended
