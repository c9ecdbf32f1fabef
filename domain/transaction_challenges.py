"""Answering a transaction approval's challenge: a code texted for it, an app code, or a
security key signing a challenge that carries the approval's payload hash.

A texted code's keyed hash is bound to the approval's id and payload hash, so a code texted
for one approval never approves another, nor the same one with other contents. A WebAuthn
challenge is the payload hash's 32 bytes followed by fresh random bytes: the signature covers
exactly what is approved. An app code (TOTP) cannot carry the payload; it approves the one
approval the user's own session shows, and its time step is spent for good (the replay rule of
sign-in).

Every answer first reserves an attempt with two conditional UPDATEs, one against the
approval's wrong answers (at most `MAX_FAILURES`) and one against the session's wrong answers
in a row (at most `SESSION_MAX_FAILURES`; the tenth ends the session), so parallel requests
and aliases in one document get no more tries. A right answer approves in one conditional
UPDATE in the transaction that judged it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from tortoise.expressions import F, Q
from tortoise.transactions import in_transaction
from webauthn import generate_authentication_options, options_to_json
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url, parse_client_data_json
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import PublicKeyCredentialDescriptor, UserVerificationRequirement

from domain import audit, metrics, proofs, security_keys
from domain.runtime import Runtime
from domain.transaction_approvals import Refusal, decided, why_not_pending
from models import totp
from models.codes import keyed_hash, normalize_one_time_code, same
from models.enums import MfaMethod
from models.sealing import Sealed, unseal
from models.security_key import SecurityKey
from models.session import AuthSession
from models.stored_phone import open_phone
from models.transaction_approval import ApprovalStatus, TransactionApproval
from models.user import User

MAX_FAILURES = 5
"""Wrong answers one approval allows (PSD2 RTS Art. 4(3)(b): at most five)."""
SESSION_MAX_FAILURES = 10
"""Wrong transactional answers in a row that end the session (the product signs the user out)."""


@dataclass(frozen=True)
class Wrong:
    attempts_remaining: int


@dataclass(frozen=True)
class TooMany:
    session_ended: bool


@dataclass(frozen=True)
class NoChallenge:
    """Nothing to answer yet: no code was texted, or no key challenge started."""


@dataclass(frozen=True)
class KeyChallenge:
    options_json: str


ApproveOutcome = TransactionApproval | Wrong | TooMany | NoChallenge | Refusal


def code_hmac(runtime: Runtime, approval: TransactionApproval, code: str) -> str:
    return keyed_hash(
        runtime.secret_key, "transaction-code", str(approval.id), approval.payload_hash, code
    )


def _challenge_hmac(runtime: Runtime, approval: TransactionApproval, challenge: bytes) -> str:
    return keyed_hash(
        runtime.secret_key, "transaction-webauthn", str(approval.id),
        bytes_to_base64url(challenge),
    )  # fmt: skip


async def key_challenge(approval: TransactionApproval, runtime: Runtime) -> KeyChallenge | Refusal:
    """WebAuthn request options whose challenge carries the approval's payload hash."""
    settings, now = runtime.settings, runtime.now()
    challenge = bytes.fromhex(approval.payload_hash) + _nonce(runtime)
    ids = await SecurityKey.filter(user_id=approval.user_id, enabled_at__isnull=False).values_list(
        "credential_id", flat=True
    )
    allowed = [PublicKeyCredentialDescriptor(id=base64url_to_bytes(str(i))) for i in ids]
    remaining_ms = int((approval.expires_at - now).total_seconds() * 1000)
    options = generate_authentication_options(
        rp_id=settings.relying_party_id,
        challenge=challenge,
        timeout=max(1000, remaining_ms),
        allow_credentials=allowed,
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    opened = await TransactionApproval.filter(
        id=approval.id, status=ApprovalStatus.PENDING, expires_at__gt=now
    ).update(webauthn_challenge_hmac=_challenge_hmac(runtime, approval, challenge))
    if not opened:
        return why_not_pending(await TransactionApproval.get(id=approval.id), now)
    return KeyChallenge(options_to_json(options))


def _nonce(runtime: Runtime) -> bytes:
    return runtime.providers.randomness.session_token().encode()[:32]


def _guard(approval: TransactionApproval, method: MfaMethod) -> dict[str, Any] | None:
    """What must still hold when the answer is judged (its challenge); None when none is open."""
    if method is MfaMethod.SMS:
        return None if approval.code_hmac is None else {"code_hmac": approval.code_hmac}
    if method is MfaMethod.SECURITY_KEY:
        stored = approval.webauthn_challenge_hmac
        return None if stored is None else {"webauthn_challenge_hmac": stored}
    return {}


def _readable(method: MfaMethod, typed: str) -> bool:
    if method is MfaMethod.SECURITY_KEY:
        return security_keys.read_assertion(typed) is not None
    return normalize_one_time_code(typed) is not None


async def approve(
    approval: TransactionApproval,
    session: AuthSession,
    method: MfaMethod,
    typed: str,
    runtime: Runtime,
) -> ApproveOutcome:
    """Judge `typed` as the user's `method` answer to the approval's challenge."""
    now = runtime.now()
    if approval.status is not ApprovalStatus.PENDING or now >= approval.expires_at:
        return why_not_pending(approval, now)
    guard = _guard(approval, method)
    if guard is None:
        return NoChallenge()
    if not _readable(method, typed):
        return Wrong(max(0, MAX_FAILURES - approval.failures))  # nothing to guess with
    refusal = await _reserve(approval, session, guard, runtime)
    if refusal is not None:
        return refusal
    async with in_transaction():
        right = await _judge(approval, session.user_id, method, typed, runtime)
        approved = right and await _approve(approval, session, method, guard, runtime)
        if approved:
            await AuthSession.filter(id=session.id).update(transaction_failures=0)
            await decided(approval, "approved", runtime)
    if approved:
        _count_verified(method, session, runtime)
        return await TransactionApproval.get(id=approval.id)
    if right:
        # Right, but a parallel request decided first (or the time ran out): no failure.
        await AuthSession.filter(id=session.id, transaction_failures__gt=0).update(
            transaction_failures=F("transaction_failures") - 1
        )
        return await _why_not(approval, runtime)
    return await _after_wrong(approval, session, runtime)


def _count_verified(method: MfaMethod, session: AuthSession, runtime: Runtime) -> None:
    """Texts sent against codes verified (SMS pumping shows as the gap), as at sign-in."""
    if method is MfaMethod.SMS and session.user.phone_sealed is not None:
        phone = open_phone(runtime.secret_key, session.user.phone_sealed)
        metrics.CODES_VERIFIED.labels(metrics.country_of(phone), metrics.SMS).inc()
    elif method is MfaMethod.AUTHENTICATOR_APP:
        metrics.CODES_VERIFIED.labels(metrics.NO_COUNTRY, "authenticator_app").inc()


async def _reserve(
    approval: TransactionApproval, session: AuthSession, guard: dict[str, Any], runtime: Runtime
) -> ApproveOutcome | None:
    now = runtime.now()
    reserved = await TransactionApproval.filter(
        id=approval.id, status=ApprovalStatus.PENDING, expires_at__gt=now,
        failures__lt=MAX_FAILURES, **guard,
    ).update(failures=F("failures") + 1)  # fmt: skip
    if not reserved:
        return await _why_not(approval, runtime)
    if not await AuthSession.filter(
        id=session.id, revoked_at__isnull=True, transaction_failures__lt=SESSION_MAX_FAILURES
    ).update(transaction_failures=F("transaction_failures") + 1):
        return await _end_session(session, runtime)
    return None


async def _judge(
    approval: TransactionApproval, user_id: Any, method: MfaMethod, typed: str, runtime: Runtime
) -> bool:
    if method is MfaMethod.SMS:
        code = normalize_one_time_code(typed) or ""
        assert approval.code_hmac is not None  # _guard
        return same(code_hmac(runtime, approval, code), approval.code_hmac)
    if method is MfaMethod.AUTHENTICATOR_APP:
        return await _app_code(user_id, normalize_one_time_code(typed) or "", runtime)
    return await _key_assertion(approval, typed, runtime)


async def _app_code(user_id: Any, code: str, runtime: Runtime) -> bool:
    user = await User.get(id=user_id)
    if user.totp_secret_sealed is None:
        return False
    secret = unseal(runtime.secret_key, Sealed.TOTP_SECRET, user.totp_secret_sealed)
    step = totp.matching_step(secret, code, runtime.now())
    if step is None:
        return False
    # The replay guard of sign-in: a time step accepted once is never accepted again.
    claimed = await User.filter(
        Q(totp_last_step__isnull=True) | Q(totp_last_step__lt=step), id=user_id
    ).update(totp_last_step=step)
    return bool(claimed)


async def _key_assertion(approval: TransactionApproval, typed: str, runtime: Runtime) -> bool:
    credential = security_keys.read_assertion(typed)
    if credential is None or approval.webauthn_challenge_hmac is None:
        return False
    key = await SecurityKey.get_or_none(
        credential_id=bytes_to_base64url(credential.raw_id),
        user_id=approval.user_id,
        enabled_at__isnull=False,
    )
    if key is None:
        return False
    try:
        challenge = parse_client_data_json(credential.response.client_data_json).challenge
    except (WebAuthnException, ValueError):
        return False
    carries_payload = challenge[:32] == bytes.fromhex(approval.payload_hash)
    issued = same(_challenge_hmac(runtime, approval, challenge), approval.webauthn_challenge_hmac)
    if not (carries_payload and issued):
        return False
    outcome = await security_keys.check_signature(credential, key, challenge, runtime)
    return outcome is security_keys.Assertion.ACCEPTED


async def _approve(
    approval: TransactionApproval,
    session: AuthSession,
    method: MfaMethod,
    guard: dict[str, Any],
    runtime: Runtime,
) -> bool:
    """Approve in one conditional UPDATE; the service then has one lifetime to redeem it."""
    now = runtime.now()
    lifetime = timedelta(seconds=runtime.settings.transaction_approval_seconds)
    won = await TransactionApproval.filter(
        id=approval.id, status=ApprovalStatus.PENDING, expires_at__gt=now, **guard
    ).update(
        status=ApprovalStatus.APPROVED, decided_at=now, method=method,
        amr=" ".join(proofs.step_up(method, now).amr), failures=F("failures") - 1,
        code_hmac=None, webauthn_challenge_hmac=None, expires_at=now + lifetime,
    )  # fmt: skip
    return bool(won)


async def _after_wrong(
    approval: TransactionApproval, session: AuthSession, runtime: Runtime
) -> ApproveOutcome:
    await audit.record(runtime, "transaction", "failed", approval.user_id)
    metrics.TRANSACTION_APPROVALS.labels(approval.action.value, "failed").inc()
    fresh_session = await AuthSession.get(id=session.id)
    if fresh_session.transaction_failures >= SESSION_MAX_FAILURES:
        return await _end_session(session, runtime)
    return await _why_not(approval, runtime)


async def _why_not(approval: TransactionApproval, runtime: Runtime) -> ApproveOutcome:
    """Why the answer did not approve, from the approval as it is now."""
    now = runtime.now()
    fresh = await TransactionApproval.get(id=approval.id)
    if fresh.status is not ApprovalStatus.PENDING or now >= fresh.expires_at:
        return why_not_pending(fresh, now)
    remaining = max(0, MAX_FAILURES - fresh.failures)
    # Wrong, or (not reserved with attempts left) an answer to a challenge replaced meanwhile.
    return Wrong(remaining) if remaining else TooMany(session_ended=False)


async def _end_session(session: AuthSession, runtime: Runtime) -> TooMany:
    """Sign the user out of this session; of parallel requests, one records it."""
    if await AuthSession.filter(id=session.id, revoked_at__isnull=True).update(
        revoked_at=runtime.now()
    ):
        await audit.record(runtime, "session", "ended_after_failures", session.user_id)
    return TooMany(session_ended=True)
