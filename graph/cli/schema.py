"""`twofold export-schema`: the GraphQL schema as SDL, as `schema.graphql` holds it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

SCHEMA_FILE = "schema.graphql"


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    export = commands.add_parser("export-schema", help="print the GraphQL schema (SDL)")
    export.add_argument("--output", help=f"write to this file, e.g. {SCHEMA_FILE}")
    export.set_defaults(handler=_export_schema)


def _export_schema(args: argparse.Namespace) -> int:
    from graph.schema import schema

    text = schema.as_str() + "\n"
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0
