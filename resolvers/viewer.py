"""viewer: the signed-in user, or null."""

from __future__ import annotations

import strawberry

from graph.context import Context
from graph.types.user import User as UserType
from models.enums import SessionKind


async def viewer(info: strawberry.Info[Context, None]) -> UserType | None:
    session = await info.context.session()
    if session is None or session.kind is not SessionKind.FULL:
        return None
    return UserType.from_model(session.user)
