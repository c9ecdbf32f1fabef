"""The `twofold` command line: serve, migrate, create-user, company, invite, outbox, keys,
service, webhook, sso, mfa-reset, sms, documents, export-schema."""

from __future__ import annotations

import argparse
import sys

from domain.settings import SettingsError
from graph.cli import (
    accounts,
    documents,
    invite,
    keys,
    mfa_reset,
    outbox,
    schema,
    serve,
    service,
    sms,
    sso,
    webhook,
)
from graph.startup.logs import configure_logging

# One module per command group, each adding its subcommands: a new group is a module and a line.
COMMAND_GROUPS = (
    serve,
    accounts,
    invite,
    mfa_reset,
    outbox,
    keys,
    service,
    webhook,
    sso,
    sms,
    documents,
    schema,
)


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    configure_logging()
    from graph.startup.db import DatabaseUnavailable

    try:
        return int(args.handler(args))
    except SettingsError as error:
        print(f"twofold: {error}", file=sys.stderr)
        return 2
    except DatabaseUnavailable as error:
        print(f"twofold: {error}", file=sys.stderr)
        return 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="twofold", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    for group in COMMAND_GROUPS:
        group.register(commands)
    return parser
