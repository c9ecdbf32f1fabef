"""Tortoise configuration and migrations for a database URL."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from tortoise import Tortoise
from tortoise.migrations.api import migrate

from models import MODEL_MODULES
from models.migration_secrets import migration_secret_key

APP_LABEL = "twofold"
# Any fixed 64-bit number names the lock; this one is "twofold" in ASCII.
MIGRATION_LOCK_KEY = 0x74776F666F6C64
MIGRATION_LOCK_TIMEOUT_SECONDS = 120.0


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


async def apply_migrations(database_url: str, secret_key: str | None = None) -> None:
    """Bring the database schema up to the newest migration, then release the connections.

    Migrations that seal stored values need `secret_key`, the key the server runs with; on a
    database with nothing to seal it may be left out. On PostgreSQL, processes starting at
    the same moment take turns (an advisory lock): the first migrates, the others find the
    schema current.
    """
    create_private_sqlite_file(database_url)
    async with _migration_lock(database_url):
        try:
            with migration_secret_key(secret_key):
                await migrate(config=tortoise_config(database_url))
        finally:
            await Tortoise.close_connections()


def is_postgres(database_url: str) -> bool:
    return database_url.startswith(("postgres://", "postgresql://", "asyncpg://"))


@asynccontextmanager
async def _migration_lock(database_url: str) -> AsyncIterator[None]:
    """Hold PostgreSQL's session advisory lock MIGRATION_LOCK_KEY on a connection of its own."""
    if not is_postgres(database_url):
        yield
        return
    import asyncpg

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


async def open_database(database_url: str) -> None:
    create_private_sqlite_file(database_url)
    # Request tasks do not inherit the lifespan task's context, hence the global fallback.
    await Tortoise.init(config=tortoise_config(database_url), _enable_global_fallback=True)


async def close_database() -> None:
    await Tortoise.close_connections()


# For Tortoise's own CLI: `tortoise -c graph.db.TORTOISE_ORM makemigrations`.
TORTOISE_ORM = tortoise_config(os.environ.get("DATABASE_URL", "sqlite://twofold.sqlite3"))
