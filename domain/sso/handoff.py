"""A native app's single sign-on ends in its system browser: the sign-in's answer waits
under a one-time code sent to the app's registered redirect, and `exchangeSsoCode` collects it.

The code is random; only its keyed hash is stored (HMAC under the server secret), with the
answer (the pending or full session token, the device token) sealed. It works once, for
SSO_NATIVE_CODE_SECONDS, and, when the app sent a PKCE-style `code_challenge` (S256) to the
start URL, only with the matching `code_verifier`.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from domain.runtime import Runtime
from domain.sign_in import SecondFactorNeeded, SignedIn
from models.codes import keyed_hash, same
from models.sealing import Sealed, seal, unseal
from models.session import AuthSession
from models.sso import SsoHandoff
from models.user import User

_PURPOSE = "sso native code"


@dataclass(frozen=True)
class Handoff:
    """What the exchanged code gives the app: the outcome's tokens and whose they are."""

    user: User
    session: AuthSession
    token: str
    device_token: str | None
    enroll: bool
    signed_in: bool


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


async def issue(
    runtime: Runtime, outcome: SecondFactorNeeded | SignedIn, app_challenge: str | None
) -> str:
    """Keep `outcome` for the app; returns the one-time code for its redirect."""
    code = runtime.providers.randomness.session_token()
    signed = isinstance(outcome, SignedIn)
    answer = {
        "session": str(outcome.session.id),
        "token": outcome.token,
        "device": outcome.device_token if isinstance(outcome, SignedIn) else None,
        "enroll": False if isinstance(outcome, SignedIn) else outcome.enroll,
        "signed_in": signed,
    }
    now = runtime.now()
    await SsoHandoff.filter(expires_at__lt=now - timedelta(days=1)).delete()
    await SsoHandoff.create(
        code_hmac=keyed_hash(runtime.secret_key, _PURPOSE, code),
        answer_sealed=seal(runtime.secret_key, Sealed.SSO_HANDOFF, json.dumps(answer)),
        app_challenge=app_challenge,
        created_at=now,
        expires_at=now + timedelta(seconds=runtime.settings.sso_native_code_seconds),
    )
    return code


async def redeem(runtime: Runtime, code: str, verifier: str | None) -> Handoff | None:
    """The answer `code` holds, once; None when unknown, used, expired, the verifier is
    wrong or the session ended meanwhile."""
    if not code or len(code) > 256:
        return None
    now = runtime.now()
    row = await SsoHandoff.get_or_none(code_hmac=keyed_hash(runtime.secret_key, _PURPOSE, code))
    if row is None or row.used_at is not None or row.expires_at <= now:
        return None
    # Any attempt spends the code: a wrong verifier does not get a second try.
    if not await SsoHandoff.filter(id=row.id, used_at__isnull=True).update(used_at=now):
        return None
    if row.app_challenge is not None and (
        verifier is None or not same(s256(verifier), row.app_challenge)
    ):
        return None
    answer = json.loads(unseal(runtime.secret_key, Sealed.SSO_HANDOFF, row.answer_sealed))
    session = await AuthSession.get_or_none(
        id=UUID(answer["session"]), revoked_at__isnull=True, expires_at__gt=now
    ).prefetch_related("user")
    if session is None:
        return None
    return Handoff(
        session.user,
        session,
        answer["token"],
        answer["device"],
        bool(answer["enroll"]),
        bool(answer["signed_in"]),
    )
