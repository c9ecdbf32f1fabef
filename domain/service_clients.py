"""Service credentials: a client_id and a secret another service sends with HTTP Basic
(`client_secret_basic`). The secret is shown once and kept only as a keyed hash."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from uuid import uuid4

from domain.runtime import Runtime
from models.codes import keyed_hash, same
from models.service_client import ServiceClient

_PURPOSE = "service client secret"
# Compared against when the client_id is unknown, so both answers take the same time.
_NO_SUCH_CLIENT = "0" * 64

__all__ = ["Created", "ServiceClient", "authenticate_service", "create", "listed", "revoke"]


@dataclass(frozen=True)
class Created:
    client: ServiceClient
    client_secret: str


def _secret_hmac(runtime: Runtime, client_id: str, secret: str) -> str:
    return keyed_hash(runtime.secret_key, _PURPOSE, client_id, secret)


async def create(name: str, runtime: Runtime) -> Created:
    randomness = runtime.providers.randomness
    client_id = "svc_" + randomness.session_token()[:24]
    secret = randomness.session_token()
    client = await ServiceClient.create(
        id=uuid4(),
        client_id=client_id,
        name=name,
        secret_hmac=_secret_hmac(runtime, client_id, secret),
        created_at=runtime.now(),
    )
    return Created(client, secret)


async def listed() -> list[ServiceClient]:
    return await ServiceClient.all().order_by("created_at")


async def revoke(client_id: str, runtime: Runtime) -> bool:
    """End a credential; False when no live one has that client_id."""
    ended = await ServiceClient.filter(client_id=client_id, revoked_at__isnull=True).update(
        revoked_at=runtime.now()
    )
    return bool(ended)


def _basic_credentials(authorization_header: str | None) -> tuple[str, str] | None:
    scheme, _, encoded = (authorization_header or "").partition(" ")
    if scheme.lower() != "basic" or not encoded.strip():
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, colon, secret = decoded.partition(":")
    if not colon or not client_id or not secret:
        return None
    return client_id, secret


async def authenticate_service(
    runtime: Runtime, authorization_header: str | None
) -> ServiceClient | None:
    """The live service credential an `Authorization: Basic ...` header proves, else None.

    RFC 6749 2.3.1 form-encodes the id and secret before Basic; ours never need it."""
    credentials = _basic_credentials(authorization_header)
    if credentials is None:
        return None
    client_id, secret = credentials
    client = await ServiceClient.get_or_none(client_id=client_id, revoked_at__isnull=True)
    expected = client.secret_hmac if client else _NO_SUCH_CLIENT
    matches = same(_secret_hmac(runtime, client_id, secret), expected)
    return client if matches and client is not None else None
