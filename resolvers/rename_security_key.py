"""renameSecurityKey: give one of the signed-in user's security keys another name."""

from __future__ import annotations

import strawberry

from domain.security_keys import key_id, key_name
from graph.context import Context
from graph.types.errors import SecurityKeyNotFoundError
from graph.types.inputs import RenameSecurityKeyInput
from graph.types.payloads import SecurityKeyRenamed
from graph.types.results import RenameSecurityKeyResult
from graph.types.security_key import SecurityKeyType
from models.security_key import SecurityKey


async def rename_security_key(
    info: strawberry.Info[Context, None], input: RenameSecurityKeyInput
) -> RenameSecurityKeyResult:
    session = await info.context.require_full_session()
    # A name changes nothing about signing in, so it needs no recent second factor.
    keys = SecurityKey.filter(
        id=key_id(input.id), user_id=session.user_id, enabled_at__isnull=False
    )
    if key_id(input.id) is None or not await keys.update(name=key_name(input.name)):
        return SecurityKeyNotFoundError()
    return SecurityKeyRenamed(security_key=SecurityKeyType.from_model(await keys.get()))
