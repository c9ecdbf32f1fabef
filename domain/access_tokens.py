"""Access tokens (RFC 9068 JWTs) for a signed-in session, and checking one for introspection.

A token names its session by `sid` (the session's id, never its token), so introspection
answers inactive the moment the session ends, however it ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import jwt

from domain import holds, proofs, signing_keys
from domain.policy import policy_for
from domain.proofs import ACR_PHISHING_RESISTANT, NotProven
from domain.runtime import Runtime
from models.enums import MfaMethod
from models.session import AuthSession

TOKEN_TYPE = "at+jwt"
"""The JWT `typ` of RFC 9068, so an ID token or another JWT never passes for an access token."""


@dataclass(frozen=True)
class Issued:
    token: str
    expires_at: datetime


@dataclass(frozen=True)
class UnknownAudience:
    """The audience is not one of ACCESS_TOKEN_AUDIENCES."""


@dataclass(frozen=True)
class StepUpFirst:
    """Prove one of `methods` again (reauthenticate), then ask again."""

    methods: list[MfaMethod]


async def issue(
    session: AuthSession,
    issuer: str,
    audience: str,
    max_age: int | None,
    acr_values: list[str] | None,
    runtime: Runtime,
) -> Issued | UnknownAudience | StepUpFirst:
    """A token for `audience` stating what `session` proved, or why there is none."""
    if audience not in runtime.settings.access_token_audiences:
        return UnknownAudience()
    now = runtime.now()
    record = proofs.decode(session.proofs, session.created_at, session.second_factor_at)
    authentication = proofs.authentication(record, now, max_age, acr_values)
    if isinstance(authentication, NotProven):
        usable = (await policy_for(session.user)).usable
        if authentication.acr == ACR_PHISHING_RESISTANT:
            usable = [method for method in usable if method is MfaMethod.SECURITY_KEY]
        return StepUpFirst(usable)
    user = session.user
    expires = now + timedelta(seconds=runtime.settings.access_token_seconds)
    claims: dict[str, Any] = {
        "iss": issuer,
        "sub": str(user.id),
        "aud": audience,
        "exp": int(expires.timestamp()),
        "iat": int(now.timestamp()),
        "jti": runtime.providers.randomness.session_token()[:32],
        "client_id": "twofold",
        "auth_time": authentication.auth_time,
        "amr": authentication.amr,
        "acr": authentication.acr,
        "sid": str(session.id),
        "company": str(user.company_id) if user.company_id else None,
        "pay_role": user.pay_role.value,
    }
    # A service that reads the token alone still sees a cooling-off hold.
    if (until := await holds.held_until(runtime, user.id)) is not None:
        claims["holds_until"] = int(until.timestamp())
    key = await signing_keys.signer(runtime)
    token = jwt.encode(
        claims,
        key.private_key,
        algorithm=signing_keys.ALGORITHM,
        headers={"typ": TOKEN_TYPE, "kid": key.kid},
    )
    return Issued(token, datetime.fromtimestamp(claims["exp"], UTC))


async def active_claims(token: str, issuer: str, runtime: Runtime) -> dict[str, Any] | None:
    """The claims of a token Twofold signed for `issuer` that has not expired and whose
    session is still live, else None (RFC 7662's inactive: no reason given)."""
    try:
        header = jwt.get_unverified_header(token)
        kid = header.get("kid")
        if header.get("typ") != TOKEN_TYPE or not isinstance(kid, str):
            return None
        key = await signing_keys.verification_key(kid, runtime)
        if key is None:
            return None
        # Expiry against the clock provider, below; the signature, issuer and claims here.
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=[signing_keys.ALGORITHM],
            issuer=issuer,
            options={
                "verify_aud": False,
                "verify_exp": False,
                "verify_iat": False,
                "verify_nbf": False,
                "require": ["exp", "iat", "sid", "sub", "aud", "jti"],
            },
        )
    except jwt.PyJWTError:
        return None
    now = runtime.now().timestamp()
    if not isinstance(claims["exp"], int) or now >= claims["exp"]:
        return None
    if not await session_is_live(str(claims["sid"]), runtime):
        return None
    return claims


async def session_is_live(session_id: str, runtime: Runtime) -> bool:
    """Not revoked (sign-out, sign-out everywhere, MFA reset, a policy change), not idle too
    long, not past its lifetime. Reading it does not count as the user's activity."""
    try:
        parsed = UUID(session_id)
    except ValueError:
        return False
    session = await AuthSession.get_or_none(id=parsed, revoked_at__isnull=True)
    if session is None:
        return False
    now = runtime.now()
    idle = timedelta(minutes=runtime.settings.session_idle_minutes)
    return now < session.expires_at and now - session.last_seen_at < idle
