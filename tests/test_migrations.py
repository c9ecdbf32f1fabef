"""Migrations upgrade a database that holds data, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from tortoise import Tortoise
from tortoise.migrations.api import migrate

from graph.db import apply_migrations, open_database, tortoise_config
from models.user import User


@pytest.fixture
async def empty_database_url(tmp_path: Path) -> AsyncIterator[str]:
    admin_url = os.environ.get("TWOFOLD_TEST_DATABASE_URL", "")
    if not admin_url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite://{tmp_path / 'upgrade.sqlite3'}"
        return
    import asyncpg

    name = f"twofold_upgrade_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(admin_url.replace("postgres://", "postgresql://", 1))
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{admin_url.rsplit('/', 1)[0]}/{name}".replace("postgresql://", "postgres://", 1)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def test_upgrade_from_the_first_migration_keeps_users(empty_database_url: str) -> None:
    # given: a database at the first migration with an enrolled user in it
    config = tortoise_config(empty_database_url)
    await migrate(config=config, target="twofold.0001_initial")
    conn = Tortoise.get_connection("default")
    user_id = str(uuid.uuid4())
    await conn.execute_query(
        "INSERT INTO user_account (id, email, password_hash, pay_role, is_company_admin, "
        "phone_e164, created_at) VALUES ($1, $2, $3, $4, $5, $6, CURRENT_TIMESTAMP)"
        if conn.capabilities.dialect == "postgres"
        else "INSERT INTO user_account (id, email, password_hash, pay_role, is_company_admin, "
        "phone_e164, created_at) VALUES (?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP)",
        [user_id, "old@example.com", "x", "payee", False, "+12015550123"],
    )
    await Tortoise.close_connections()
    # when
    await apply_migrations(empty_database_url)
    # then
    await open_database(empty_database_url)
    try:
        user = await User.get(email="old@example.com")
        assert str(user.id) == user_id
        assert user.phone_e164 == "+12015550123"
        assert user.totp_added_at is None
    finally:
        await Tortoise.close_connections()
