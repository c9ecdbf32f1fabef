"""Each assertion signs in once: its id is remembered (across processes, by a primary key)
until it expires, when it could no longer be accepted anyway."""

from __future__ import annotations

import hashlib
from datetime import datetime

from tortoise.exceptions import IntegrityError

from domain.sso.saml.errors import Replayed
from models.saml_assertion import UsedSamlAssertion


async def consume(provider_id: str, assertion_id: str, expires_at: datetime, now: datetime) -> None:
    """Remember the assertion, or raise Replayed when it was already consumed."""
    await UsedSamlAssertion.filter(expires_at__lt=now).delete()
    key = hashlib.sha256(f"{provider_id}\0{assertion_id}".encode()).hexdigest()
    try:
        await UsedSamlAssertion.create(key=key, expires_at=expires_at)
    except IntegrityError as error:
        raise Replayed() from error
