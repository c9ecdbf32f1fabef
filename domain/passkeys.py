"""Passkey sign-in: a discoverable credential with user verification proves both factors at
once (something held, and a PIN or biometric), so it needs no password. On with
PASSKEY_SIGN_IN.

Nobody is known when the challenge is issued, so it is not a flow's: a table holds its keyed
hash until it is answered (deleted then, so it works once) or expires. As anyone may ask for
one, each client IP may ask PASSKEY_CHALLENGES_PER_IP_PER_HOUR times an hour, so nobody can
fill the table.
"""

from __future__ import annotations

from datetime import timedelta

from webauthn import generate_authentication_options, options_to_json
from webauthn.helpers import bytes_to_base64url, parse_client_data_json
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import UserVerificationRequirement

from domain import audit, quotas
from domain.runtime import Runtime
from domain.security_keys import Assertion, Challenge, check_signature, read_assertion
from models.codes import keyed_hash
from models.passkey_challenge import PasskeyChallenge
from models.security_key import SecurityKey
from models.user import User


def _digest(challenge: bytes, runtime: Runtime) -> str:
    return keyed_hash(runtime.secret_key, "passkey-challenge", bytes_to_base64url(challenge))


async def challenge(runtime: Runtime) -> Challenge | quotas.Refused:
    """Options for `navigator.credentials.get` with no allowed list: the browser offers the
    passkeys it holds for this site, and must verify the user. Refused past the caller's
    address's hourly quota, with nothing stored."""
    settings, now = runtime.settings, runtime.now()
    if runtime.caller.ip_address:
        quota = quotas.Quota(
            f"passkey-challenge-ip:{runtime.caller.ip_address}",
            settings.passkey_challenges_per_ip_per_hour,
            timedelta(hours=1),
        )
        taken = await quotas.take([quota], now)
        if isinstance(taken, quotas.Refused):
            return taken
    raw = runtime.providers.randomness.session_token().encode()
    options = generate_authentication_options(
        rp_id=settings.relying_party_id,
        challenge=raw,
        timeout=settings.webauthn_challenge_seconds * 1000,
        user_verification=UserVerificationRequirement.REQUIRED,
    )
    expires = now + timedelta(seconds=settings.webauthn_challenge_seconds)
    await PasskeyChallenge.filter(expires_at__lte=now).delete()
    await PasskeyChallenge.create(challenge_hmac=_digest(raw, runtime), expires_at=expires)
    return Challenge(options_to_json(options), {}, expires)


async def signer(typed: str, runtime: Runtime) -> User | None:
    """The user whose passkey signed an open challenge, with user verification; else None.
    The challenge is spent either way."""
    credential = read_assertion(typed)
    if credential is None:
        return None
    try:
        raw = parse_client_data_json(credential.response.client_data_json).challenge
    except (WebAuthnException, ValueError):
        return None
    spent = await PasskeyChallenge.filter(
        challenge_hmac=_digest(raw, runtime), expires_at__gt=runtime.now()
    ).delete()
    if not spent:
        return None
    key = await SecurityKey.get_or_none(
        credential_id=bytes_to_base64url(credential.raw_id), enabled_at__isnull=False
    )
    # The user handle the passkey was created with must name the key's owner.
    if key is None or credential.response.user_handle != key.user_id.bytes:
        return None
    checked = await check_signature(credential, key, raw, runtime, require_user_verification=True)
    if checked is not Assertion.ACCEPTED:
        await audit.record(runtime, "passkey_sign_in", "failed", key.user_id)
        return None
    return await User.get(id=key.user_id)
