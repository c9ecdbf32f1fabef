"""The session lookup of every signed-in request reads on its own connection on SQLite: it never
waits for another request's transaction, and a revocation committed anywhere counts at the next
request. On PostgreSQL each request takes a pooled connection: the same tests hold there."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime

import pytest
from tortoise.transactions import in_transaction

from models import read_connection
from models.enums import PayRole
from models.session import AuthSession
from tests.support.clients import HttpFactory
from tests.support.sessions import native_log_in, viewer
from tests.support.users import MakeUser

EMAIL = "reader@example.com"


async def test_a_signed_in_request_does_not_wait_for_another_requests_transaction(
    new_http: HttpFactory, make_user: MakeUser
) -> None:
    # given: a signed-in user, and a transaction that has written and not yet committed
    user = await make_user(EMAIL, PayRole.NONE)
    token = await native_log_in(new_http, EMAIL)
    written, release = asyncio.Event(), asyncio.Event()

    async def slow_transaction() -> None:
        async with in_transaction():
            await AuthSession.filter(user_id=user.id).update(user_agent="being changed")
            written.set()
            await release.wait()

    holder = asyncio.create_task(slow_transaction())
    await written.wait()

    # when: the user asks who they are while the transaction is still open
    try:
        answer = await asyncio.wait_for(viewer(new_http, token), timeout=5)
    finally:
        release.set()
        await holder

    # then: answered from the last committed state, without waiting for the commit
    assert answer == {"email": EMAIL}


async def test_a_revocation_committed_elsewhere_counts_at_the_next_request(
    new_http: HttpFactory, make_user: MakeUser
) -> None:
    # given: a session in use
    await make_user(EMAIL, PayRole.NONE)
    token = await native_log_in(new_http, EMAIL)
    assert await viewer(new_http, token) == {"email": EMAIL}

    # when: another connection (another process, an operator) revokes it and commits
    await AuthSession.all().update(revoked_at=datetime.now(UTC))

    # then: the very next request is not signed in
    assert await viewer(new_http, token) is None


async def test_the_read_connection_refuses_writes(
    new_http: HttpFactory, make_user: MakeUser
) -> None:
    # given: the app's read connection (SQLite files only)
    await make_user(EMAIL, PayRole.NONE)
    await native_log_in(new_http, EMAIL)
    if await read_connection.read_rows("SELECT 1", []) is None:
        pytest.skip("no read connection: the database is not a SQLite file")

    # when / then: SQLite itself refuses the write, and nothing changed
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        await read_connection.read_rows('UPDATE "auth_session" SET "user_agent" = ?', ["x"])
    assert await AuthSession.filter(user_agent="x").count() == 0
