"""Signing in: the password step, and the end of every successful sign-in (the full session
and a known device)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from tortoise.transactions import in_transaction

from domain import audit, known_devices, password_brakes, proofs, trusted_browsers
from domain.accounts import normalize_email
from domain.flows import start_flow
from domain.password_brakes import Braked, Passed
from domain.password_reset_completion import complete as complete_password_reset
from domain.policy import UserPolicy, policy_for
from domain.proofs import Proof
from domain.runtime import Runtime
from domain.sessions import start_session
from domain.sso.domains import sso_for_email
from models.enums import FlowPurpose, SessionKind, Step
from models.session import AuthSession
from models.user import User


class PendingSessionGone(Exception):
    """Another request finished (or ended) this pending sign-in first."""


@dataclass(frozen=True)
class SignedIn:
    session: AuthSession
    token: str
    device_token: str | None
    """A new known-device token, when this device was not known yet."""
    user: User
    notice: UUID | None = None
    """An email queued with the sign-in (a password reset's notice), to send after commit."""


async def promote_session(
    pending: AuthSession, user: User, runtime: Runtime, proof: Proof
) -> SignedIn:
    """Revoke `pending` and issue a full session signed in by `proof`; call inside the
    caller's transaction. A pending session that names its first factor (single sign-on)
    puts that factor's methods in place of the password's. A password reset that waited for
    this proof is applied here, so no path to a full session can skip it and no reset takes
    effect without the factor."""
    now = runtime.now()
    proof = proofs.after_first_factor(pending.proofs, proof)
    revoked = await AuthSession.filter(id=pending.id, revoked_at__isnull=True).update(
        revoked_at=now
    )
    if not revoked:
        raise PendingSessionGone()
    session, token = await start_session(
        user,
        SessionKind.FULL,
        runtime,
        second_factor_at=now,
        known_device_id=pending.known_device_id,
        proof=proof,
    )
    # A password reset waiting for this factor takes effect in the same commit.
    notice = await complete_password_reset(pending, user, session, runtime)
    signed = await signed_in(session, token, user, runtime)
    return SignedIn(signed.session, signed.token, signed.device_token, signed.user, notice)


async def signed_in(session: AuthSession, token: str, user: User, runtime: Runtime) -> SignedIn:
    """A sign-in completed: strangers' failed guesses stop counting against the account, and
    the device becomes known, so the owner gets through while guessers are slowed down."""
    await password_brakes.clear(password_brakes.account_key(user.email, runtime))
    device_token = await known_devices.remember(session, user, runtime)
    await audit.record(runtime, "session", "signed_in", user.id)
    return SignedIn(session, token, device_token, user)


@dataclass(frozen=True)
class PasswordRefused:
    """Wrong password or unknown email: the same answer either way."""


@dataclass(frozen=True)
class SecondFactorLocked:
    """Too many failed second factors: a company admin must reset the MFA."""


@dataclass(frozen=True)
class SecondFactorNeeded:
    """The password was right; the pending session drives the challenge or the enrollment."""

    session: AuthSession
    token: str
    user: User
    policy: UserPolicy
    enroll: bool


@dataclass(frozen=True)
class SsoRequired:
    """The email's domain signs in through the company's identity provider only (the same
    answer whether or not the account exists: it depends on the domain alone)."""

    provider_id: UUID


PasswordOutcome = (
    Braked | PasswordRefused | SecondFactorLocked | SecondFactorNeeded | SignedIn | SsoRequired
)


async def sign_in_with_password(
    email: str,
    password: str,
    device_token: str | None,
    runtime: Runtime,
    trusted_browser_token: str | None = None,
) -> PasswordOutcome:
    """The first step of every sign-in, and the whole of it for users who need no MFA or who
    sign in on a browser they trusted (that session has no second factor to its name, so
    reauthentication still asks for one)."""
    email = normalize_email(email)
    sso = await sso_for_email(email)
    if sso is not None and not sso.password_allowed:
        return SsoRequired(sso.provider.id)
    device = await known_devices.recognise(device_token, email, runtime)
    try:
        passed = await password_brakes.check_password(email, password, device, runtime)
    except Braked as brake:
        return brake
    if passed is None:
        return PasswordRefused()
    device_id = device.id if device else None
    return await second_factor_gate(
        passed.user, runtime, device_id, trusted_browser_token, first_factor=None, passed=passed
    )


GateOutcome = SecondFactorLocked | SecondFactorNeeded | SignedIn


async def second_factor_gate(
    user: User,
    runtime: Runtime,
    known_device_id: UUID | None,
    trusted_browser_token: str | None,
    first_factor: Proof | None,
    vouched: Proof | None = None,
    purpose: FlowPurpose = FlowPurpose.LOGIN,
    passed: Passed | None = None,
) -> GateOutcome:
    """After the first factor, every sign-in path passes here: Twofold's enrollment, its
    challenge, or a session at once. `first_factor` is the proof of a first factor other than
    the password (single sign-on; None: the password). `vouched` is an identity provider's
    word, on that provider's allowlist, that it proved more than one factor: it replaces the
    challenge only for enrolled users outside payments (payments users always get Twofold's).
    `purpose` names the challenge's flow: PASSWORD_RESET for an emailed reset, whose new
    password waits on the pending session until `promote_session`. `passed`: the right
    password this sign-in began with, whose brakes are settled in the session's commit."""
    if user.second_factor_locked_at is not None:
        if passed is not None:
            async with in_transaction():
                await password_brakes.settle(passed, runtime, completed=False)
        return SecondFactorLocked()
    policy = await policy_for(user)
    # A factor policy no longer allows (a payee turned payor) cannot sign in: enroll anew.
    enroll = not policy.usable and (user.mfa_required or user.mfa_enrolled)
    trusted = not enroll and await trusted_browsers.recognise(trusted_browser_token, user, runtime)
    first = first_factor or proofs.password_only(runtime.now())
    accepted = vouched if vouched is not None and not user.mfa_required and not enroll else None
    # The session's writes in one commit (see password_brakes._verify_admitted).
    async with in_transaction():
        if (not policy.usable and not enroll) or trusted or accepted:
            # No second factor proven by Twofold (none needed, a trusted browser skipped it,
            # or the identity provider's allowed word): reauthentication still asks for one.
            return await _signed_in_at_once(
                user, runtime, known_device_id, accepted or first, passed
            )
        if passed is not None:
            await password_brakes.settle(passed, runtime, completed=False)
        session, token = await start_session(
            user, SessionKind.PENDING, runtime, None, known_device_id, proof=first_factor
        )
        if enroll:
            await start_flow(session, user, FlowPurpose.ENROLLMENT, Step.SETUP_REQUIRED, runtime)
        else:
            await start_flow(session, user, purpose, Step.CHALLENGE, runtime)
    return SecondFactorNeeded(session, token, user, policy, enroll)


async def _signed_in_at_once(
    user: User, runtime: Runtime, known_device_id: UUID | None, proof: Proof, passed: Passed | None
) -> SignedIn:
    """`signed_in` for a sign-in that ends at the first factor, in fewer statements: the device
    first, so the session names it in its own insert, and the password's writes and audit rows
    together. Call inside the caller's transaction."""
    device_id, device_token = await known_devices.ready(known_device_id, user, runtime)
    session, token = await start_session(
        user, SessionKind.FULL, runtime, None, device_id, proof=proof
    )
    signed = audit.Event("session", "signed_in", user.id)
    if passed is not None:
        await password_brakes.settle(passed, runtime, completed=True, then=[signed])
    else:
        await password_brakes.clear(password_brakes.account_key(user.email, runtime))
        await audit.record_all(runtime, [signed])
    return SignedIn(session, token, device_token, user)
