"""The second factors behind one seam: a texted code, an authenticator app code, a recovery code,
a security key (a signed WebAuthn challenge; registering one is judged the same way).

A factor names the flow column that counts attempts at its current challenge and the setting
that limits them, says whether a challenge is open at all, reads a typed answer, and judges it.
`domain/verification.py` runs every check the same way for all of them.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tortoise.expressions import Q

from domain import security_keys
from domain.runtime import Runtime
from domain.settings import Settings
from models import totp
from models.codes import (
    normalize_one_time_code,
    normalize_recovery_code,
    recovery_code_hmac,
    same,
    sms_code_hmac,
)
from models.enums import MfaMethod
from models.flow import MfaFlow
from models.sealing import Sealed, unseal
from models.security_key import SecurityKey
from models.user import User

_MAX_TYPED_RECOVERY_CODE = 64


@dataclass(frozen=True)
class Accepted:
    """A right answer: what the flow must still hold to consume it, and what consuming clears."""

    guard: dict[str, Any] = field(default_factory=dict)
    changes: dict[str, Any] = field(default_factory=dict)


class Factor(ABC):
    delivered: bool = False
    """Whether a challenge must be sent before it can be answered (a texted code)."""

    counter: str | None
    """The flow column counting attempts at this factor's challenge; None when only the flow's
    consecutive failures limit it."""

    def limit(self, settings: Settings) -> int:
        """Attempts allowed at one challenge of this factor."""
        return settings.second_factor_max_failures

    def is_open(self, flow: MfaFlow, runtime: Runtime) -> bool:
        """Whether there is something to answer (a texted code can be missing or expired)."""
        return True

    def reservation_guard(self, flow: MfaFlow) -> dict[str, Any]:
        """What must still hold when an attempt is reserved: the flow's step, by default."""
        return {"step": flow.step}

    @abstractmethod
    def read(self, typed: str) -> str | None:
        """The answer in canonical form, or None when `typed` cannot be one."""

    @abstractmethod
    async def judge(self, flow: MfaFlow, answer: str, runtime: Runtime) -> Accepted | None:
        """Accepted when `answer` is right (runs in the transaction that consumes it)."""


class TextedCode(Factor):
    """The 6-digit code texted for this flow, bound to it by its HMAC."""

    delivered = True
    counter = "code_attempts"

    def limit(self, settings: Settings) -> int:
        return settings.sms_code_max_attempts

    def is_open(self, flow: MfaFlow, runtime: Runtime) -> bool:
        expires = flow.code_expires_at
        return flow.code_hmac is not None and expires is not None and runtime.now() < expires

    def reservation_guard(self, flow: MfaFlow) -> dict[str, Any]:
        # A new code replacing this one while we judge makes the typed code the old one's.
        return {"code_hmac": flow.code_hmac}

    def read(self, typed: str) -> str | None:
        return normalize_one_time_code(typed)

    async def judge(self, flow: MfaFlow, answer: str, runtime: Runtime) -> Accepted | None:
        assert flow.code_hmac is not None  # is_open
        if not same(sms_code_hmac(runtime.secret_key, str(flow.id), answer), flow.code_hmac):
            return None
        return Accepted(
            guard={"code_hmac": flow.code_hmac},
            changes={"code_hmac": None, "code_expires_at": None},
        )


class AppCode(Factor):
    """A time-based code from the authenticator app whose sealed secret is given."""

    counter = "totp_attempts"

    def __init__(self, sealed_secret: str) -> None:
        self.sealed_secret = sealed_secret

    def limit(self, settings: Settings) -> int:
        return settings.app_code_max_attempts

    def read(self, typed: str) -> str | None:
        return normalize_one_time_code(typed)

    async def judge(self, flow: MfaFlow, answer: str, runtime: Runtime) -> Accepted | None:
        secret = unseal(runtime.secret_key, Sealed.TOTP_SECRET, self.sealed_secret)
        step = totp.matching_step(secret, answer, runtime.now())
        if step is None:
            return None
        # The replay guard: only one request can move the user's last accepted step forward.
        claimed = await User.filter(
            Q(totp_last_step__isnull=True) | Q(totp_last_step__lt=step), id=flow.user_id
        ).update(totp_last_step=step)
        return Accepted() if claimed else None


class RecoveryCode(Factor):
    """The user's saved recovery code; a right one is swapped for `next_code` at once."""

    counter = None  # 120 bits: only the flow's consecutive-failure limit applies

    def __init__(self, next_code: str) -> None:
        self.next_code = next_code

    def read(self, typed: str) -> str | None:
        # Anything typed is a guess at 120 bits: it always spends an attempt.
        return normalize_recovery_code(typed[:_MAX_TYPED_RECOVERY_CODE])

    async def judge(self, flow: MfaFlow, answer: str, runtime: Runtime) -> Accepted | None:
        key = runtime.secret_key
        swapped = await User.filter(
            id=flow.user_id, recovery_code_hmac=recovery_code_hmac(key, answer)
        ).update(
            recovery_code_hmac=recovery_code_hmac(key, normalize_recovery_code(self.next_code)),
            recovery_code_created_at=runtime.now(),
        )
        return Accepted() if swapped else None


class _WebAuthnCeremony(Factor):
    """A WebAuthn answer: the challenge must have been issued first, it is single-use, and the
    answer is the credential JSON the browser produced. The flow's failure limit applies."""

    delivered = True
    counter = None

    def is_open(self, flow: MfaFlow, runtime: Runtime) -> bool:
        return security_keys.challenge_is_open(flow, runtime)

    def reservation_guard(self, flow: MfaFlow) -> dict[str, Any]:
        # A new challenge issued while we judge makes this answer one to the old challenge.
        return {"webauthn_challenge_hmac": flow.webauthn_challenge_hmac}

    def _accepted(self, flow: MfaFlow) -> Accepted:
        guard, changes = security_keys.cleared_challenge(flow)
        return Accepted(guard=guard, changes=changes)


class KeyAssertion(_WebAuthnCeremony):
    """A security key or passkey signing the flow's challenge."""

    def read(self, typed: str) -> str | None:
        return typed if security_keys.read_assertion(typed) is not None else None

    async def judge(self, flow: MfaFlow, answer: str, runtime: Runtime) -> Accepted | None:
        outcome = await security_keys.check_assertion(flow, answer, runtime)
        return self._accepted(flow) if outcome is security_keys.Assertion.ACCEPTED else None


class KeyRegistration(_WebAuthnCeremony):
    """A new credential created for the flow's challenge; kept (enabled at `enabled_at`, or
    once enrollment ends when None) when it checks out."""

    def __init__(self, name: str, enabled_at: datetime | None) -> None:
        self.name = name
        self.enabled_at = enabled_at
        self.key: SecurityKey | None = None

    def read(self, typed: str) -> str | None:
        return typed if security_keys.read_registration(typed) is not None else None

    async def judge(self, flow: MfaFlow, answer: str, runtime: Runtime) -> Accepted | None:
        self.key = await security_keys.register(flow, answer, self.name, self.enabled_at, runtime)
        return self._accepted(flow) if self.key is not None else None


def for_method(method: MfaMethod, user: User) -> Factor:
    """The factor a user proves with `method` at sign-in or step-up."""
    if method is MfaMethod.AUTHENTICATOR_APP:
        assert user.totp_secret_sealed is not None  # usable methods are held
        return AppCode(user.totp_secret_sealed)
    if method is MfaMethod.SECURITY_KEY:
        return KeyAssertion()
    return TextedCode()
