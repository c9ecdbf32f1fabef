"""Issuing, finding and revoking server-side sessions. The database keeps token hashes only."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import cache
from typing import Any
from uuid import UUID

from tortoise import fields
from tortoise.backends.base.client import BaseDBAsyncClient

from domain import proofs, raw_sql
from domain.proofs import Proof
from domain.runtime import Runtime
from domain.settings import Settings
from models import read_connection
from models.codes import token_sha256
from models.enums import MfaMethod, SessionKind
from models.session import AuthSession
from models.user import User
from providers.clock import Clock

# Refresh `last_seen_at` at most this often, so reads do not all become writes.
_TOUCH_INTERVAL = timedelta(seconds=30)
_SQL_BY_DIALECT: dict[str, str] = {}


async def start_session(
    user: User,
    kind: SessionKind,
    runtime: Runtime,
    second_factor_at: datetime | None = None,
    known_device_id: UUID | None = None,
    proof: Proof | None = None,
) -> tuple[AuthSession, str]:
    """Create a session and return it with its token, which is never stored. A full session
    names the `proof` that signed it in (access tokens state it)."""
    settings, now = runtime.settings, runtime.now()
    lifetime = (
        timedelta(minutes=settings.pending_session_minutes)
        if kind is SessionKind.PENDING
        else timedelta(hours=settings.session_absolute_hours)
    )
    token = runtime.providers.randomness.session_token()
    session = AuthSession(
        token_sha256=token_sha256(token),
        user=user,
        kind=kind,
        created_at=now,
        last_seen_at=now,
        expires_at=now + lifetime,
        ip_address=runtime.caller.ip_address,
        user_agent=runtime.caller.user_agent,
        second_factor_at=second_factor_at,
        known_device_id=known_device_id,
        proofs=proofs.encode([proof]) if proof else "",
    )
    await raw_sql.insert([session])
    return session, token


def lifetime_seconds(session: AuthSession) -> int:
    return max(0, int((session.expires_at - session.created_at).total_seconds()))


def remaining_seconds(session: AuthSession, clock: Clock) -> int:
    return max(0, int((session.expires_at - clock.now()).total_seconds()))


def _live_session_sql(connection: BaseDBAsyncClient) -> str:
    """The one query that finds a session and its user: a lookup by the unique token index and
    a join on the user's primary key. Written once per database kind (building it with the ORM
    took a quarter of a signed-in request's time)."""
    dialect = connection.capabilities.dialect
    sql = _SQL_BY_DIALECT.get(dialect)
    if sql is None:
        session_meta, user_meta = AuthSession._meta, User._meta
        columns = [f's."{column}"' for column in session_meta.fields_db_projection.values()]
        columns += [f'u."{column}"' for column in user_meta.fields_db_projection.values()]
        placeholder = "?" if dialect == "sqlite" else "$1"
        sql = _SQL_BY_DIALECT[dialect] = (
            f'SELECT {", ".join(columns)} FROM "{session_meta.db_table}" s'  # noqa: S608 - names from the models, the token is a parameter
            f' JOIN "{user_meta.db_table}" u ON u."{user_meta.db_pk_column}" = s."user_id"'
            f' WHERE s."token_sha256" = {placeholder} AND s."revoked_at" IS NULL'
        )
    return sql


@cache
def _datetime_positions() -> tuple[int, ...]:
    """Where the datetimes are in a row of `_live_session_sql`: the session's columns, then the
    user's."""
    fields_in_order = [
        model._meta.fields_map[name]
        for model in (AuthSession, User)
        for name in model._meta.fields_db_projection
    ]
    return tuple(i for i, f in enumerate(fields_in_order) if isinstance(f, fields.DatetimeField))


def _with_datetimes(values: tuple[Any, ...]) -> tuple[Any, ...]:
    """SQLite hands datetimes back as ISO text: `datetime.fromisoformat` reads it in C, where
    Tortoise's own parser (iso8601) took a tenth of a signed-in request's time."""
    parsed = list(values)
    for index in _datetime_positions():
        if isinstance(parsed[index], str):
            with contextlib.suppress(ValueError):  # any other form: Tortoise's parser reads it
                parsed[index] = datetime.fromisoformat(parsed[index])
    return tuple(parsed)


async def _session_with_user(token_hash: str) -> AuthSession | None:
    connection = AuthSession._meta.db
    sql = _live_session_sql(connection)
    # On a SQLite file, its own read-only connection: no queueing behind writers' commits.
    rows: Sequence[Any] | None = await read_connection.read_rows(sql, [token_hash])
    if rows is None:
        _, rows = await connection.execute_query(sql, [token_hash])
    if not rows:
        return None
    row = _with_datetimes(tuple(rows[0]))
    session_columns = list(AuthSession._meta.fields_db_projection.values())
    user_columns = list(User._meta.fields_db_projection.values())
    split = len(session_columns)
    session = AuthSession._init_from_db(**dict(zip(session_columns, row[:split], strict=True)))
    user = User._init_from_db(**dict(zip(user_columns, row[split:], strict=True)))
    object.__setattr__(session, "_user", user)  # as select_related("user") sets it
    return session


async def find_live_session(token: str, settings: Settings, clock: Clock) -> AuthSession | None:
    """The session for `token` if it is neither revoked, idle too long, nor past its lifetime."""
    session = await _session_with_user(token_sha256(token))
    if session is None:
        return None
    now = clock.now()
    idle_limit = timedelta(minutes=settings.session_idle_minutes)
    if now >= session.expires_at or now - session.last_seen_at >= idle_limit:
        return None
    if now - session.last_seen_at >= _TOUCH_INTERVAL:
        await AuthSession.filter(id=session.id).update(last_seen_at=now)
        session.last_seen_at = now
    return session


async def record_step_up(session: AuthSession, method: MfaMethod, runtime: Runtime) -> str:
    """A second factor (`method`) was proven again: record when, under a new token (returned).

    Every copy of the old token, wherever it leaked, dies here instead of gaining the step-up.
    """
    token = runtime.providers.randomness.session_token()
    now = runtime.now()
    record = proofs.appended(
        session.proofs, session.created_at, session.second_factor_at, proofs.step_up(method, now)
    )
    await AuthSession.filter(id=session.id).update(
        token_sha256=token_sha256(token), second_factor_at=now, proofs=record
    )
    session.token_sha256, session.second_factor_at = token_sha256(token), now
    session.proofs = record
    return token


def second_factor_is_recent(session: AuthSession, runtime: Runtime) -> bool:
    """Sensitive changes need a second factor proven within the last few minutes."""
    verified = session.second_factor_at
    window = timedelta(minutes=runtime.settings.reauthentication_minutes)
    return verified is not None and runtime.now() - verified < window


async def revoke_session_id(session_id: UUID, runtime: Runtime) -> None:
    await AuthSession.filter(id=session_id, revoked_at__isnull=True).update(
        revoked_at=runtime.now()
    )


async def revoke_other_sessions(session: AuthSession, runtime: Runtime) -> int:
    """Every other session of the user ends; returns how many."""
    return (
        await AuthSession.filter(user_id=session.user_id, revoked_at__isnull=True)
        .exclude(id=session.id)
        .update(revoked_at=runtime.now())
    )
