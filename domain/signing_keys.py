"""The ES256 keys that sign access tokens: created on first use, rotated by an operator.

Every state follows from timestamps. A key is *next* from its creation until `signs_from`
(published, so caches of the key set learn it before any token needs it), *active* from then
until the next generation's `signs_from`, *retired* after that while tokens it signed may
still be alive, and *expired* once none can be (no longer published).
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import lru_cache

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm
from tortoise.exceptions import IntegrityError

from domain.runtime import Runtime
from domain.settings import MAX_ACCESS_TOKEN_SECONDS
from models.sealing import Sealed, seal, unseal
from models.signing_key import SigningKey

ALGORITHM = "ES256"
_SKEW = timedelta(seconds=60)  # services' clocks may run a little behind ours


class KeyState(StrEnum):
    NEXT = "next"
    ACTIVE = "active"
    RETIRED = "retired"
    EXPIRED = "expired"


@dataclass(frozen=True)
class KeyView:
    kid: str
    state: KeyState
    created_at: datetime
    signs_from: datetime
    published_until: datetime | None
    """None while no successor is lined up: published for as long as it signs."""
    public_jwk: dict[str, str]


def _views(keys: list[SigningKey], now: datetime) -> list[KeyView]:
    ordered = sorted(keys, key=lambda key: key.generation)
    active = [key for key in ordered if key.signs_from <= now]
    signer = active[-1] if active else None
    views = []
    for index, key in enumerate(ordered):
        successor = ordered[index + 1] if index + 1 < len(ordered) else None
        until = None
        if successor is not None:
            until = successor.signs_from + timedelta(seconds=MAX_ACCESS_TOKEN_SECONDS) + _SKEW
        if key.signs_from > now:
            state = KeyState.NEXT
        elif key is signer:
            state = KeyState.ACTIVE
        elif until is not None and now < until:
            state = KeyState.RETIRED
        else:
            state = KeyState.EXPIRED
        jwk = json.loads(key.public_jwk)
        views.append(KeyView(key.kid, state, key.created_at, key.signs_from, until, jwk))
    return views


async def key_views(runtime: Runtime) -> list[KeyView]:
    """Every key, oldest first, with the state it is in now (`twofold keys list`)."""
    await ensure_key(runtime)
    return _views(await SigningKey.all(), runtime.now())


async def published(runtime: Runtime) -> list[KeyView]:
    """The keys a service may meet in a live token, and the next one: the JWKS."""
    return [view for view in await key_views(runtime) if view.state is not KeyState.EXPIRED]


def _new_key(generation: int, now: datetime, signs_from: datetime, runtime: Runtime) -> SigningKey:
    private = ec.generate_private_key(ec.SECP256R1())
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    jwk = json.loads(ECAlgorithm.to_jwk(private.public_key()))
    # The kid is the RFC 7638 thumbprint's start: the same key always has the same name.
    kid = _thumbprint(jwk)
    jwk |= {"kid": kid, "use": "sig", "alg": ALGORITHM}
    return SigningKey(
        kid=kid,
        generation=generation,
        private_key_sealed=seal(runtime.secret_key, Sealed.SIGNING_KEY, pem),
        public_jwk=json.dumps(jwk, sort_keys=True),
        created_at=now,
        signs_from=signs_from,
    )


def _thumbprint(jwk: dict[str, str]) -> str:
    members = {name: jwk[name] for name in ("crv", "kty", "x", "y")}
    digest = hashlib.sha256(json.dumps(members, separators=(",", ":"), sort_keys=True).encode())
    return base64.urlsafe_b64encode(digest.digest()).decode().rstrip("=")[:32]


async def _insert(key: SigningKey) -> bool:
    """Insert `key` unless another process took its generation first."""
    try:
        await key.save(force_create=True)
    except IntegrityError:
        return False
    return True


async def ensure_key(runtime: Runtime) -> None:
    """The first key, unless there is one: of processes starting at once on one database,
    the unique generation lets exactly one insert it."""
    if await SigningKey.exists():
        return
    now = runtime.now()
    await _insert(_new_key(1, now, now, runtime))


async def rotate(runtime: Runtime) -> KeyView:
    """Publish a new key that signs once every cached key set has had time to learn it."""
    await ensure_key(runtime)
    now = runtime.now()
    for _ in range(5):  # another rotation may take a generation first: take the next one
        newest = await SigningKey.all().order_by("-generation").first()
        generation = (newest.generation if newest else 0) + 1
        starts = now + timedelta(seconds=runtime.settings.jwks_max_age_seconds)
        key = _new_key(generation, now, starts, runtime)
        if await _insert(key):
            return next(v for v in _views(await SigningKey.all(), now) if v.kid == key.kid)
    raise RuntimeError("other rotations kept taking the next generation; try again")


@dataclass(frozen=True)
class Signer:
    kid: str
    private_key: ec.EllipticCurvePrivateKey


async def signer(runtime: Runtime) -> Signer:
    """The key that signs now: the newest generation whose `signs_from` has come."""
    await ensure_key(runtime)
    now = runtime.now()
    key = (
        await SigningKey.filter(signs_from__lte=now).order_by("-generation").first()
        or await SigningKey.all().order_by("generation").first()
    )
    assert key is not None  # ensure_key made one
    return Signer(key.kid, _private_key(runtime.secret_key, key.private_key_sealed))


@lru_cache(maxsize=16)
def _private_key(secret_key: str, sealed: str) -> ec.EllipticCurvePrivateKey:
    # Cached: unsealing and parsing once per key rather than on every token.
    pem = unseal(secret_key, Sealed.SIGNING_KEY, sealed).encode()
    private = serialization.load_pem_private_key(pem, password=None)
    assert isinstance(private, ec.EllipticCurvePrivateKey)
    return private


async def verification_key(kid: str, runtime: Runtime) -> ec.EllipticCurvePublicKey | None:
    """The public key named `kid` while it is published, else None."""
    for view in await published(runtime):
        if view.kid == kid:
            public = ECAlgorithm.from_jwk(json.dumps(view.public_jwk))
            assert isinstance(public, ec.EllipticCurvePublicKey)
            return public
    return None
