"""Tortoise configuration and migrations for a database URL."""

from __future__ import annotations

import asyncio
import os
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
from tortoise import Tortoise, connections
from tortoise.exceptions import BaseORMException
from tortoise.migrations.api import migrate
from tortoise.migrations.executor import MigrationExecutor

from models import MODEL_MODULES, read_connection
from models.migration_secrets import migration_secret_key

APP_LABEL = "twofold"
# Any fixed 64-bit number names the lock; this one is "twofold" in ASCII.
MIGRATION_LOCK_KEY = 0x74776F666F6C64
MIGRATION_LOCK_TIMEOUT_SECONDS = 120.0

# How long a first connection may take before start-up gives up and says so.
CONNECT_SECONDS = 5.0


class DatabaseUnavailable(Exception):
    """The database cannot be reached or used; the message names it (without its password) and
    why, in one line."""


def tortoise_config(database_url: str) -> dict[str, Any]:
    return {
        "connections": {"default": database_url},
        "apps": {
            APP_LABEL: {
                "models": MODEL_MODULES,
                "migrations": "models.migrations",
                "default_connection": "default",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


def create_private_sqlite_file(database_url: str) -> None:
    """Create a SQLite database file readable by its owner only, before SQLite creates it with
    the umask's permissions. SQLite gives its journal and WAL files the database file's mode."""
    if not database_url.startswith("sqlite://"):
        return
    path = database_url.removeprefix("sqlite://").partition("?")[0]
    if path in ("", ":memory:"):
        return
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))


def shown_url(database_url: str) -> str:
    """The database URL without its password, fit for a log line or an error message."""
    parts = urlsplit(database_url)
    if parts.password is None:
        return database_url
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    user = f"{parts.username}:***@" if parts.username else ":***@"
    return urlunsplit(parts._replace(netloc=f"{user}{host}{port}"))


# What a missing folder, a closed port, a refused password or a locked file raise.
_UNAVAILABLE = (
    OSError,
    TimeoutError,
    sqlite3.Error,
    asyncpg.PostgresError,
    asyncpg.InterfaceError,
    BaseORMException,
)


@asynccontextmanager
async def _naming_failures(database_url: str) -> AsyncIterator[None]:
    try:
        yield
    except DatabaseUnavailable:
        raise
    except _UNAVAILABLE as error:
        reason = " ".join(str(error).split()) or type(error).__name__
        raise DatabaseUnavailable(
            f"database {shown_url(database_url)} is unavailable: {reason}"
        ) from None


async def check_connection(database_url: str, seconds: float = CONNECT_SECONDS) -> None:
    """Open the database and ask it one question within `seconds`, or raise
    DatabaseUnavailable. Run before anything that would otherwise wait minutes on a silent
    network or print a driver's traceback."""
    async with _naming_failures(database_url):
        create_private_sqlite_file(database_url)
        try:
            async with asyncio.timeout(seconds):
                await Tortoise.init(config=tortoise_config(database_url))
                await connections.get("default").execute_query("SELECT 1")
        except TimeoutError:
            raise TimeoutError(f"no answer within {seconds:g} s") from None
        finally:
            await Tortoise.close_connections()


async def apply_migrations(database_url: str, secret_key: str | None = None) -> list[str]:
    """Bring the database schema up to the newest migration, then release the connections.
    Returns the names of the migrations applied (none when it was up to date).

    Migrations that seal stored values need `secret_key`, the key the server runs with; on a
    database with nothing to seal it may be left out. On PostgreSQL, processes starting at
    the same moment take turns (an advisory lock): the first migrates, the others find the
    schema current.
    """
    await check_connection(database_url)
    applied: list[str] = []

    def note(event: str, _app: str, name: str) -> None:
        if event == "apply_done":
            applied.append(name)

    async with _naming_failures(database_url), _migration_lock(database_url):
        try:
            with migration_secret_key(secret_key):
                await migrate(config=tortoise_config(database_url), progress=note)
        finally:
            await Tortoise.close_connections()
    return applied


def is_postgres(database_url: str) -> bool:
    return database_url.startswith(("postgres://", "postgresql://", "asyncpg://"))


@asynccontextmanager
async def _migration_lock(database_url: str) -> AsyncIterator[None]:
    """Hold PostgreSQL's session advisory lock MIGRATION_LOCK_KEY on a connection of its own."""
    if not is_postgres(database_url):
        yield
        return
    dsn = "postgresql://" + database_url.split("://", 1)[1].partition("?")[0]
    connection = await asyncpg.connect(dsn, timeout=MIGRATION_LOCK_TIMEOUT_SECONDS)
    try:
        await connection.execute(
            "SELECT pg_advisory_lock($1)",
            MIGRATION_LOCK_KEY,
            timeout=MIGRATION_LOCK_TIMEOUT_SECONDS,
        )
        try:
            yield
        finally:
            await connection.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK_KEY)
    finally:
        await connection.close()


async def pending_migrations() -> list[str]:
    """Names of the migrations the open database still lacks (empty when current)."""
    executor = MigrationExecutor(
        connections.get("default"), {APP_LABEL: tortoise_config("")["apps"][APP_LABEL]}
    )
    return [step.migration.name for step in await executor.plan() if not step.backward]


async def open_database(database_url: str, *, session_reads: bool = False) -> None:
    """Open Tortoise's connections; with `session_reads`, the server's read-only connection for
    session lookups too (a SQLite file only, see models/read_connection.py)."""
    await check_connection(database_url)
    async with _naming_failures(database_url):
        # Request tasks do not inherit the lifespan task's context, hence the global fallback.
        await Tortoise.init(config=tortoise_config(database_url), _enable_global_fallback=True)
        if session_reads:
            # The shared connection first: it sets the pragmas (WAL) the reader relies on.
            await connections.get("default").execute_query("SELECT 1")
            await read_connection.open_reader(database_url)


async def close_database() -> None:
    await read_connection.close_reader()
    await Tortoise.close_connections()


# For Tortoise's own CLI: `tortoise -c graph.startup.db.TORTOISE_ORM makemigrations`.
TORTOISE_ORM = tortoise_config(os.environ.get("DATABASE_URL", "sqlite://twofold.sqlite3"))
