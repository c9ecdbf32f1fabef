"""Migrations upgrade a database that holds data, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from tortoise import Tortoise
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.migrations.api import migrate

from graph.startup.db import apply_migrations, open_database, tortoise_config
from models.flow import MfaFlow
from models.migration_secrets import SecretKeyRequired
from models.send_slot import SendSlot
from models.session import AuthSession
from models.stored_phone import open_phone, phone_digest
from models.user import User
from tests.support.constants import SECRET_KEY

PHONE = "+12015550123"
OTHER_PHONE = "+12015550145"


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


async def insert(conn: BaseDBAsyncClient, table: str, row: dict[str, Any]) -> None:
    postgres = conn.capabilities.dialect == "postgres"
    marks = [f"${n}" if postgres else "?" for n in range(1, len(row) + 1)]
    await conn.execute_query(
        f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join(marks)})", list(row.values())
    )


async def everything_stored_in(table: str) -> str:
    """Every value of every row and column of `table`, as text."""
    rows = await Tortoise.get_connection("default").execute_query_dict(f"SELECT * FROM {table}")
    return " ".join(str(value) for row in rows for value in row.values())


async def at_first_migration_with_a_phone(database_url: str) -> str:
    """A database at the first migration holding an enrolled user; returns the user's id."""
    await migrate(config=tortoise_config(database_url), target="twofold.0001_initial")
    user_id = str(uuid.uuid4())
    await insert(
        Tortoise.get_connection("default"),
        "user_account",
        {
            "id": user_id,
            "email": "old@example.com",
            "password_hash": "x",
            "pay_role": "payee",
            "is_company_admin": False,
            "phone_e164": PHONE,
            "phone_verified_at": datetime(2024, 5, 6, tzinfo=UTC),
            "created_at": datetime(2024, 5, 6, tzinfo=UTC),
        },
    )
    await Tortoise.close_connections()
    return user_id


async def test_upgrade_from_the_first_migration_keeps_users(empty_database_url: str) -> None:
    # given: a database at the first migration with an enrolled user in it
    user_id = await at_first_migration_with_a_phone(empty_database_url)
    # when
    await apply_migrations(empty_database_url, SECRET_KEY)
    # then: the phone is sealed, shown masked, and still the user's SMS factor
    await open_database(empty_database_url)
    try:
        user = await User.get(email="old@example.com")
        assert str(user.id) == user_id
        assert user.phone_sealed is not None
        assert open_phone(SECRET_KEY, user.phone_sealed) == PHONE
        assert user.phone_masked == "+*********23"
        assert [m.value for m in user.mfa_methods] == ["sms"]
        assert user.totp_added_at is None
        assert "2015550123" not in await everything_stored_in("user_account")
    finally:
        await Tortoise.close_connections()


async def test_upgrade_seals_numbers_of_open_flows_and_rekeys_number_quotas(
    empty_database_url: str,
) -> None:
    # given: at the third migration, an enrollment flow with a typed, unverified number that
    # was texted, so a quota slot is keyed by that number
    await migrate(
        config=tortoise_config(empty_database_url), target="twofold.0003_brakes_audit_and_lock"
    )
    conn = Tortoise.get_connection("default")
    now = datetime(2024, 5, 6, tzinfo=UTC)
    user_id, session_id = str(uuid.uuid4()), str(uuid.uuid4())
    await insert(
        conn,
        "user_account",
        {
            "id": user_id,
            "email": "enrolling@example.com",
            "password_hash": "x",
            "pay_role": "payee",
            "is_company_admin": False,
            "created_at": now,
        },
    )
    await insert(
        conn,
        "auth_session",
        {
            "id": session_id,
            "token_sha256": "0" * 64,
            "user_id": user_id,
            "kind": "pending",
            "created_at": now,
            "last_seen_at": now,
            "expires_at": now,
            "ip_address": "",
            "user_agent": "",
        },
    )
    await insert(
        conn,
        "mfa_flow",
        {
            "id": str(uuid.uuid4()),
            "session_id": session_id,
            "user_id": user_id,
            "purpose": "enrollment",
            "step": "code_verification",
            "method": "sms",
            "phone_e164": OTHER_PHONE,
            "code_attempts": 0,
            "totp_attempts": 0,
            "failures": 0,
            "codes_sent": 1,
            "created_at": now,
            "updated_at": now,
        },
    )
    await insert(
        conn, "send_slot", {"key": f"phone:{OTHER_PHONE}", "slot": 0, "used_at": now, "version": 1}
    )
    await Tortoise.close_connections()
    # when
    await apply_migrations(empty_database_url, SECRET_KEY)
    # then
    await open_database(empty_database_url)
    try:
        flow = await MfaFlow.get(user_id=user_id)
        assert flow.phone_sealed is not None
        assert open_phone(SECRET_KEY, flow.phone_sealed) == OTHER_PHONE
        assert flow.phone_masked == "+*********45"
        assert await AuthSession.filter(id=session_id).exists()
        slot = await SendSlot.get(slot=0)
        assert slot.key == f"phone:{phone_digest(SECRET_KEY, OTHER_PHONE)}"
        assert slot.version == 1
        for table in ("mfa_flow", "send_slot"):
            assert "2015550145" not in await everything_stored_in(table)
    finally:
        await Tortoise.close_connections()


async def test_sealing_stored_numbers_without_the_secret_key_fails_and_changes_nothing(
    empty_database_url: str,
) -> None:
    # given
    await at_first_migration_with_a_phone(empty_database_url)
    # when
    with pytest.raises(SecretKeyRequired) as refused:
        await apply_migrations(empty_database_url)
    # then: the message says what to set, and the number is still there to be sealed later
    assert "TWOFOLD_SECRET_KEY" in str(refused.value)
    await apply_migrations(empty_database_url, SECRET_KEY)
    await open_database(empty_database_url)
    try:
        user = await User.get(email="old@example.com")
        assert user.phone_sealed is not None
        assert open_phone(SECRET_KEY, user.phone_sealed) == PHONE
    finally:
        await Tortoise.close_connections()


async def test_a_database_without_phone_numbers_upgrades_without_the_secret_key(
    empty_database_url: str,
) -> None:
    # given: a user who never enrolled a phone
    await migrate(config=tortoise_config(empty_database_url), target="twofold.0001_initial")
    await insert(
        Tortoise.get_connection("default"),
        "user_account",
        {
            "id": str(uuid.uuid4()),
            "email": "no.phone@example.com",
            "password_hash": "x",
            "pay_role": "payor",
            "is_company_admin": False,
            "created_at": datetime(2024, 5, 6, tzinfo=UTC),
        },
    )
    await Tortoise.close_connections()
    # when
    await apply_migrations(empty_database_url)
    # then
    await open_database(empty_database_url)
    try:
        user = await User.get(email="no.phone@example.com")
        assert user.phone_sealed is None
        assert user.phone_masked is None
    finally:
        await Tortoise.close_connections()


_DRIFT_CHECK = """
import asyncio
from tortoise import Tortoise
from tortoise.migrations.autodetector import MigrationAutodetector
from graph.startup.db import tortoise_config

async def main():
    config = tortoise_config("sqlite://:memory:")
    await Tortoise.init(config=config)
    try:
        writers = await MigrationAutodetector(Tortoise.apps, config["apps"]).changes()
        print([op.describe() for writer in writers for op in writer.operations])
    finally:
        await Tortoise.close_connections()

asyncio.run(main())
"""


def test_the_migrations_describe_the_models_exactly() -> None:
    # A model change without its migration would be found by the next `makemigrations`, mixed
    # into someone else's change; Tortoise's own autodetector runs in a process of its own so
    # the suite's database stays as it is.
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", _DRIFT_CHECK], capture_output=True, text=True, timeout=120
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
