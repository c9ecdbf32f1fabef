"""`twofold documents`: the GraphQL documents mobile apps may send by id (trusted documents).

`add FILE` registers the file's exact text (one document, as the app sends it) after checking
it against the schema; it prints the id the app sends (`sha256:<hex>`). Every running process
sees it at once (it looks an unknown id up in the database); a removed one stops working within
`REFRESH_SECONDS` (graph/documents/manifest.py). `list` and `remove ID` manage them.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from dataclasses import replace
from pathlib import Path

from domain import trusted_documents
from domain.settings import PRODUCTION, Settings
from graph.cli.settings import settings_from_environment
from graph.documents.ids import document_id, is_document_id
from graph.documents.manifest import UntrustworthyDocument, checked
from graph.extensions.security import document_validator
from graph.startup.db import close_database, open_database


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = commands.add_parser("documents", help="the documents mobile apps may send by id")
    actions = group.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="trust the document in FILE; prints its id")
    add.add_argument("file", type=Path)
    add.add_argument("--name", default="", help="a note for operators, e.g. the app's version")
    add.set_defaults(handler=_add)
    listing = actions.add_parser("list", help="the registered documents")
    listing.set_defaults(handler=_list)
    remove = actions.add_parser("remove", help="stop trusting a registered document")
    remove.add_argument("id")
    remove.set_defaults(handler=_remove)


def _add(args: argparse.Namespace) -> int:
    text = args.file.read_text(encoding="utf-8")
    try:
        added, wanted = asyncio.run(add_document(settings_from_environment(), text, args.name))
    except UntrustworthyDocument as error:
        print(f"twofold: {args.file} is not a valid document: {error}", file=sys.stderr)
        return 1
    print(wanted if added else f"{wanted} (already registered)")
    return 0


def _list(_: argparse.Namespace) -> int:
    lines = asyncio.run(list_documents(settings_from_environment()))
    print("\n".join(lines) if lines else "no registered documents")
    return 0


def _remove(args: argparse.Namespace) -> int:
    if not is_document_id(args.id):
        print("twofold: an id is sha256: and 64 lower-case hex digits", file=sys.stderr)
        return 2
    if not asyncio.run(remove_document(settings_from_environment(), args.id)):
        print(f"twofold: no registered document {args.id}", file=sys.stderr)
        return 1
    print(f"removed {args.id}")
    return 0


def _check(settings: Settings, text: str) -> None:
    # The production policy whatever the environment: a document trusted here runs anywhere.
    from graph.schema import schema

    checked(schema._schema, document_validator(replace(settings, environment=PRODUCTION)), text)


async def add_document(settings: Settings, text: str, name: str) -> tuple[bool, str]:
    """(True if newly kept, its id); UntrustworthyDocument when the schema refuses it."""
    _check(settings, text)
    wanted = document_id(text)
    await open_database(settings.database_url)
    try:
        return await trusted_documents.register(wanted, text, name[:128]), wanted
    finally:
        await close_database()


async def list_documents(settings: Settings) -> list[str]:
    """id, when it was added, its name, and whether today's schema still accepts it."""
    await open_database(settings.database_url)
    try:
        rows = await trusted_documents.registered()
    finally:
        await close_database()
    lines = []
    for row in rows:
        try:
            _check(settings, row.text)
            state = "valid"
        except UntrustworthyDocument:
            state = "INVALID against this schema: refused"
        lines.append(f"{row.id} {row.created_at:%Y-%m-%dT%H:%M:%SZ} {state} {row.name}".rstrip())
    return lines


async def remove_document(settings: Settings, wanted: str) -> bool:
    await open_database(settings.database_url)
    try:
        return await trusted_documents.remove(wanted)
    finally:
        await close_database()
