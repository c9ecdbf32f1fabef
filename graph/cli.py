"""The `twofold` command line: serve, migrate, create-user, company, outbox, webhook,
export-schema."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any
from uuid import UUID

from domain.settings import Settings, SettingsError
from graph import webhook_command
from graph.logs import configure_logging

SCHEMA_FILE = "schema.graphql"


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    configure_logging()
    from graph.db import DatabaseUnavailable

    try:
        return int(args.handler(args))
    except SettingsError as error:
        print(f"twofold: {error}", file=sys.stderr)
        return 2
    except DatabaseUnavailable as error:
        print(f"twofold: {error}", file=sys.stderr)
        return 3


def _settings() -> Settings:
    """The settings, with logging switched to their LOG_FORMAT."""
    settings = Settings.from_environment()
    configure_logging(settings.log_format)
    return settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="twofold", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

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

    create = commands.add_parser("create-user", help="create a user who can sign in")
    create.add_argument("--email", required=True)
    create.add_argument("--password", required=True)
    create.add_argument("--role", required=True, choices=["payor", "payee", "none"])
    create.add_argument("--company", help="company name; created when new")
    create.add_argument("--admin", action="store_true", help="make the user a company admin")
    create.set_defaults(handler=_create_user)

    company = commands.add_parser("company", help="create a company or change its MFA policy")
    company.add_argument("name")
    policy = company.add_mutually_exclusive_group()
    policy.add_argument(
        "--require-authenticator-app",
        dest="require_app",
        action="store_true",
        default=None,
        help="all users of the company must use an authenticator app",
    )
    policy.add_argument(
        "--allow-sms", dest="require_app", action="store_false", help="payees may use SMS"
    )
    trust = company.add_mutually_exclusive_group()
    trust.add_argument(
        "--allow-trusted-browsers",
        dest="allow_trusted_browsers",
        action="store_true",
        default=None,
        help="users may trust a browser for TRUSTED_BROWSER_DAYS and skip the sign-in challenge",
    )
    trust.add_argument(
        "--no-trusted-browsers",
        dest="allow_trusted_browsers",
        action="store_false",
        help="every sign-in asks for the second factor (the default)",
    )
    payors = company.add_mutually_exclusive_group()
    payors.add_argument(
        "--require-security-key-for-payors",
        dest="payors_need_key",
        action="store_true",
        default=None,
        help="payors must use a security key or passkey (phishing-resistant)",
    )
    payors.add_argument(
        "--allow-any-factor-for-payors",
        dest="payors_need_key",
        action="store_false",
        help="payors may use an authenticator app or a security key (the default)",
    )
    company.set_defaults(handler=_company)

    mail = commands.add_parser(
        "outbox", help="list security emails and webhooks not yet delivered, or retry one now"
    )
    mail.add_argument("--retry", metavar="ID", type=UUID, help="retry this message now")
    mail.set_defaults(handler=_outbox)

    webhook_command.register(commands)

    export = commands.add_parser("export-schema", help="print the GraphQL schema (SDL)")
    export.add_argument("--output", help=f"write to this file, e.g. {SCHEMA_FILE}")
    export.set_defaults(handler=_export_schema)
    return parser


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from graph.app import create_app
    from graph.db import apply_migrations, is_postgres

    settings = _settings()
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
    # Twofold writes the access lines itself (graph/access_log.py): uvicorn's carry the query
    # string. Its WebSocket protocols log the full URL too, and Twofold serves no WebSockets.
    # No log_config: uvicorn's lines go through Twofold's handler, in LOG_FORMAT.
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
        uvicorn.run("graph.app:app_from_environment", factory=True, workers=args.workers, **options)
        return 0
    server = uvicorn.Server(uvicorn.Config(create_app(settings), **options))
    server.run()
    # uvicorn returns when start-up failed (the lifespan raised): say so with the exit status.
    return 0 if server.started else 3


async def _check_database(settings: Settings) -> None:
    from graph.db import check_connection

    await check_connection(settings.database_url)


def _migrate(_: argparse.Namespace) -> int:
    from graph.db import apply_migrations

    settings = _settings()
    applied = asyncio.run(apply_migrations(settings.database_url, settings.secret_key))
    if applied:
        print(f"applied {len(applied)} migrations: {', '.join(applied)}")
    else:
        print("database is up to date: no migrations to apply")
    return 0


def _create_user(args: argparse.Namespace) -> int:
    from graph.accounts import AccountError, create_user

    settings = _settings()
    try:
        user_id = asyncio.run(
            create_user(
                settings,
                email=args.email,
                password=args.password,
                role=args.role,
                company=args.company,
                admin=args.admin,
            )
        )
    except AccountError as error:
        print(f"twofold: {error}", file=sys.stderr)
        return 1
    print(f"created user {user_id} ({args.email}, {args.role})")
    return 0


def _company(args: argparse.Namespace) -> int:
    from graph.accounts import set_company_policy

    settings = _settings()
    change = asyncio.run(
        set_company_policy(
            settings,
            args.name,
            args.require_app,
            allow_trusted_browsers=args.allow_trusted_browsers,
            payors_need_key=args.payors_need_key,
        )
    )
    rule = "authenticator app required" if change.requires_app else "SMS allowed for payees"
    rule += ", security key required for payors" if change.payors_need_key else ""
    rule += ", trusted browsers allowed" if change.allows_trusted_browsers else ""
    ended = f"; {change.ended_sessions} sessions ended" if change.ended_sessions else ""
    print(f"company {args.name}: {rule}{ended}")
    return 0


def _outbox(args: argparse.Namespace) -> int:
    from graph.outbox_command import list_waiting, retry_now

    settings = _settings()
    if args.retry is None:
        lines = asyncio.run(list_waiting(settings))
        print("\n".join(lines) if lines else "outbox is empty: every email was delivered")
        return 0
    outcome = asyncio.run(retry_now(settings, args.retry))
    if outcome is None:
        print(f"twofold: no pending or failed message {args.retry}", file=sys.stderr)
        return 1
    print(f"message {args.retry} " + ("sent" if outcome else "failed again: still in the outbox"))
    return 0 if outcome else 1


def _export_schema(args: argparse.Namespace) -> int:
    from graph.schema import schema

    text = schema.as_str() + "\n"
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
