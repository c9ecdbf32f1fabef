"""Test harness: a real database (SQLite file or throwaway PostgreSQL database), a MessageBird
stand-in over HTTP, a local SMTP server, a manual clock, and the app driven over HTTP.

Choose the database with `TWOFOLD_TEST_DATABASE_URL`: unset for SQLite, or a PostgreSQL
server URL such as `postgres://postgres@127.0.0.1:5432/postgres` (a database is created per run
and dropped afterwards).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from functools import partial
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher as Argon2Hasher
from starlette.applications import Starlette
from tortoise.contrib.test import truncate_all_models

from domain.settings import Settings
from graph.http.app import create_app
from graph.startup.db import apply_migrations
from graph.startup.wiring import build_providers
from models.enums import PayRole
from models.user import User
from providers.clock import ManualClock
from providers.passwords import ARGON2_PARAMETERS
from providers.registry import Providers
from tests.support.clients import HttpFactory, from_address
from tests.support.constants import PASSWORD, SECRET_KEY
from tests.support.graphql import ORIGIN, GraphQLClient
from tests.support.mailbox import Mailbox
from tests.support.messagebird_standin import ACCESS_KEY, MessageBirdStandIn
from tests.support.routes import RoutedApp, routed_app
from tests.support.twilio_standin import TwilioStandIn
from tests.support.users import MakeUser


def _postgres_admin_url() -> str | None:
    url = os.environ.get("TWOFOLD_TEST_DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


@pytest.fixture(scope="session")
async def database_url(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    admin_url = _postgres_admin_url()
    if admin_url is None:
        path = tmp_path_factory.mktemp("db") / "twofold.sqlite3"
        url = f"sqlite://{path}"
        await apply_migrations(url)
        yield url
        return
    import asyncpg

    name = f"twofold_test_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(admin_url.replace("postgres://", "postgresql://", 1))
    await admin.execute(f'CREATE DATABASE "{name}"')
    base = admin_url.rsplit("/", 1)[0]
    url = f"{base}/{name}".replace("postgresql://", "postgres://", 1)
    try:
        await apply_migrations(url)
        yield url
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@pytest.fixture(scope="session")
def messagebird() -> Iterator[MessageBirdStandIn]:
    standin = MessageBirdStandIn()
    standin.start()
    yield standin
    standin.stop()


@pytest.fixture(scope="session")
def twilio() -> Iterator[TwilioStandIn]:
    standin = TwilioStandIn()
    standin.start()
    yield standin
    standin.stop()


@pytest.fixture
def routed(
    settings: Settings,
    clock: ManualClock,
    messagebird: MessageBirdStandIn,
    twilio: TwilioStandIn,
    mailbox: Mailbox,
) -> RoutedApp:
    """Starts the app with both SMS providers on their stand-ins and reports on:
    `async with routed(**setting_overrides) as http`."""
    return partial(routed_app, settings, clock, messagebird, twilio, mailbox)


@pytest.fixture(scope="session")
def mailbox() -> Iterator[Mailbox]:
    box = Mailbox()
    box.start()
    yield box
    box.stop()


@pytest.fixture(scope="session")
def password_hash() -> str:
    return Argon2Hasher(**ARGON2_PARAMETERS).hash(PASSWORD)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def settings(
    database_url: str, messagebird: MessageBirdStandIn, mailbox: Mailbox, tmp_path: Path
) -> Settings:
    return Settings(
        database_url=database_url,
        secret_key=SECRET_KEY,
        messagebird_access_key=ACCESS_KEY,
        messagebird_endpoint=messagebird.endpoint,
        smtp_host="127.0.0.1",
        smtp_port=mailbox.port,
        smtp_starttls=False,
        network_timeout_seconds=1.0,
        allowed_origins=(ORIGIN,),
    )


@pytest.fixture
async def providers(settings: Settings, clock: ManualClock) -> AsyncIterator[Providers]:
    built = replace(build_providers(settings), clock=clock)
    yield built
    built.close()


@pytest.fixture
async def app(
    settings: Settings,
    providers: Providers,
    messagebird: MessageBirdStandIn,
    mailbox: Mailbox,
) -> AsyncIterator[Starlette]:
    application = create_app(settings, providers, migrate=False)
    async with application.router.lifespan_context(application):
        await truncate_all_models()
        messagebird.reset()
        mailbox.reset()
        yield application


@pytest.fixture
def new_http(app: Starlette) -> HttpFactory:
    """A factory of independent HTTP clients (separate cookie jars) on the app."""

    def make() -> httpx.AsyncClient:
        return from_address(app)

    return make


@pytest.fixture
async def browser(new_http: HttpFactory) -> AsyncIterator[GraphQLClient]:
    """A browser-like client: the session lives in its cookie jar."""
    async with new_http() as http:
        yield GraphQLClient(http)


@pytest.fixture
def make_user(password_hash: str) -> MakeUser:
    async def make(email: str = "payee@example.com", role: PayRole = PayRole.PAYEE) -> User:
        return await User.create(email=email, password_hash=password_hash, pay_role=role)

    return make
