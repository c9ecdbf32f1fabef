"""Security keys and passkeys: the WebAuthn ceremonies, through py_webauthn.

A ceremony's challenge belongs to one flow: only its keyed hash (bound to the flow's id) is
stored on the flow, with an expiry, and the flow's advance clears it, so each challenge answers
once. Options leave as WebAuthn JSON, ready for `PublicKeyCredential.parseCreationOptionsFromJSON`
(or `parseRequestOptionsFromJSON`); the browser's `credential.toJSON()` comes back as a string.
Signature checks take microseconds, so they run inline rather than in a worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum, auto
from typing import Any
from uuid import UUID

from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import (
    base64url_to_bytes,
    bytes_to_base64url,
    parse_authentication_credential_json,
    parse_authenticator_data,
    parse_client_data_json,
    parse_registration_credential_json,
)
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticationCredential,
    AuthenticatorSelectionCriteria,
    CredentialDeviceType,
    PublicKeyCredentialDescriptor,
    RegistrationCredential,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from domain import audit
from domain.runtime import Runtime
from models.codes import keyed_hash, same
from models.flow import MfaFlow
from models.security_key import SecurityKey
from models.user import User

MAX_CREDENTIAL_JSON = 16_384
"""Longer answers are not credentials (a registration with attestation "none" is ~1 KB)."""
DEFAULT_KEY_NAME = "Security key"
MAX_KEY_NAME = 64


@dataclass(frozen=True)
class Challenge:
    """A new challenge: the flow columns that hold it, and the options for the browser."""

    options_json: str
    columns: dict[str, Any]
    expires_at: datetime


def _digest(flow_id: UUID, challenge: bytes, runtime: Runtime) -> str:
    return keyed_hash(
        runtime.secret_key, "webauthn-challenge", str(flow_id), bytes_to_base64url(challenge)
    )


def _new_challenge(runtime: Runtime) -> bytes:
    return runtime.providers.randomness.session_token().encode()


def _columns(flow_id: UUID, challenge: bytes, runtime: Runtime) -> tuple[dict[str, Any], datetime]:
    expires = runtime.now() + timedelta(seconds=runtime.settings.webauthn_challenge_seconds)
    columns: dict[str, Any] = {
        "webauthn_challenge_hmac": _digest(flow_id, challenge, runtime),
        "webauthn_challenge_expires_at": expires,
    }
    return columns, expires


async def _descriptors(user_id: UUID) -> list[PublicKeyCredentialDescriptor]:
    ids = await SecurityKey.filter(user_id=user_id, enabled_at__isnull=False).values_list(
        "credential_id", flat=True
    )
    return [PublicKeyCredentialDescriptor(id=base64url_to_bytes(str(i))) for i in ids]


async def registration_challenge(flow_id: UUID, user: User, runtime: Runtime) -> Challenge:
    """Options to create a credential for `user`, excluding the keys they already hold, with
    a challenge for the flow `flow_id` (which may be about to be created)."""
    settings = runtime.settings
    challenge = _new_challenge(runtime)
    options = generate_registration_options(
        rp_id=settings.relying_party_id,
        rp_name=settings.webauthn_rp_name,
        user_id=user.id.bytes,
        user_name=user.email,
        challenge=challenge,
        timeout=settings.webauthn_challenge_seconds * 1000,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
        exclude_credentials=await _descriptors(user.id),
    )
    columns, expires = _columns(flow_id, challenge, runtime)
    return Challenge(options_to_json(options), columns, expires)


async def assertion_challenge(flow: MfaFlow, runtime: Runtime) -> Challenge:
    """Options to sign the challenge with one of the flow's user's enabled keys."""
    settings = runtime.settings
    challenge = _new_challenge(runtime)
    options = generate_authentication_options(
        rp_id=settings.relying_party_id,
        challenge=challenge,
        timeout=settings.webauthn_challenge_seconds * 1000,
        allow_credentials=await _descriptors(flow.user_id),
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    columns, expires = _columns(flow.id, challenge, runtime)
    return Challenge(options_to_json(options), columns, expires)


def challenge_is_open(flow: MfaFlow, runtime: Runtime) -> bool:
    expires = flow.webauthn_challenge_expires_at
    open_one = flow.webauthn_challenge_hmac is not None and expires is not None
    return open_one and expires is not None and runtime.now() < expires


def _flow_challenge(flow: MfaFlow, client_data_json: bytes, runtime: Runtime) -> bytes | None:
    """The challenge the client signed, when it is this flow's open one (else a replay or
    another flow's)."""
    challenge = parse_client_data_json(client_data_json).challenge
    stored = flow.webauthn_challenge_hmac
    if stored is None or not same(_digest(flow.id, challenge, runtime), stored):
        return None
    return challenge


def read_registration(typed: str) -> RegistrationCredential | None:
    if len(typed) > MAX_CREDENTIAL_JSON:
        return None
    try:
        return parse_registration_credential_json(typed)
    except (WebAuthnException, ValueError):
        return None


def read_assertion(typed: str) -> AuthenticationCredential | None:
    if len(typed) > MAX_CREDENTIAL_JSON:
        return None
    try:
        return parse_authentication_credential_json(typed)
    except (WebAuthnException, ValueError):
        return None


def key_id(typed: str) -> UUID | None:
    """A key's id as a client sent it, or None when it cannot be one."""
    try:
        return UUID(typed)
    except ValueError:
        return None


def key_name(typed: str | None) -> str:
    name = " ".join((typed or "").split())[:MAX_KEY_NAME]
    return name or DEFAULT_KEY_NAME


async def register(
    flow: MfaFlow, typed: str, name: str, enabled_at: datetime | None, runtime: Runtime
) -> SecurityKey | None:
    """Check a new credential against the flow's challenge and keep it; None when refused."""
    credential = read_registration(typed)
    if credential is None:
        return None
    settings = runtime.settings
    try:
        challenge = _flow_challenge(flow, credential.response.client_data_json, runtime)
        if challenge is None:
            return None
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=settings.relying_party_id,
            expected_origin=list(settings.relying_party_origins),
        )
    except (WebAuthnException, ValueError):
        return None
    credential_id = bytes_to_base64url(verified.credential_id)
    if await SecurityKey.exists(credential_id=credential_id):
        return None
    # An unfinished enrollment's earlier key goes: only the one confirmed with the code counts.
    await SecurityKey.filter(user_id=flow.user_id, enabled_at__isnull=True).delete()
    return await SecurityKey.create(
        user_id=flow.user_id,
        credential_id=credential_id,
        public_key=bytes_to_base64url(verified.credential_public_key),
        sign_count=verified.sign_count,
        backup_eligible=verified.credential_device_type is CredentialDeviceType.MULTI_DEVICE,
        backed_up=verified.credential_backed_up,
        name=name,
        created_at=runtime.now(),
        enabled_at=enabled_at,
    )


class Assertion(Enum):
    ACCEPTED = auto()
    REFUSED = auto()
    COUNTER_WENT_BACKWARDS = auto()


async def check_assertion(flow: MfaFlow, typed: str, runtime: Runtime) -> Assertion:
    """Check a signature of the flow's challenge by one of the flow's user's keys."""
    credential = read_assertion(typed)
    if credential is None:
        return Assertion.REFUSED
    key = await SecurityKey.get_or_none(
        credential_id=bytes_to_base64url(credential.raw_id),
        user_id=flow.user_id,
        enabled_at__isnull=False,
    )
    if key is None:
        return Assertion.REFUSED
    try:
        challenge = _flow_challenge(flow, credential.response.client_data_json, runtime)
    except (WebAuthnException, ValueError):
        return Assertion.REFUSED
    if challenge is None:
        return Assertion.REFUSED
    return await check_signature(credential, key, challenge, runtime)


async def check_signature(
    credential: AuthenticationCredential,
    key: SecurityKey,
    challenge: bytes,
    runtime: Runtime,
    *,
    require_user_verification: bool = False,
) -> Assertion:
    """Check `key`'s signature of `challenge`; a good one updates the key's counter, backup
    state and last use. A counter that did not move on is refused and audited: a cloned
    authenticator gives itself away that way."""
    settings = runtime.settings
    try:
        # The counter is compared below, after the signature, so only a genuine signature
        # with a stale counter is audited as a possible clone.
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=settings.relying_party_id,
            expected_origin=list(settings.relying_party_origins),
            credential_public_key=base64url_to_bytes(key.public_key),
            credential_current_sign_count=0,
            require_user_verification=require_user_verification,
        )
        new_count = parse_authenticator_data(credential.response.authenticator_data).sign_count
    except (WebAuthnException, ValueError):
        return Assertion.REFUSED
    if (new_count or key.sign_count) and new_count <= key.sign_count:
        await audit.record(runtime, "security_key", "counter_went_backwards", key.user_id)
        return Assertion.COUNTER_WENT_BACKWARDS
    moved = await SecurityKey.filter(id=key.id, sign_count=key.sign_count).update(
        sign_count=new_count, backed_up=verified.credential_backed_up, last_used_at=runtime.now()
    )
    return Assertion.ACCEPTED if moved else Assertion.REFUSED


def cleared_challenge(flow: MfaFlow) -> tuple[dict[str, Any], dict[str, Any]]:
    """The guard and changes that consume the flow's challenge as it advances."""
    return (
        {"webauthn_challenge_hmac": flow.webauthn_challenge_hmac},
        {"webauthn_challenge_hmac": None, "webauthn_challenge_expires_at": None},
    )
