"""Known devices: browsers and apps that completed a sign-in, second factor included.

A known device passes the account-wide password brake that slows guessers spread over many
addresses (see password_brakes.py), so the owner is never locked out by strangers. Its token is
a 256-bit secret of which only a keyed hash is kept; browsers hold it in an HttpOnly cookie,
native apps in their own storage.
"""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from domain import raw_sql
from domain.password_brakes import account_key
from domain.runtime import Runtime
from models.codes import keyed_hash
from models.known_device import KnownDevice
from models.session import AuthSession
from models.user import User

_MAX_TOKEN_LENGTH = 128


def _digest(token: str, runtime: Runtime) -> str:
    return keyed_hash(runtime.secret_key, "known-device", token)


async def recognise(token: str | None, email: str, runtime: Runtime) -> KnownDevice | None:
    """The known device `token` names, if it signed in with this email and has not expired."""
    if not token or len(token) > _MAX_TOKEN_LENGTH:
        return None
    return await KnownDevice.get_or_none(
        token_hmac=_digest(token, runtime),
        account_key=account_key(email, runtime),
        expires_at__gt=runtime.now(),
    )


async def remember(session: AuthSession, user: User, runtime: Runtime) -> str | None:
    """After a completed sign-in: a new device token, or None when the device was known."""
    device_id, token = await ready(session.known_device_id, user, runtime)
    if token is not None:
        session.known_device_id = device_id
        await AuthSession.filter(id=session.id).update(known_device_id=device_id)
    return token


async def ready(
    known_device_id: UUID | None, user: User, runtime: Runtime
) -> tuple[UUID, str | None]:
    """For a sign-in that completes: the device `known_device_id` names, its use noted, and None;
    or, for a device not known (or not this user's), a new one and its token. Called before
    the session is made, the session names its device in its own insert."""
    now = runtime.now()
    until = now + timedelta(days=runtime.settings.known_device_days)
    if known_device_id is not None and await KnownDevice.filter(
        id=known_device_id, user_id=user.id
    ).update(last_used_at=now, expires_at=until):
        return known_device_id, None
    token = runtime.providers.randomness.session_token()
    device = KnownDevice(
        token_hmac=_digest(token, runtime),
        account_key=account_key(user.email, runtime),
        user=user,
        created_at=now,
        last_used_at=now,
        expires_at=until,
    )
    await raw_sql.insert([device])
    return device.id, token


async def forget_all(user_id: UUID, keep: UUID | None = None) -> None:
    """Every known device of the user but `keep` stops being known (sign-out everywhere, reset)."""
    devices = KnownDevice.filter(user_id=user_id)
    if keep is not None:
        devices = devices.exclude(id=keep)
    await devices.delete()
