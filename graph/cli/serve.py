"""`twofold serve` and `twofold migrate`: the database brought up to date, then the app served."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from domain.settings import Settings, SettingsError
from graph.cli.settings import settings_from_environment


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = commands.add_parser("serve", help="apply migrations, then serve GraphQL at /graphql")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        help="server processes sharing the port (PostgreSQL only; SQLite allows one writer)",
    )
    serve.set_defaults(handler=_serve)

    migrate = commands.add_parser("migrate", help="apply database migrations")
    migrate.set_defaults(handler=_migrate)


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from graph.http.app import create_app
    from graph.startup.db import apply_migrations, is_postgres

    settings = settings_from_environment()
    if args.workers < 1:
        raise SettingsError("--workers must be at least 1")
    if args.workers > 1 and not is_postgres(settings.database_url):
        raise SettingsError(
            "--workers above 1 needs PostgreSQL (DATABASE_URL=postgres://...): SQLite allows "
            "one writing process, so serve SQLite with one worker"
        )
    # Fail fast, in one line, before uvicorn starts: a database that cannot be reached would
    # otherwise surface as a traceback from the lifespan.
    asyncio.run(_check_database(settings))
    # Twofold writes the access lines itself (graph/http/access_log.py): uvicorn's carry the
    # query string. Its WebSocket protocols log the full URL too, and Twofold serves no
    # WebSockets. No log_config: uvicorn's lines go through Twofold's handler, in LOG_FORMAT.
    options: dict[str, Any] = {
        "host": args.host,
        "port": args.port,
        "proxy_headers": False,
        "log_config": None,
        "log_level": "info",
        "access_log": False,
        "ws": "none",
    }
    if args.workers > 1:
        # Migrate once here; each worker process builds its app from the same environment.
        asyncio.run(apply_migrations(settings.database_url, settings.secret_key))
        uvicorn.run(
            "graph.http.app:app_from_environment", factory=True, workers=args.workers, **options
        )
        return 0
    server = uvicorn.Server(uvicorn.Config(create_app(settings), **options))
    server.run()
    # uvicorn returns when start-up failed (the lifespan raised): say so with the exit status.
    return 0 if server.started else 3


async def _check_database(settings: Settings) -> None:
    from graph.startup.db import check_connection

    await check_connection(settings.database_url)


def _migrate(_: argparse.Namespace) -> int:
    from graph.startup.db import apply_migrations

    settings = settings_from_environment()
    applied = asyncio.run(apply_migrations(settings.database_url, settings.secret_key))
    if applied:
        print(f"applied {len(applied)} migrations: {', '.join(applied)}")
    else:
        print("database is up to date: no migrations to apply")
    return 0
