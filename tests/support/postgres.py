"""A PostgreSQL database of a test's own, on the server TWOFOLD_TEST_DATABASE_URL names."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

POSTGRES = os.environ.get("TWOFOLD_TEST_DATABASE_URL", "")


@asynccontextmanager
async def own_postgres_database(prefix: str, why: str) -> AsyncIterator[str]:
    """An empty database named `prefix_<random>`, dropped afterwards; skips on SQLite."""
    if not POSTGRES:
        pytest.skip(f"needs TWOFOLD_TEST_DATABASE_URL (PostgreSQL){why}")
    import asyncpg

    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(POSTGRES.replace("postgres://", "postgresql://", 1))
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{POSTGRES.rsplit('/', 1)[0]}/{name}"
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
