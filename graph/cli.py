"""The `twofold` command line: serve, migrate, create-user, export-schema."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path
from typing import Any

from domain.settings import Settings, SettingsError
from graph.request_id import install_request_ids

SCHEMA_FILE = "schema.graphql"


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    install_request_ids()
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
    )
    try:
        return int(args.handler(args))
    except SettingsError as error:
        print(f"twofold: {error}", file=sys.stderr)
        return 2


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

    export = commands.add_parser("export-schema", help="print the GraphQL schema (SDL)")
    export.add_argument("--output", help=f"write to this file, e.g. {SCHEMA_FILE}")
    export.set_defaults(handler=_export_schema)
    return parser


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from graph.app import create_app
    from graph.db import apply_migrations, is_postgres

    settings = Settings.from_environment()
    if args.workers < 1:
        raise SettingsError("--workers must be at least 1")
    if args.workers > 1 and not is_postgres(settings.database_url):
        raise SettingsError(
            "--workers above 1 needs PostgreSQL (DATABASE_URL=postgres://...): SQLite allows "
            "one writing process, so serve SQLite with one worker"
        )
    # Twofold writes the access lines itself (graph/access_log.py): uvicorn's carry the query
    # string. Its WebSocket protocols log the full URL too, and Twofold serves no WebSockets.
    options: dict[str, Any] = {
        "host": args.host,
        "port": args.port,
        "proxy_headers": False,
        "log_level": "info",
        "access_log": False,
        "ws": "none",
    }
    if args.workers == 1:
        uvicorn.run(create_app(settings), **options)
        return 0
    # Migrate once here; each worker process builds its app from the same environment.
    asyncio.run(apply_migrations(settings.database_url, settings.secret_key))
    uvicorn.run("graph.app:app_from_environment", factory=True, workers=args.workers, **options)
    return 0


def _migrate(_: argparse.Namespace) -> int:
    from graph.db import apply_migrations

    settings = Settings.from_environment()
    asyncio.run(apply_migrations(settings.database_url, settings.secret_key))
    print("migrations applied")
    return 0


def _create_user(args: argparse.Namespace) -> int:
    from graph.accounts import AccountError, create_user

    settings = Settings.from_environment()
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

    settings = Settings.from_environment()
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
